"""Compiled rules: one class a kind, and the rule set that runs them all over a document.

Phrase, substitution and pattern rules of the whole set share one PhraseMatcher, one Matcher and
one DependencyMatcher, so adding a rule costs a few patterns, not another pass over the text.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from editor.checks.base import CheckContext, Hit, Unit
from editor.engine.schema import Example, RuleFileError, RuleSpec
from editor.findings import Applicability, Severity

# --------------------------------------------------------------------------------------------
# Token specs (the conditions of phrase entries), in spaCy Matcher attribute syntax

_TOKEN_ATTRS: dict[str, Callable[[Any], Any]] = {
    "ORTH": lambda t: t.text,
    "TEXT": lambda t: t.text,
    "LOWER": lambda t: t.lower_,
    "NORM": lambda t: t.norm_,
    "LEMMA": lambda t: t.lemma_,
    "POS": lambda t: t.pos_,
    "TAG": lambda t: t.tag_,
    "DEP": lambda t: t.dep_,
    "SHAPE": lambda t: t.shape_,
    "ENT_TYPE": lambda t: t.ent_type_,
    "IS_TITLE": lambda t: t.is_title,
    "IS_UPPER": lambda t: t.is_upper,
    "IS_LOWER": lambda t: t.is_lower,
    "IS_ALPHA": lambda t: t.is_alpha,
    "IS_DIGIT": lambda t: t.is_digit,
    "IS_PUNCT": lambda t: t.is_punct,
    "IS_STOP": lambda t: t.is_stop,
    "IS_SENT_START": lambda t: bool(t.is_sent_start),
    "LIKE_NUM": lambda t: t.like_num,
}


def expand_lists(value: Any, lists: "WordLists", where: tuple[Path, int | None]) -> Any:
    """Replace "@name" items of IN/NOT_IN lists by the entries of rules/lists/name.txt."""
    if isinstance(value, dict):
        return {k: expand_lists(v, lists, where) for k, v in value.items()}
    if isinstance(value, list):
        out: list = []
        for v in value:
            if isinstance(v, str) and v.startswith("@") and len(v) > 1:
                out.extend(lists.get(v[1:], where))
            else:
                out.append(expand_lists(v, lists, where))
        return out
    return value


class TokenSpec:
    """One token condition: {ATTR: value | {IN: [...]} | {NOT_IN: [...]} | {REGEX: "..."}}."""

    def __init__(self, spec: dict, path: Path, line: int | None):
        if not isinstance(spec, dict):
            raise RuleFileError(path, line, "a token condition is a mapping such as {LOWER: of}")
        self.tests: list[tuple[Callable, str, Any]] = []
        for attr, cond in spec.items():
            getter = _TOKEN_ATTRS.get(attr)
            if getter is None:
                raise RuleFileError(path, line, f"unknown token attribute {attr!r}")
            if isinstance(cond, dict):
                for op, val in cond.items():
                    if op in ("IN", "NOT_IN"):
                        if not isinstance(val, list):
                            raise RuleFileError(path, line, f"{op} takes a list")
                        self.tests.append((getter, op, set(val)))
                    elif op in ("REGEX", "NOT_REGEX"):
                        try:
                            self.tests.append((getter, op, re.compile(val)))
                        except re.error as e:
                            raise RuleFileError(path, line, f"bad regular expression {val!r}: {e}") from None
                    else:
                        raise RuleFileError(path, line, f"unknown operator {op!r} (IN, NOT_IN, REGEX, NOT_REGEX)")
            else:
                self.tests.append((getter, "==", cond))

    def matches(self, token) -> bool:
        """Does ``token`` satisfy every test? A missing token (None) passes only negative tests."""
        for getter, op, val in self.tests:
            if token is None:
                if op not in ("NOT_IN", "NOT_REGEX"):
                    return False
                continue
            v = getter(token)
            if op == "==":
                if v != val:
                    return False
            elif op == "IN":
                if v not in val:
                    return False
            elif op == "NOT_IN":
                if v in val:
                    return False
            elif op == "REGEX":
                if not val.search(str(v)):
                    return False
            elif op == "NOT_REGEX":
                if val.search(str(v)):
                    return False
        return True


class WordLists:
    """The ``lists/`` folder of a rule folder: ``@name`` references resolved with file and line."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, name: str, where: tuple[Path, int | None]) -> list[str]:
        from editor.engine.lists import _list_in

        try:
            return list(_list_in(self.folder, name))
        except LookupError as e:
            raise RuleFileError(where[0], where[1], str(e)) from None


