"""The contract between the rule engine and Python checks."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Iterable, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Hit:
    """One problem found by a check, in the coordinates of one analysed unit.

    ``start``/``end`` are character offsets into ``unit.doc.text`` (end exclusive).
    ``message`` overrides the rule's message when given (it may be formatted with details).
    ``replacements`` are alternative texts for ``[start, end)``, best first; an empty string
    deletes.  ``edits`` may be used instead for a fix that touches several places: a tuple of
    ``(start, end, replacement)`` triples in unit coordinates, all applied together.
    ``unit`` (keyword-only, required) is the unit whose ``doc.text`` the offsets point into.
    """

    start: int
    end: int
    message: str | None = None
    replacements: tuple[str, ...] = ()
    edits: tuple[tuple[int, int, str], ...] = ()
    applicability: str | None = None  # "unsafe" | "display-only": lower than the rule's, for this hit
    # the unit the offsets point into: required (keyword-only), so that a check that forgets it
    # fails on its first example instead of on a user's two-paragraph file
    unit: "Unit" = field(kw_only=True)

    def __post_init__(self):
        if self.unit is None:
            raise TypeError("Hit.unit is required: the unit whose text start/end point into")


@dataclass
class Unit:
    """A piece of prose the model has parsed: one segment, or one chunk of a long segment."""

    doc: "Doc"
    kind: str  # heading | paragraph | list_item | blockquote | table_cell | label
    segment_index: int  # index of the segment in the document
    index: int  # index of this unit in the document's list of units
    offset: int = 0  # where doc.text starts inside the segment text (chunks of long segments)
    masked: tuple[tuple[int, int], ...] = field(default=())  # unit-coordinate ranges that are not prose

    @cached_property
    def text(self) -> str:
        """``doc.text``, built once (spaCy joins the tokens again on every access)."""
        return self.doc.text

    @cached_property
    def tokens(self) -> list:
        """The doc's tokens, made once: spaCy makes a new Token object on every pass over a Doc,
        and the checks pass over every unit dozens of times."""
        return list(self.doc)

    @cached_property
    def _masked_ends(self) -> list[int]:
        return [e for _, e in self.masked]

    def touches_masked(self, start: int, end: int) -> bool:
        """Does ``[start, end)`` overlap a masked range?  A bisection (``masked`` is sorted and
        disjoint): a check asks once per sentence or match, and a unit may hold thousands."""
        if not self.masked:
            return False
        k = bisect.bisect_right(self._masked_ends, start)
        return k < len(self.masked) and self.masked[k][0] < end


@dataclass
class CheckContext:
    """Everything a check may look at: all units of one document, in order."""

    units: list[Unit]
    path: str = ""
    fmt: str = "txt"  # "md" or "txt"
    dialect: str = "us"  # us | gb | au | ca: the English variant spelling is checked against
    # rule code -> the result of its check's ``prepare(segments, dialect)`` (a Future when it ran
    # in a thread beside the parse); checks without one compute what they need themselves
    prepared: dict = field(default_factory=dict)
    # the file's effective configuration (editor.config.Config): checks fed by the configuration
    # (house substitutions) read it here; None in unit tests of checks that do not
    settings: object = None


class Check(Protocol):  # pragma: no cover - typing only
    def __call__(self, ctx: CheckContext, options: dict) -> Iterable[Hit]: ...


RUNNING_PROSE = frozenset({"paragraph", "blockquote", "list_item"})


def prose_tokens(ctx: CheckContext, kinds: frozenset[str] = RUNNING_PROSE):
    """(unit, token) for every token of the units of running prose (not headings, labels or table
    cells), in document order."""
    for unit in ctx.units:
        if unit.kind in kinds:
            for t in unit.tokens:
                yield unit, t
