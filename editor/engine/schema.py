"""Reading rule files: strict YAML validation with file and line in every error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from editor.findings import CATEGORIES, Applicability, Severity

KINDS = ("phrase", "substitution", "token-pattern", "dependency-pattern", "regex", "lemma-pair", "python",
         "builtin")
COMMON_KEYS = {
    "code", "name", "category", "severity", "kind", "message", "docs", "examples", "fix",
    "default", "priority", "settings", "mt-articles-only",
}
KIND_KEYS = {
    "phrase": {"phrases"},
    "substitution": {"swap"},
    "token-pattern": {"patterns", "mark", "replace"},
    "dependency-pattern": {"patterns", "mark", "replace"},
    "regex": {"pattern", "flags", "mark", "replace"},
    "lemma-pair": {"pairs"},
    "python": {"check", "options"},
    "builtin": set(),  # found by a stage of the pipeline itself (editor/pipeline.py names which)
}
PAIR_KEYS = {"relation", "heads", "deps", "suggest", "message"}
RELATIONS = ("verb-object", "subject-adjective", "adjective-noun")
REGEX_FLAGS = ("ignorecase", "multiline", "dotall", "verbose", "ascii")
DOCS_KEYS = {"what", "why", "fix"}
FIX_KEYS = {"applicability", "title"}
EXAMPLE_KEYS = {"flag", "allow", "fixed", "format", "note"}
PHRASE_KEYS = {"phrase", "prev", "next", "replace", "message"}
CODE_RE = re.compile(r"^[A-Z]{2,8}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class RuleFileError(Exception):
    """A rule file that cannot be used; the message names the file and line."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


@dataclass
class Example:
    kind: str  # "flag" | "allow"
    text: str  # without the [[ ]] marks
    span: tuple[int, int] | None  # the marked span for flag examples
    fixed: str | None
    fmt: str  # "md" | "txt"
    line: int


@dataclass
class RuleSpec:
    """A validated rule file, before it is compiled into a runnable rule."""

    path: Path
    data: dict
    line_of: dict = field(default_factory=dict)  # key → line number (1-based)

    def line(self, key: str | None = None) -> int | None:
        return self.line_of.get(key) if key else self.line_of.get("__start__", 1)

    def error(self, key: str | None, message: str) -> RuleFileError:
        return RuleFileError(self.path, self.line(key), message)


def _yaml():
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.allow_duplicate_keys = False
    return y


def _plain(obj: Any) -> Any:
    """ruamel's commented containers → plain dicts, lists and strings."""
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    if isinstance(obj, str):
        return str(obj)
    return obj


def _line(node: Any, key: Any = None, index: int | None = None) -> int | None:
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is not None:
            return lc.key(key)[0] + 1
        if index is not None:
            return lc.item(index)[0] + 1
        return lc.line + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return None