# --------------------------------------------------------------------------------------------
# Case and templates


def match_case(source: str, replacement: str) -> str:
    """Give ``replacement`` the case pattern of ``source`` (UPPER, Title or as written)."""
    if not replacement or not source:
        return replacement
    letters = [c for c in source if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if source[0].isupper() and replacement[0].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


_TEMPLATE = re.compile(r"\{(\w+)(?:\.(\w+))?\}")


def only_sentence_initial_capital(tok: Any) -> bool:
    """``tok`` is capitalised only because it starts its sentence ("Warm" in "Warm tips are…"),
    not a name or "I": moved into the middle of a sentence it is written in lower case."""
    text = tok.text
    return (bool(getattr(tok, "is_sent_start", False)) and len(text) > 1 and text[0].isupper()
            and text[1:].islower() and getattr(tok, "pos_", "") != "PROPN")


def render_template(template: str, tokens: dict[str, Any], match_text: str) -> str:
    def sub(m: re.Match) -> str:
        key, attr = m.group(1), m.group(2)
        if key == "match":
            return match_text
        tok = tokens.get(key)
        if tok is None:
            raise KeyError(key)
        if attr is None:
            if m.start() > 0 and only_sentence_initial_capital(tok):
                return tok.text[0].lower() + tok.text[1:]  # no capital carried into the middle
            return tok.text
        if attr == "lemma":
            return tok.lemma_
        if attr == "lower":
            return tok.lower_
        raise KeyError(f"{key}.{attr}")

    return _TEMPLATE.sub(sub, template)


def _replacement_hit(unit: Unit, span, replacements: tuple[str, ...], message: str | None) -> Hit:
    """A hit replacing ``span``. Deleting the first words of a sentence ("Actually the rain…")
    gives the next word the capital: that deletion is an edit running to the end of the next
    word ("Actually the" → "The"), offered first."""
    doc = unit.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    if "" not in replacements or not doc[span.start].is_sent_start or nxt is None \
            or not nxt.text[:1].islower() or nxt.is_punct:
        return Hit(span.start_char, span.end_char, message, replacements, unit=unit)
    edit = (span.start_char, nxt.idx + len(nxt.text), nxt.text[0].upper() + nxt.text[1:])
    rest = tuple(r for r in replacements if r)
    return Hit(span.start_char, span.end_char, message, rest, edits=(edit,), unit=unit)


# --------------------------------------------------------------------------------------------
# Rules


@dataclass
class Rule:
    code: str
    name: str
    category: str
    severity: Severity
    message: str
    docs: dict
    examples: list[Example]
    kind: str
    path: Path
    default: bool = True
    priority: int = 0
    # reported only in articles that read as machine-translated (editor/gate.py)
    mt_articles_only: bool = False
    applicability: Applicability | None = None  # None: the rule proposes no fix
    fix_title: str = ""
    settings: Any = None  # the configuration its examples run with (rule files' ``settings``)

    def hits(self, ctx: CheckContext) -> Iterator[tuple[Unit, Hit]]:
        """Hits found by this rule alone (matcher-based kinds are run by the RuleSet)."""
        return iter(())

    def summary(self) -> list[str]:
        """Lines saying what the rule detects, for ``cleanup rule CODE`` (kinds that have them)."""
        return []

    def describe(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "severity": self.severity.value,
            "kind": self.kind,
            "default": self.default,
            "mt_articles_only": self.mt_articles_only,
            "message": self.message,
            "docs": self.docs,
            "fix": self.applicability.value if self.applicability else None,
            "path": str(self.path),
        }


@dataclass
class MatcherEntry:
    """One pattern of a matcher-based rule: what to flag and how to fix it."""

    rule: Rule
    mark: tuple | None = None  # token slice (phrase/token) or node names (dependency)
    prev: TokenSpec | None = None
    next: TokenSpec | None = None
    replace: tuple[str, ...] = ()
    template: bool = False
    message: str | None = None
    preserve_case: bool = True


@dataclass
class PythonRule(Rule):
    func: Callable | None = None
    options: dict = field(default_factory=dict)

    def hits(self, ctx: CheckContext) -> Iterator[tuple[Unit, Hit]]:
        assert self.func is not None
        for hit in self.func(ctx, self.options):
            yield hit.unit, hit


def _common(spec: RuleSpec) -> dict:
    d = spec.data
    fix = d.get("fix")
    return dict(
        code=d["code"],
        name=d["name"],
        category=d["category"],
        severity=Severity(d["severity"]),
        message=d["message"].strip(),
        docs={k: v.strip() for k, v in d["docs"].items()},
        examples=d["_examples"],
        kind=d["kind"],
        path=spec.path,
        default=d.get("default", True),
        priority=d.get("priority", 0),
        mt_articles_only=d.get("mt-articles-only", False),
        applicability=Applicability(fix["applicability"]) if fix else None,
        fix_title=(fix or {}).get("title", ""),
        settings=_settings(spec),
    )


def _settings(spec: RuleSpec):
    """A rule file's ``settings`` (configuration keys, as in cleanup.toml) → Config, or None."""
    table = spec.data.get("settings")
    if table is None:
        return None
    from editor.config import ConfigError, _from_table

    if not isinstance(table, dict):
        raise spec.error("settings", "'settings' must be a mapping of configuration keys")
    try:
        return _from_table(table, spec.path, "settings.")
    except ConfigError as e:
        raise spec.error("settings", f"{e.key}: {e.problem}") from None


def _as_tuple(v) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return (v,)
    return tuple(str(x) for x in v)


def compile_python(spec: RuleSpec) -> PythonRule:
    target = spec.data["check"]
    module_name, _, func_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except (ImportError, LookupError, ValueError) as e:  # LookupError/ValueError: a word list it reads
        raise spec.error("check", f"cannot import {module_name!r}: {e}") from None
    func = getattr(module, func_name, None)
    if not callable(func):
        raise spec.error("check", f"{module_name!r} has no function {func_name!r}")
    return PythonRule(**_common(spec), func=func, options=dict(spec.data.get("options") or {}))


_GROUP_REF = re.compile(r"\\(\d+)|\\g<(\w+)>")


@dataclass
class RegexRule(Rule):
    """A ``regex`` rule (editor.engine.regexes): runs on its own over the text of every unit."""

    patterns: tuple[re.Pattern, ...] = ()
    mark: int | str = 0
    replace: tuple[str, ...] = ()

    def hits(self, ctx: CheckContext) -> Iterator[tuple[Unit, Hit]]:
        from editor.engine.regexes import regex_hits

        for hit in regex_hits(ctx, self.patterns, self.mark, self.replace):
            yield hit.unit, hit

    def summary(self) -> list[str]:
        """What ``cleanup rule CODE`` shows of the rule's detection."""
        return [f"regex: {p.pattern}" for p in self.patterns]


def compile_regex(spec: RuleSpec, lists: WordLists) -> RegexRule:
    from editor.engine.regexes import expand_pattern, flag_bits

    d = spec.data
    sources = [d["pattern"]] if isinstance(d["pattern"], str) else d["pattern"]
    flags = flag_bits([d["flags"]] if isinstance(d.get("flags"), str) else d.get("flags") or [])
    where = (spec.path, spec.line("pattern"))
    patterns = []
    for source in sources:
        try:
            patterns.append(re.compile(expand_pattern(source, lambda name: lists.get(name, where)), flags))
        except re.error as e:
            raise spec.error("pattern", f"bad regular expression {source!r}: {e}") from None
    mark = d.get("mark", 0)
    for p in patterns:
        if (isinstance(mark, int) and mark > p.groups) or (isinstance(mark, str) and mark not in p.groupindex):
            raise spec.error("mark", f"'mark' names group {mark!r}, which {p.pattern!r} does not have")
    replace = _as_tuple(d.get("replace"))
    if replace and spec.data.get("fix") is None:
        raise spec.error("replace", "the rule has a 'replace' but no 'fix'")
    for template in replace:
        for num, name in _GROUP_REF.findall(template):
            if any((num and int(num) > p.groups) or (name and name not in p.groupindex and not name.isdigit())
                   for p in patterns):
                raise spec.error("replace", f"replace template {template!r} names a group a pattern does not have")
    return RegexRule(**_common(spec), patterns=tuple(patterns), mark=mark, replace=replace)


@dataclass
class LemmaPairRule(Rule):
    """A ``lemma-pair`` rule (editor.engine.lemma_pairs): collocations keyed on lemmas."""

    pairs: tuple = ()

    def hits(self, ctx: CheckContext) -> Iterator[tuple[Unit, Hit]]:
        from editor.engine.lemma_pairs import pair_hits

        for hit in pair_hits(ctx, self.pairs):
            yield hit.unit, hit

    def summary(self) -> list[str]:
        return [pair.describe() for pair in self.pairs]


def compile_lemma_pairs(spec: RuleSpec, lists: WordLists) -> LemmaPairRule:
    from editor.engine.lemma_pairs import LemmaPair

    where = (spec.path, spec.line("pairs"))
    pairs = []
    for p in spec.data["pairs"]:
        heads, deps = (expand_lists([p[k]] if isinstance(p[k], str) else p[k], lists, where) for k in ("heads", "deps"))
        suggest = _as_tuple(p.get("suggest"))
        if suggest and spec.data.get("fix") is None:
            raise spec.error("pairs", f"a pair suggests {list(suggest)} but the rule has no 'fix'")
        pairs.append(LemmaPair(p["relation"], frozenset(heads), frozenset(deps), suggest, p.get("message")))
    return LemmaPairRule(**_common(spec), pairs=tuple(pairs))


SELF_RUNNING = (PythonRule, RegexRule, LemmaPairRule)


class RuleSet:
    """The enabled rules, with shared matchers built once per process."""

    def __init__(self, rules: list[Rule], specs: dict[str, RuleSpec], lists: WordLists, nlp):
        self.rules = rules
        self.by_code = {r.code: r for r in rules}
        self.priorities = {r.code: r.priority for r in rules if r.priority}  # read by pipeline.resolve
        self.gated = frozenset(r.code for r in rules if r.mt_articles_only)  # read by pipeline.gate
        self.nlp = nlp
        self._entries: list[MatcherEntry] = []
        # rules that run on their own (not through the shared matchers), in rule order
        self._python: list[Rule] = [r for r in rules if isinstance(r, SELF_RUNNING)]
        # checks with work that needs only the segments (a speller's lint): started before the
        # parse, in a thread, and read back from ``CheckContext.prepared`` by the check
        self.preparers: dict[str, Callable] = {
            r.code: r.func.prepare for r in self._python
            if isinstance(r, PythonRule) and callable(getattr(r.func, "prepare", None))}
        self._build(specs, lists)

    # -- compilation ------------------------------------------------------------------------

    def _key(self, entry: MatcherEntry) -> str:
        self._entries.append(entry)
        return f"{entry.rule.code}#{len(self._entries) - 1}"

    def _build(self, specs: dict[str, RuleSpec], lists: WordLists) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        from editor.engine.dep_matcher import dependency_matcher

        vocab = self.nlp.vocab
        self.phrase_matcher = PhraseMatcher(vocab, attr="LOWER")
        self.matcher = Matcher(vocab, validate=True)
        self.dep_matcher = dependency_matcher(vocab, validate=True)  # spaCy's, linear in long sentences
        self._has = {"phrase": False, "token": False, "dep": False}
        for rule in self.rules:
            if isinstance(rule, SELF_RUNNING):
                continue
            spec = specs[rule.code]
            try:
                if rule.kind == "phrase":
                    self._add_phrases(rule, spec, lists)
                elif rule.kind == "substitution":
                    self._add_swaps(rule, spec)
                elif rule.kind == "token-pattern":
                    self._add_token_patterns(rule, spec, lists)
                elif rule.kind == "dependency-pattern":
                    self._add_dep_patterns(rule, spec, lists)
            except RuleFileError:
                raise
            except Exception as e:  # spaCy's pattern validation errors
                msg = str(e).strip().splitlines()
                detail = " ".join(line.strip() for line in msg if line.strip())[:300]
                raise spec.error("patterns" if "patterns" in spec.data else None, f"bad pattern: {detail}") from None

    def _add_phrases(self, rule: Rule, spec: RuleSpec, lists: WordLists) -> None:
        for i, p in enumerate(spec.data["phrases"]):
            if isinstance(p, str):
                p = {"phrase": p}
            line = spec.line("phrases")
            entry = MatcherEntry(
                rule=rule,
                prev=TokenSpec(expand_lists(p["prev"], lists, (spec.path, line)), spec.path, line) if p.get("prev") else None,
                next=TokenSpec(expand_lists(p["next"], lists, (spec.path, line)), spec.path, line) if p.get("next") else None,
                replace=_as_tuple(p.get("replace")),
                message=p.get("message"),
            )
            if entry.replace and rule.applicability is None:
                raise spec.error("phrases", f"phrase {p['phrase']!r} has a replacement but the rule has no 'fix'")
            self.phrase_matcher.add(self._key(entry), [self.nlp.make_doc(p["phrase"])])
            self._has["phrase"] = True

    def _add_swaps(self, rule: Rule, spec: RuleSpec) -> None:
        if rule.applicability is None:
            raise spec.error("swap", "a substitution rule needs 'fix' with its applicability")
        for wrong, right in spec.data["swap"].items():
            entry = MatcherEntry(rule=rule, replace=_as_tuple(right))
            self.phrase_matcher.add(self._key(entry), [self.nlp.make_doc(wrong)])
            self._has["phrase"] = True

    def _add_token_patterns(self, rule: Rule, spec: RuleSpec, lists: WordLists) -> None:
        mark = spec.data.get("mark")
        if mark is not None and not (isinstance(mark, list) and len(mark) == 2 and all(isinstance(x, int) for x in mark)):
            raise spec.error("mark", "'mark' of a token pattern is [start, end], token indexes of the match")
        replace = _as_tuple(spec.data.get("replace"))
        if replace and rule.applicability is None:
            raise spec.error("replace", "the rule has a 'replace' but no 'fix'")
        patterns = expand_lists(spec.data["patterns"], lists, (spec.path, spec.line("patterns")))
        entry = MatcherEntry(rule=rule, mark=tuple(mark) if mark else None, replace=replace, template=True)
        self.matcher.add(self._key(entry), patterns, greedy="LONGEST")
        self._has["token"] = True

    def _add_dep_patterns(self, rule: Rule, spec: RuleSpec, lists: WordLists) -> None:
        patterns = expand_lists(spec.data["patterns"], lists, (spec.path, spec.line("patterns")))
        names = [node.get("RIGHT_ID") for node in patterns[0] if isinstance(node, dict)]
        mark = spec.data.get("mark") or names
        if not isinstance(mark, list) or not all(isinstance(m, str) for m in mark):
            raise spec.error("mark", "'mark' of a dependency pattern is a list of node names")
        for pattern in patterns:
            pnames = [node.get("RIGHT_ID") for node in pattern if isinstance(node, dict)]
            unknown = [m for m in mark if m not in pnames]
            if unknown:
                raise spec.error("mark", f"'mark' names nodes the pattern does not have: {unknown}")
        replace = _as_tuple(spec.data.get("replace"))
        if replace and rule.applicability is None:
            raise spec.error("replace", "the rule has a 'replace' but no 'fix'")
        for pattern in patterns:
            pnames = [node.get("RIGHT_ID") for node in pattern]
            entry = MatcherEntry(rule=rule, mark=tuple(pnames.index(m) for m in mark), replace=replace, template=True)
            entry.names = pnames  # type: ignore[attr-defined]
            self.dep_matcher.add(self._key(entry), [pattern])
            self._has["dep"] = True

    # -- running ----------------------------------------------------------------------------

    def run(self, ctx: CheckContext) -> Iterator[tuple[Rule, Unit, Hit]]:
        strings = self.nlp.vocab.strings
        for unit in ctx.units:
            doc = unit.doc
            if self._has["phrase"]:
                yield from self._phrase_hits(unit, self.phrase_matcher(doc), strings)
            if self._has["token"]:
                yield from self._token_hits(unit, self.matcher(doc), strings)
            if self._has["dep"]:
                yield from self._dep_hits(unit, self.dep_matcher(doc), strings)
        for rule in self._python:
            for unit, hit in rule.hits(ctx):
                yield rule, unit, hit

    def _entry(self, strings, match_id) -> MatcherEntry:
        return self._entries[int(strings[match_id].rsplit("#", 1)[1])]

    def _phrase_hits(self, unit: Unit, matches, strings):
        doc = unit.doc
        for match_id, start, end in matches:
            entry = self._entry(strings, match_id)
            prev_tok = doc[start - 1] if start > 0 else None
            next_tok = doc[end] if end < len(doc) else None
            if entry.prev and not entry.prev.matches(prev_tok):
                continue
            if entry.next and not entry.next.matches(next_tok):
                continue
            span = doc[start:end]
            repl = tuple(match_case(span.text, r) for r in entry.replace)
            msg = entry.message.format(match=span.text) if entry.message else None
            yield entry.rule, unit, _replacement_hit(unit, span, repl, msg)

    def _token_hits(self, unit: Unit, matches, strings):
        doc = unit.doc
        for match_id, start, end in matches:
            entry = self._entry(strings, match_id)
            toks = list(doc[start:end])
            if entry.mark:
                a, b = entry.mark
                toks = toks[a:b] if b != 0 else toks[a:]
            if not toks:
                continue
            span = doc[toks[0].i : toks[-1].i + 1]
            yield entry.rule, unit, self._templated(unit, entry, span, {str(i): t for i, t in enumerate(toks)})

    def _dep_hits(self, unit: Unit, matches, strings):
        doc = unit.doc
        for match_id, token_ids in matches:
            entry = self._entry(strings, match_id)
            marked = [token_ids[k] for k in entry.mark]
            span = doc[min(marked) : max(marked) + 1]
            names = entry.names  # type: ignore[attr-defined]
            tokens = {name: doc[tid] for name, tid in zip(names, token_ids)}
            yield entry.rule, unit, self._templated(unit, entry, span, tokens)

    def _templated(self, unit: Unit, entry: MatcherEntry, span, tokens) -> Hit:
        repl = []
        for t in entry.replace:
            try:
                r = render_template(t, tokens, span.text)
            except KeyError as e:
                raise RuleFileError(entry.rule.path, None, f"replace template names unknown token {e}") from None
            repl.append(match_case(span.text, r))
        return _replacement_hit(unit, span, tuple(repl), None)
