"""A review exported from the HTML report (``Export review``: ``ARTICLE.review.json``), as fixes.

The report's page applies what the editor accepted with its own JavaScript; this module is the
Python reading of the same file, so that the page's download can be held to
:func:`editor.fixes.apply_fixes` and a shared review can be applied outside a browser::

    {"format": "cleanup-review", "version": 1, "tool": "0.1.0", "path": "a.md", "hash": "<sha256 of the text>",
     "decisions": [{"key": "MT201@10-25", "id": 3, "rule": "MT201", "start": 10, "end": 25,
                    "text": "the flagged text (10-25)",
                    "decision": "accepted" | "rejected" | "undecided",
                    "choice": {"id": 3, "rule": "MT201", "fix": 1} | "custom",
                    "custom": {"start": 10, "end": 25, "replacement": "the editor's own text"}}],
     "edits": [{"start": 40, "end": 52, "text": "the text replaced", "replacement": "…",
                "decision": "accepted" | "rejected"}]}

``choice.id`` is the index of the finding whose fix ``choice.fix`` was chosen (findings with the
same span are one card in the page, and any of their fixes may be chosen). ``edits`` are rewrites
of text the editor selected in the article. The fixes are listed as the page lists them: accepted
decisions in finding order, then accepted edits in the order they were made; ``apply_fixes`` then
takes them in source order and skips one that overlaps an earlier one, as ``--fix`` does.

A review file is input like any other: :data:`SCHEMA` (a JSON Schema) is checked in full before
anything is used, and a file that does not match it is refused with one line saying where and
what (``decisions[3].custom.replacement must be a string, not an object``). Nothing is applied
blindly: an item is applied only when it is anchored, that is when the review's ``hash`` is the
article's (the offsets are of this very text) or, for a review without a hash, when the text it
records (``text``) is what the article holds at its offsets; and when a chosen finding is still
that rule at that span. Every other item is skipped and named in :attr:`ReviewResult.unanchored`.
A review whose hash is of another text is refused whole, as the page refuses to import it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from editor.document import InputError, content_hash
from editor.findings import Applicability, Edit, Finding, Fix, Span
from editor.fixes import FixResult, apply_fixes

FORMAT = "cleanup-review"

_OFFSET = {"type": "integer", "minimum": 0}
_TEXT = {"type": "string"}
_CUSTOM = {"type": "object", "additionalProperties": False, "required": ["start", "end", "replacement"],
           "properties": {"start": _OFFSET, "end": _OFFSET, "text": _TEXT, "replacement": _TEXT}}
_CHOICE = {"anyOf": [
    {"const": "custom"},
    {"type": "object", "additionalProperties": False, "required": ["id", "rule", "fix"],
     "properties": {"id": _OFFSET, "rule": _TEXT, "fix": _OFFSET}},
]}
_DECISION = {"type": "object", "additionalProperties": False,
             "required": ["key", "id", "rule", "start", "end", "decision"],
             "properties": {"key": _TEXT, "id": _OFFSET, "rule": _TEXT, "start": _OFFSET, "end": _OFFSET,
                            "text": _TEXT, "decision": {"enum": ["accepted", "rejected", "undecided"]},
                            "choice": _CHOICE, "custom": _CUSTOM}}
_EDIT = {"type": "object", "additionalProperties": False, "required": ["start", "end", "replacement"],
         "properties": {"start": _OFFSET, "end": _OFFSET, "text": _TEXT, "replacement": _TEXT,
                        "decision": {"enum": ["accepted", "rejected"]}}}

#: The review file's JSON Schema (draft 2020-12). :func:`validate` checks exactly these keywords
#: (type, const, enum, properties, required, additionalProperties, items, minimum, anyOf) without
#: a dependency; the tests hold it to the ``jsonschema`` package.
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "cleanup review (Export review in the HTML report)",
    "type": "object", "additionalProperties": False, "required": ["format"],
    "properties": {
        "format": {"const": FORMAT}, "version": {"const": 1}, "tool": _TEXT, "path": _TEXT, "hash": _TEXT,
        "decisions": {"type": "array", "items": _DECISION},
        "edits": {"type": "array", "items": _EDIT},
    },
}


class ReviewError(ValueError):
    """A review that cannot be applied at all: not of this shape, or of another text."""


@dataclass
class ReviewResult(FixResult):
    """``apply_fixes``'s result, and the review's items that were not applied because they are not
    anchored in this text (one line each, naming the item)."""

    unanchored: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# The schema, checked without recursion into the data beyond the schema's own depth

_NAMES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null",
          int: "an integer", float: "a number"}
_TYPES = {"object": dict, "array": list, "string": str, "integer": int}


def _kind(value) -> str:
    return _NAMES.get(type(value), type(value).__name__)


def _describe(schema: dict) -> str:
    if "const" in schema:
        return json.dumps(schema["const"])
    if "enum" in schema:
        return " or ".join(json.dumps(v) for v in schema["enum"])
    t = schema.get("type", "object")
    return "an object" if t == "object" else _NAMES[_TYPES[t]]


def _has_type(value, t: str) -> bool:
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, _TYPES[t])


def _where(path: str) -> str:
    return path or "the review"


def _check(value, schema: dict, path: str) -> str | None:
    """The first way ``value`` fails ``schema`` (a sentence naming ``path``), or None."""
    if "anyOf" in schema:
        if any(_check(value, s, path) is None for s in schema["anyOf"]):
            return None
        return f"{_where(path)} must be " + " or ".join(_describe(s) for s in schema["anyOf"]) + f", not {_kind(value)}"
    if "const" in schema and not (value == schema["const"] and type(value) is type(schema["const"])):
        return f"{_where(path)} must be {json.dumps(schema['const'])}, not {json.dumps(value)[:40]}"
    if "enum" in schema and not any(value == v and type(value) is type(v) for v in schema["enum"]):
        return f"{_where(path)} must be {_describe(schema)}, not {json.dumps(value)[:40]}"
    t = schema.get("type")
    if t is not None and not _has_type(value, t):
        return f"{_where(path)} must be {_describe(schema)}, not {_kind(value)}"
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return f"{_where(path)} is not Unicode text (it holds a lone surrogate)"
    if "minimum" in schema and value < schema["minimum"]:
        return f"{_where(path)} must be at least {schema['minimum']}, not {value}"
    if t == "array":
        for i, item in enumerate(value):
            problem = _check(item, schema["items"], f"{path}[{i}]")
            if problem:
                return problem
    if t == "object":
        return _check_object(value, schema, path)
    return None


def _check_object(value: dict, schema: dict, path: str) -> str | None:
    props = schema.get("properties", {})
    for key in schema.get("required", ()):
        if key not in value:
            return f"{_where(path)} has no {key!r}"
    for key, item in value.items():
        if key not in props:
            return f"{_where(path)} has an unknown key {key!r}"
        problem = _check(item, props[key], f"{path}.{key}" if path else key)
        if problem:
            return problem
    return None


def _check_meaning(data: dict) -> str | None:
    """What the schema cannot say: ranges that end before they start, a custom choice without text."""
    items = [(f"decisions[{i}]", d) for i, d in enumerate(data.get("decisions", ()))]
    items += [(f"decisions[{i}].custom", d["custom"]) for i, d in enumerate(data.get("decisions", ())) if "custom" in d]
    items += [(f"edits[{i}]", e) for i, e in enumerate(data.get("edits", ()))]
    for where, item in items:
        if item["end"] < item["start"]:
            return f"{where} ends ({item['end']}) before it starts ({item['start']})"
    for i, d in enumerate(data.get("decisions", ())):
        if d.get("choice") == "custom" and "custom" not in d:
            return f"decisions[{i}] chooses 'custom' but has no 'custom' text"
    return None


def validate(data) -> None:
    """Raise :class:`ReviewError` (one sentence) unless ``data`` is a review file of :data:`SCHEMA`."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ReviewError("not a cleanup review file (its 'format' is not 'cleanup-review')")
    problem = _check(data, SCHEMA, "") or _check_meaning(data)
    if problem:
        raise ReviewError(problem)