def load_rule_file(path: Path) -> RuleSpec:
    from ruamel.yaml.error import YAMLError

    try:
        raw = _yaml().load(path.read_text(encoding="utf-8"))
    except YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise RuleFileError(path, line, f"invalid YAML: {problem}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise RuleFileError(path, None, f"cannot read rule file: {e}") from None
    if not isinstance(raw, dict):
        raise RuleFileError(path, 1, "a rule file must be a mapping of keys to values")
    lines = {str(k): _line(raw, key=k) for k in raw}
    lines["__start__"] = 1
    spec = RuleSpec(path=path, data=_plain(raw), line_of=lines)
    _validate(spec, raw)
    return spec


def _require_str(spec: RuleSpec, key: str) -> str:
    v = spec.data.get(key)
    if not isinstance(v, str) or not v.strip():
        raise spec.error(key if key in spec.data else None, f"'{key}' must be a non-empty string")
    return v


def _validate(spec: RuleSpec, raw: dict) -> None:
    d = spec.data
    kind = d.get("kind")
    if kind not in KINDS:
        raise spec.error("kind" if "kind" in d else None, f"'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    allowed = COMMON_KEYS | KIND_KEYS[kind]
    for k in d:
        if k not in allowed:
            hint = ""
            other = [kk for kk, keys in KIND_KEYS.items() if k in keys]
            if other:
                hint = f" (it belongs to kind {other[0]!r})"
            raise spec.error(k, f"unknown key {k!r} for a {kind} rule{hint}")
    _validate_identity(spec)
    _validate_docs_and_options(spec, raw)
    _validate_examples(spec, raw)
    _KIND_VALIDATORS[kind](spec, raw)


def _validate_identity(spec: RuleSpec) -> None:
    """code, name, category, severity and message."""
    code = _require_str(spec, "code")
    if not CODE_RE.match(code):
        raise spec.error("code", f"code {code!r} must be 2-8 capital letters and 3 digits, e.g. MT101")
    name = _require_str(spec, "name")
    if not NAME_RE.match(name):
        raise spec.error("name", f"name {name!r} must be kebab-case, e.g. warm-tips-calque")
    cat = _require_str(spec, "category")
    if cat not in CATEGORIES:
        raise spec.error("category", f"category {cat!r} must be one of {', '.join(CATEGORIES)}")
    sev = _require_str(spec, "severity")
    if sev not in {s.value for s in Severity}:
        raise spec.error("severity", f"severity {sev!r} must be error, warning or info")
    _require_str(spec, "message")


def _validate_docs_and_options(spec: RuleSpec, raw: dict) -> None:
    d = spec.data
    docs = d.get("docs")
    if not isinstance(docs, dict):
        raise spec.error("docs" if "docs" in d else None, "'docs' must be a mapping with what, why and fix")
    for k in docs:
        if k not in DOCS_KEYS:
            raise RuleFileError(spec.path, _line(raw["docs"], key=k), f"unknown key {k!r} in docs")
    for k in DOCS_KEYS:
        if not isinstance(docs.get(k), str) or not docs[k].strip():
            raise spec.error("docs", f"docs.{k} must be filled in")
    if "default" in d and not isinstance(d["default"], bool):
        raise spec.error("default", "'default' must be true or false")
    if "mt-articles-only" in d and not isinstance(d["mt-articles-only"], bool):
        raise spec.error("mt-articles-only", "'mt-articles-only' must be true or false")
    if "priority" in d and not isinstance(d["priority"], int):
        raise spec.error("priority", "'priority' must be an integer")
    fix = d.get("fix")
    if fix is not None:
        if not isinstance(fix, dict):
            raise spec.error("fix", "'fix' must be a mapping with an applicability")
        for k in fix:
            if k not in FIX_KEYS:
                raise RuleFileError(spec.path, _line(raw["fix"], key=k), f"unknown key {k!r} in fix")
        if fix.get("applicability") not in {a.value for a in Applicability}:
            raise spec.error("fix", "fix.applicability must be safe, unsafe or display-only")


def _validate_phrases(spec: RuleSpec, raw: dict) -> None:
    d = spec.data
    phrases = d.get("phrases")
    if not isinstance(phrases, list) or not phrases:
        raise spec.error("phrases" if "phrases" in d else None, "'phrases' must be a non-empty list")
    for i, p in enumerate(phrases):
        line = _line(raw["phrases"], index=i)
        if isinstance(p, str):
            if not p.strip():
                raise RuleFileError(spec.path, line, "empty phrase")
            continue
        if not isinstance(p, dict) or "phrase" not in p:
            raise RuleFileError(spec.path, line, "a phrase entry is a string or a mapping with 'phrase'")
        for k in p:
            if k not in PHRASE_KEYS:
                raise RuleFileError(spec.path, line, f"unknown key {k!r} in phrase entry")


def _validate_swaps(spec: RuleSpec, raw: dict) -> None:
    d = spec.data
    swap = d.get("swap")
    if not isinstance(swap, dict) or not swap:
        raise spec.error("swap" if "swap" in d else None, "'swap' must be a mapping of wrong: right")
    for k, v in swap.items():
        if not isinstance(v, (str, list)):
            raise RuleFileError(spec.path, _line(raw["swap"], key=k), f"replacement for {k!r} must be a string")


def _validate_patterns(spec: RuleSpec, raw: dict) -> None:
    pats = spec.data.get("patterns")
    if not isinstance(pats, list) or not pats or not all(isinstance(p, list) and p for p in pats):
        raise spec.error("patterns" if "patterns" in spec.data else None, "'patterns' must be a list of non-empty lists")


def _strings(value: Any) -> list[str] | None:
    """A string or a non-empty list of non-empty strings, as a list (None if it is neither)."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(x, str) and x for x in items):
        return None
    return items


def _validate_regex(spec: RuleSpec, raw: dict) -> None:
    """pattern (one or a list), flags, mark (a group number or name) and replace templates."""
    d = spec.data
    if _strings(d.get("pattern")) is None:
        raise spec.error("pattern" if "pattern" in d else None,
                         "'pattern' must be a regular expression or a list of them")
    flags = _strings(d.get("flags", [])) if d.get("flags") not in (None, []) else []
    if flags is None or any(f not in REGEX_FLAGS for f in flags):
        raise spec.error("flags", f"'flags' must be one or more of {', '.join(REGEX_FLAGS)}")
    mark = d.get("mark", 0)
    if isinstance(mark, bool) or not isinstance(mark, (int, str)) or (isinstance(mark, int) and mark < 0):
        raise spec.error("mark", "'mark' of a regex rule is a group number or name")
    replace = d.get("replace", [])
    items = [replace] if isinstance(replace, str) else replace
    if not isinstance(items, list) or not all(isinstance(r, str) for r in items):
        raise spec.error("replace", "'replace' must be a template or a list of them")


def _validate_pairs(spec: RuleSpec, raw: dict) -> None:
    """pairs: a non-empty list of {relation, heads, deps, suggest, message}."""
    for line, p in _mappings(spec, raw, "pairs", "a pair", PAIR_KEYS, "relation, heads and deps"):
        if p.get("relation") not in RELATIONS:
            raise RuleFileError(spec.path, line, f"a pair's relation must be one of {', '.join(RELATIONS)}")
        for k in ("heads", "deps"):
            if _strings(p.get(k)) is None:
                raise RuleFileError(spec.path, line, f"a pair's '{k}' must be a list of words or \"@list\"")
        if "suggest" in p and _strings(p["suggest"]) is None:
            raise RuleFileError(spec.path, line, "a pair's 'suggest' must be a word or a list of them")
        if "message" in p and (not isinstance(p["message"], str) or not p["message"].strip()):
            raise RuleFileError(spec.path, line, "a pair's 'message' must be a non-empty string")


def _validate_python(spec: RuleSpec, raw: dict) -> None:
    d = spec.data
    check = d.get("check")
    if not isinstance(check, str) or ":" not in check:
        raise spec.error("check" if "check" in d else None, "'check' must be 'module:function'")
    if "options" in d and not isinstance(d["options"], dict):
        raise spec.error("options", "'options' must be a mapping")


_KIND_VALIDATORS = {
    "phrase": _validate_phrases,
    "substitution": _validate_swaps,
    "token-pattern": _validate_patterns,
    "dependency-pattern": _validate_patterns,
    "regex": _validate_regex,
    "lemma-pair": _validate_pairs,
    "python": _validate_python,
    "builtin": lambda spec, raw: None,  # nothing to run: a stage of the pipeline finds it
}


_MARK = re.compile(r"\[\[(.*?)\]\]", re.S)


def _mappings(spec: RuleSpec, raw: dict, key: str, noun: str, keys: set[str], shape: str):
    """(line, entry) for every entry of the list under ``key``: each a mapping with known keys."""
    items = spec.data.get(key)
    if not isinstance(items, list) or not items:
        raise spec.error(key if key in spec.data else None, f"'{key}' must be a non-empty list")
    for i, item in enumerate(items):
        line = _line(raw[key], index=i) or spec.line(key)
        if not isinstance(item, dict):
            raise RuleFileError(spec.path, line, f"{noun} is a mapping with {shape}")
        for k in item:
            if k not in keys:
                raise RuleFileError(spec.path, line, f"unknown key {k!r} in {noun.split()[-1]}")
        yield line, item


def _validate_examples(spec: RuleSpec, raw: dict) -> None:
    parsed = []
    for line, item in _mappings(spec, raw, "examples", "an example", EXAMPLE_KEYS, "'flag' or 'allow'"):
        kinds = [k for k in ("flag", "allow") if k in item]
        if len(kinds) != 1 or not isinstance(item[kinds[0]], str):
            raise RuleFileError(spec.path, line, "an example has exactly one of 'flag' or 'allow' (a string)")
        kind = kinds[0]
        text = item[kind]
        fmt = item.get("format", "md")
        if fmt not in ("md", "txt"):
            raise RuleFileError(spec.path, line, "example format must be md or txt")
        span = None
        if kind == "flag":
            marks = list(_MARK.finditer(text))
            if len(marks) != 1:
                raise RuleFileError(spec.path, line, "a flag example marks exactly one span with [[ ]]")
            m = marks[0]
            span = (m.start(), m.start() + len(m.group(1)))
            text = text[: m.start()] + m.group(1) + text[m.end():]
        elif "[[" in text:
            raise RuleFileError(spec.path, line, "an allow example has no [[ ]] mark")
        fixed = item.get("fixed")
        if fixed is not None and (kind != "flag" or not isinstance(fixed, str)):
            raise RuleFileError(spec.path, line, "'fixed' belongs to a flag example and is a string")
        parsed.append(Example(kind, text, span, fixed, fmt, line))
    spec.data["_examples"] = parsed
