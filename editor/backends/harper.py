"""Harper (harper-py), embedded: grammar, spelling and punctuation lints, offline, in-process.

The prose segments are joined with blank lines and linted as plain text in a worker thread
(harper-py releases the GIL while linting, so this overlaps spaCy's parse), in calls of bounded
size without over-long words or sentences (editor.backends.harper_input: what Harper cannot take
never reaches it).  Harper's spans are code points of the ``str`` it was given
(``lint.problem_text == text[span.start:span.end]``; tests check it with emoji and CJK), so they
map back through the segments' offset maps exactly.

Codes are ``HARPER/<Rule>`` (Harper's rule keys), source ``harper``.  Only the rules that earned
it on the dev sets are on by default (:data:`ON_BY_DEFAULT`, measured with
``benchmarks/evaluate.py --cv``; see docs/engines.md); every other rule runs when selected by
exact code, or all of them with ``HARPER/ALL``.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from editor.backends import EngineError, Joined, engine_wanted, kind_table, make_finding, rule_selected
from editor.backends.harper_input import MAX_SENTENCE_CHARS, calls  # noqa: F401 (MAX_SENTENCE_CHARS: re-exported)
from editor.findings import Finding, Severity
from editor.segment import Segment
from editor.stdio import native_output_to_stderr

PREFIX = "HARPER/"
SOURCE = "harper"

# On by default: only the Harper rules that earned it on the dev sets (../shared/data, machine
# translation of news and TED talks).  The policy (benchmarks/evaluate.py --cv, issue 12): a rule
# is on only if it fired there in at least two source documents and the 95% lower bound of its
# lift (precision / chance precision, stratified cluster bootstrap and an exact bound; see
# benchmarks/evaluation.py) is above 1.  Every other Harper rule is opt-in: select it by exact code
# (--select HARPER/SpellCheck) or all of them with HARPER/ALL.  The figures, re-measured by
# `python benchmarks/evaluate.py ../shared/data/{wets_zhen_dev,mqm_zhen_2021ted_docs}.jsonl --cv`,
# are checked in as benchmarks/rule-evidence.json, which tests/backends/test_harper.py compares
# with this list.
# Since issue 21 a rule must also fire at least three times as often on machine translation as
# on human English (benchmarks/false_alarms.py): no Harper rule does so today.
ON_BY_DEFAULT: dict[str, str] = {}

# Measured and off: why the rules that fired on the dev sets are not on (the figures as the
# rules' own evidence gives them; `cleanup rule HARPER/<Rule>` shows the reason).
OFF_BY_DEFAULT = {
    "SplitWords": "fires more often on human English (0.33 per 1,000 words) than on machine translation (0.21)",
    "SentenceCapitalization": "fires more often on human English (1.10 per 1,000 words: list markers, scraped lines) "
                              "than on machine translation (0.07)",
    "LongSentences": "flags whole sentences, no better than chance (lift 1.02 on 412 findings)",
    "OxfordComma": "a style choice, not an error (lift 0.84)",
    "NoOxfordComma": "a style choice, not an error (lift 0.11)",
    "UnclosedQuotes": "quotes split across scraped lines (lift 0.16)",
    "BoringWords": "a style preference, below chance (lift 0.85 on 1,050 findings)",
    "AvoidContractions": "a register preference, at chance (lift 0.96 on 853 findings)",
    "OrthographicConsistency": "lift 0.79 (11 findings)",
    "MissingPreposition": "lift 1.06, lower bound 0.30 (27 findings)",
    "PossessiveNoun": "lift 1.11, lower bound 0.44 (30 findings)",
    "CompoundNouns": "below chance (lift 0.61, 78 findings)",
    "DisjointPrefixes": "below chance (lift 0.71, 57 findings)",
    "PronounVerbAgreement": "below chance (lift 0.40, 38 findings); our MT4xx rules cover agreement",
    "ProgressiveNeedsBe": "0 of 15 right",
    "ThereToTheir": "lift 0.71 (13 findings, one talk)",
    "Itself": "15 findings in one talk",
    "Excellent": "lift 1.42, lower bound 0 (18 findings)",
    "MassNouns": "lift 1.26, lower bound 0 (8 findings)",
    "NumericRangeEnDash": "lift 2.09, lower bound 0 (12 findings in 7 places)",
    "AnA": "0 of 4 counted right by the annotators (by hand, 2 are real: \"a Aegis\", \"a about\")",
}

# Off whatever their figures: what they flag is not an error in an article, or one of our rules
# flags it already, or (spelling) names and transliterations swamp the rest.
OFF_FOR_REASONS = {
    "SpellCheck": "names and transliterations: 29 findings per 1,000 words on news MT; select it with a vocabulary",
    "LongSentences": "flags whole sentences: no pinpoint value (our MT306 flags the longest)",
    "OxfordComma": "a style choice, not an error",
    "RepeatedWords": "duplicates our MT702 (doubled words)",
    "Dashes": "our typography rules flag the same dashes",
    "SpelledNumbers": "a house-style preference (spell out small numbers), not an error: 626 findings on the dev sets",
    "MoreAdjective": "it flags correct comparatives (\"more secure\", \"most urban\") and its fixes make non-words "
                     "(\"securer\", \"urbanest\") on JFLEG learner English",
    "UseEllipsisCharacter": "a typographic preference",
    "Regionalisms": "American vs British word choice is no error",
    "UnclosedQuotes": "quotes split across scraped lines",
}

# Rules whose findings are worth showing but whose fixes read worse (benchmarks/rewrite_quality.py
# on JFLEG learner English): their suggestions are shown, never applied.
FIX_DISPLAY_ONLY = {
    "SplitWords": "its splits are often not words an editor wants (\"todays\" → \"to days\"; 5 of 25 agree with the references)",
}

# Harper's lint kinds → our categories and severities
KINDS = kind_table(
    warning={"spelling": ("Spelling", "Typo", "Eggcorn", "Malapropism", "BoundaryError"),
             "grammar": ("Agreement", "Grammar", "Miscellaneous", "Repetition"),
             "typography": ("Capitalization",), "punctuation": ("Punctuation",)},
    info={"typography": ("Formatting",),
          "style": ("WordChoice", "Usage", "Nonstandard", "Regionalism", "Redundancy", "Readability", "Style",
                    "Enhancement")},
)


def available() -> bool:
    try:
        import harper  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def default_config() -> dict[str, bool]:
    """Harper's own defaults: every rule key → on by default."""
    import harper

    with native_output_to_stderr():
        return dict(harper.get_default_lint_config())