def load_review(path: str | Path) -> dict:
    """A review file, checked against :data:`SCHEMA` (InputError naming the file otherwise)."""
    try:
        data = json.loads(Path(path).read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a review file") from None
    except RecursionError:
        raise InputError(path, "not a review file: its JSON is nested too deeply") from None
    except UnicodeDecodeError as e:
        raise InputError(path, f"not a review file: not UTF-8 ({e.reason} at byte {e.start})") from None
    except (OSError, ValueError) as e:
        raise InputError(path, f"not a review file: {e}") from None
    try:
        validate(data)
    except ReviewError as e:
        raise InputError(path, str(e)) from None
    return data


# ---------------------------------------------------------------------------------------------
# Anchoring: an item is applied only where the review says its text is


def _anchor(text: str, trusted: bool, start: int, end: int, recorded: str | None) -> str | None:
    """Why the range start-end of the review is not anchored in ``text`` (None: it is)."""
    if end > len(text):
        return f"{start}-{end} is past the end of the article ({len(text)} characters)"
    if recorded is not None and text[start:end] != recorded:
        return f"the article has {text[start:end][:40]!r} at {start}-{end}, not {recorded[:40]!r}"
    if recorded is None and not trusted:
        return f"the review has no hash and does not record the text at {start}-{end}: it cannot be checked"
    return None


def _finding_fix(d: dict, findings: Sequence[Finding]) -> tuple[Fix | None, str | None]:
    """The fix a decision chose among ``findings``, or why it is not there."""
    fid, k, rule = d["choice"]["id"], d["choice"]["fix"], d["choice"]["rule"]
    if fid >= len(findings) or findings[fid].rule != rule:
        return None, f"finding {fid} is not {rule} in this check"
    f = findings[fid]
    if (f.extent.start, f.extent.end) != (d["start"], d["end"]):
        return None, f"finding {fid} ({rule}) is at {f.extent.start}-{f.extent.end}, not {d['start']}-{d['end']}"
    if k >= len(f.fixes) or f.fixes[k].applicability is Applicability.DISPLAY_ONLY:
        return None, f"finding {fid} ({rule}) has no applicable fix {k}"
    return f.fixes[k], None


def _decision_fix(text: str, findings: Sequence[Finding], d: dict, trusted: bool) -> tuple[Fix | None, str | None]:
    why = _anchor(text, trusted, d["start"], d["end"], d.get("text"))
    if why:
        return None, why
    if d.get("choice") == "custom":
        c = d["custom"]
        same = (c["start"], c["end"]) == (d["start"], d["end"])
        why = _anchor(text, trusted or (same and "text" in d), c["start"], c["end"],
                      c.get("text", d.get("text") if same else None))
        if why:
            return None, why
        return Fix((Edit(Span(c["start"], c["end"]), c["replacement"]),), Applicability.UNSAFE, "the editor's rewrite"), None
    if not isinstance(d.get("choice"), dict):
        return None, "it chooses no fix"
    return _finding_fix(d, findings)


def anchored_fixes(text: str, findings: Sequence[Finding], review: dict) -> tuple[list[Fix], list[str]]:
    """The fixes the review accepts that are anchored in ``text``, in the order the report's page
    gives them to its copy of ``apply_fixes``, and one line for each accepted item skipped.
    Raises :class:`ReviewError` when the review is not of :data:`SCHEMA` or of another text."""
    validate(review)
    digest = review.get("hash")
    if digest is not None and digest != content_hash(text):
        raise ReviewError("the review is of another version of the article (its text differs)")
    trusted = digest is not None
    out: list[Fix] = []
    skipped: list[str] = []
    decisions = sorted(((i, d) for i, d in enumerate(review.get("decisions", ())) if d["decision"] == "accepted"),
                       key=lambda item: item[1]["id"])
    for i, d in decisions:
        fix, why = _decision_fix(text, findings, d, trusted)
        if fix is None:
            skipped.append(f"decisions[{i}] ({d['key']}) not applied: {why}")
        else:
            out.append(fix)
    for i, e in enumerate(review.get("edits", ())):
        if e.get("decision", "accepted") != "accepted":
            continue
        why = _anchor(text, trusted, e["start"], e["end"], e.get("text"))
        if why:
            skipped.append(f"edits[{i}] not applied: {why}")
        else:
            out.append(Fix((Edit(Span(e["start"], e["end"]), e["replacement"]),), Applicability.UNSAFE, "the editor's edit"))
    return out, skipped


def review_fixes(text: str, findings: Sequence[Finding], review: dict) -> list[Fix]:
    """The anchored fixes of :func:`anchored_fixes` (what is skipped is dropped)."""
    return anchored_fixes(text, findings, review)[0]


def apply_review(text: str, findings: Sequence[Finding], review: dict) -> ReviewResult:
    """The reviewed article: ``apply_fixes`` with the review's anchored fixes; the items left out
    are in ``unanchored``."""
    fixes, skipped = anchored_fixes(text, findings, review)
    done = apply_fixes(text, fixes)
    return ReviewResult(done.text, done.applied, done.skipped, skipped)