@lru_cache(maxsize=1)
def descriptions() -> dict[str, str]:
    import harper

    with native_output_to_stderr():
        return dict(harper.Linter(harper.Dialect.AMERICAN).get_lint_descriptions())


# our dialect names (config ``dialect``, ``--dialect``) → harper.Dialect members
DIALECTS = {"us": "AMERICAN", "gb": "BRITISH", "au": "AUSTRALIAN", "ca": "CANADIAN"}


def dialect_of(name: str | None):
    import harper

    return getattr(harper.Dialect, DIALECTS[name or "us"])


def is_default(rule: str) -> bool:
    return rule in ON_BY_DEFAULT and rule not in OFF_FOR_REASONS


def off_reason(rule: str) -> str | None:
    """Why a Harper rule is not on by default here (None when it is)."""
    if is_default(rule):
        return None
    if rule in OFF_FOR_REASONS:
        return OFF_FOR_REASONS[rule]
    if rule in OFF_BY_DEFAULT:
        return OFF_BY_DEFAULT[rule]
    return "it never fired, or too rarely to judge, on the dev sets (opt-in until it earns its place)"


def enabled_rules(select: Iterable[str] | None, ignore: Iterable[str] | None) -> dict[str, bool]:
    """Harper's full lint configuration for this selection: rule key → on."""
    return {rule: rule_selected(PREFIX + rule, is_default(rule), select, ignore) for rule in default_config()}


@dataclass(frozen=True)
class RawLint:
    """A lint in the coordinates of the text it was found in (plain data: Harper's objects stay
    in the worker)."""

    rule: str
    kind: str
    piece: int  # index of that text (a segment)
    start: int
    end: int
    message: str
    suggestions: tuple[tuple[int, int, str], ...]  # (start, end, replacement) in that text


class HarperEngine:
    """One Harper linter, configured for a selection of rules, with its own worker thread."""

    name = SOURCE

    def __init__(self, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                 vocabulary: Iterable[str] = (), dialect: str | None = None):
        try:
            import harper
        except ImportError as e:  # the caller decides whether this is a warning
            raise EngineError(f"harper-py cannot be imported ({e}); Harper's checks are skipped") from None
        self._harper = harper
        config = enabled_rules(select, ignore)
        self.rules = sorted(r for r, on in config.items() if on)
        self.dialect = dialect or "us"
        with native_output_to_stderr():  # harper-py's native code may print to fd 1
            self._linter = harper.Linter(dialect_of(self.dialect))
            self._linter.set_lint_config(config)
            words = sorted({w.strip() for w in vocabulary if w.strip()})
            if words:
                self._linter.import_words(words)
        self._lock = threading.Lock()  # a Linter is not thread-safe
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="harper")

    @property
    def active(self) -> bool:
        return bool(self.rules)

    def describe(self) -> str:
        return f"on ({len(self.rules)} rules{'' if self.dialect == 'us' else ', ' + self.dialect.upper() + ' English'})"

    # -- the engine protocol ---------------------------------------------------------------

    def start(self, segments: Sequence[Segment]) -> Future:
        return self._pool.submit(self._lint_texts, [seg.text for seg in segments])

    def finish(self, handle: Future, segments: Sequence[Segment], text: str) -> list[Finding]:
        return self.to_findings(handle.result(), segments, text)

    # -- work ------------------------------------------------------------------------------

    def _lint_texts(self, texts: Sequence[str]) -> list[RawLint]:
        """Every lint of ``texts``, linted in the bounded calls of editor.backends.harper_input."""
        return [lint for joined in calls(texts) for lint in self._lint(joined)]

    def _lint(self, joined: Joined) -> list[RawLint]:
        if not joined.text.strip():
            return []
        h = self._harper
        with self._lock, native_output_to_stderr():
            organized = self._linter.organized_lints(joined.text, language=h.Language.PLAINTEXT)
        out = []
        for rule, lints in organized.items():
            for lint in lints:
                s, e = lint.span.start, lint.span.end
                where = joined.locate(s, e)
                if where is None:
                    continue  # across the blank line between two pieces
                piece, a, b = where
                out.append(RawLint(rule, lint.lint_kind, piece, a, b, lint.message,
                                   _suggestions(h, lint, joined, a - s)))
        return out

    def lint_text(self, text: str) -> list[RawLint]:
        """Lint one string (plain text); spans are code points of ``text``."""
        return self._lint_texts([text])

    def to_findings(self, lints: list[RawLint], segments: Sequence[Segment], text: str) -> list[Finding]:
        out = []
        for lint in lints:
            category, severity = KINDS.get(lint.kind, ("grammar", Severity.WARNING))
            f = make_finding(
                segments=segments, text=text, seg_index=lint.piece, start=lint.start, end=lint.end,
                code=PREFIX + lint.rule, name=_kebab(lint.rule), category=category, severity=severity,
                message=lint.message, source=SOURCE, replacements=lint.suggestions, safe=True,
                display_only=lint.rule in FIX_DISPLAY_ONLY,
            )
            if f is not None:
                out.append(f)
        return out

    def close(self) -> None:
        self._pool.shutdown(wait=False)


def _suggestions(h, lint, joined: Joined, shift: int) -> tuple[tuple[int, int, str], ...]:
    """A lint's suggestions as ``(start, end, replacement)`` in its piece's coordinates (``shift``:
    joined → piece); one whose span leaves the text Harper read is dropped."""
    s, e = lint.span.start, lint.span.end
    out = []
    for sg in lint.suggestions:
        if sg.kind == h.SuggestionKind.REMOVE:
            a, b, rep = s, e, ""
        elif sg.kind == h.SuggestionKind.INSERT_AFTER:
            a, b, rep = e, e, sg.replacement_text
        else:
            a, b, rep = s, e, sg.replacement_text
        if joined.locate(a, b) is not None or a == b == e:
            out.append((a + shift, b + shift, rep))
    return tuple(out)


def _kebab(rule: str) -> str:
    out = []
    for i, c in enumerate(rule):
        if c.isupper() and i and (not rule[i - 1].isupper() or (i + 1 < len(rule) and rule[i + 1].islower())):
            out.append("-")
        out.append(c.lower())
    return "harper-" + "".join(out)


@lru_cache(maxsize=8)
def cached_engine(select: tuple[str, ...] | None, ignore: tuple[str, ...], vocabulary: tuple[str, ...],
                  dialect: str | None = None) -> HarperEngine | None:
    """One engine per selection in a process (building a linter costs about a second); None when
    no Harper rule is selected."""
    if not engine_wanted(PREFIX, select, ignore):
        return None
    engine = HarperEngine(select, ignore, vocabulary, dialect)
    return engine if engine.active else None


def rule_list(show_all: bool) -> list[tuple[str, bool, str]]:
    """(code, on by default, one-line description) of Harper's rules, for ``cleanup rules``."""
    desc = descriptions()
    out = []
    for rule in sorted(default_config()):
        on = is_default(rule)
        if on or show_all:
            d = " ".join(desc.get(rule, "").split())
            out.append((PREFIX + rule, on, d))
    return out


def build_engines(select: Iterable[str] | None, ignore: Iterable[str] | None, harper: bool,
                  languagetool=None, vocabulary: Iterable[str] = (), dialect: str | None = None) -> tuple:
    """The other engines a Checker runs: Harper (when asked for and importable; if harper-py
    cannot be imported, one warning and our rules go on) and a LanguageTool engine if given."""
    from editor.backends import warn_once

    engines = []
    if harper:
        try:
            key = (tuple(select) if select else None, tuple(ignore or ()), tuple(vocabulary))
            engine = cached_engine(*key, dialect) if dialect not in (None, "us") else cached_engine(*key)
        except EngineError as e:
            warn_once(str(e))
            engine = None
        if engine is not None:
            engines.append(engine)
    if languagetool is not None and languagetool.active:
        engines.append(languagetool)
    return tuple(engines)
