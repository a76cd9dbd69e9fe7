"""Meta-test: no word list written inside Python checks — word lists live in ``rules/lists/``.

A "word list" is a set/list/tuple/frozenset/dict literal holding 4 or more English word strings
(nested tuples flattened). spaCy's labels (the loaded model's tags, dependency labels and entity
types, plus the universal POS tags) and punctuation are not words. A check reads its words with
``editor.engine.lists.words(NAME)`` / ``word_list(NAME)`` or references ``@NAME`` from rule YAML.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = sorted((ROOT / "editor" / "checks").rglob("*.py")) + [ROOT / "editor" / "chrome.py"]
MIN_WORDS = 4
_WORD = re.compile(r"^[A-Za-z][A-Za-z'’.-]*(?: [A-Za-z][A-Za-z'’.-]*)*$")
# a whole string that is one alternation, "a|an|the" or "(?:a|an|the)" (a word list pasted into a
# regular expression; words inside a larger expression, such as a date pattern, are its grammar)
_ALTERNATION_GROUP = re.compile(r"^\((?:\?:)?(.*)\)$", re.S)


@pytest.fixture(scope="module")
def labels() -> frozenset[str]:
    """Every label the loaded model can put on a token, and the universal POS tags."""
    from spacy.parts_of_speech import IDS

    from editor.nlp import load_model

    nlp = load_model()
    found = {pos for pos in IDS if pos}
    for name in ("tagger", "parser", "ner", "morphologizer", "senter"):
        if nlp.has_pipe(name):
            found.update(nlp.get_pipe(name).labels)
    return frozenset(found)


def _is_word(s) -> bool:
    return isinstance(s, str) and bool(_WORD.match(s))


def _strings(node: ast.AST):
    """The strings of a literal, nested tuples/lists/sets flattened. A dict that maps words to
    words counts its keys and values; any other dict is a record: its keys are field names."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        for elt in node.elts:
            yield from _strings(elt)
    elif isinstance(node, ast.Dict):
        word_map = all(isinstance(v, ast.Constant) and _is_word(v.value) for v in node.values)
        for part in (*(node.keys if word_map else ()), *node.values):
            if part is not None:
                yield from _strings(part)


def _split_words(node: ast.Call) -> list[str] | None:
    """The words of ``"a b c".split()`` or ``"a|b|c".split("|")`` (through ``.replace`` calls)."""
    if not (isinstance(node.func, ast.Attribute) and node.func.attr == "split"):
        return None
    target = node.func.value
    while isinstance(target, ast.Call) and isinstance(target.func, ast.Attribute) and target.func.attr == "replace":
        target = target.func.value
    if not (isinstance(target, ast.Constant) and isinstance(target.value, str)):
        return None
    sep = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None
    text = target.value.replace("\n", sep) if sep else target.value
    return [w.strip() for w in text.split(sep)]


def _literals(tree: ast.AST):
    """(node, strings) of the outermost set/list/tuple/dict literals, of ``"a b c".split()`` calls
    and of ``"a|b|c"`` alternations (a word list pasted into a regular expression)."""
    inner: set[int] = set()
    for node in ast.walk(tree):
        if id(node) in inner:
            continue
        strings = None
        if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
            strings = list(_strings(node))
        elif isinstance(node, ast.Call):
            strings = _split_words(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.count("|") >= 3:
            pieces = _ALTERNATION_GROUP.sub(r"\1", node.value).split("|")
            strings = pieces if all(_is_word(p) for p in pieces) else None
        if strings:
            inner.update(id(sub) for sub in ast.walk(node) if sub is not node)
            yield node, strings


def word_lists_in(path: Path, labels: frozenset[str]) -> list[str]:
    """``file:line: N words (first few)`` for every word-list literal of one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node, strings in sorted(_literals(tree), key=lambda item: item[0].lineno):
        words = [s for s in strings if _is_word(s) and s not in labels]
        if len(words) >= MIN_WORDS:
            rel = path.relative_to(ROOT)
            found.append(f"{rel}:{node.lineno}: {len(words)} words ({', '.join(words[:5])}, ...)")
    return found


SAMPLE = """\
TAGS = ("VBD", "VBZ", "VBP", "MD")
DEPS = {"nsubj", "dobj", "ROOT", "PROPN", "GPE"}
MARKS = {"，": ",", "。": ".", "；": ";", "：": ":"}
RECORD = {"code": "X1", "name": "n", "docs": {"what": "a sentence, long.", "why": "b."}, "kind": "k"}
THREE = ("it", "this", "that")
PAIRS = (("such", "as"), ("for", "example"))
SWAPS = {"will": "would", "can": "could"}
FILLERS = frozenset("to on this the".split())
ALTERNATION = r"(?:a|an|the|each)"
"""


def test_the_scanner_finds_word_lists_and_ignores_labels_punctuation_and_records(tmp_path, labels):
    module = tmp_path / "m.py"
    module.write_text(SAMPLE, encoding="utf-8")
    global ROOT
    root, ROOT = ROOT, tmp_path
    try:
        found = [line.split(":")[1] for line in word_lists_in(module, labels)]
    finally:
        ROOT = root
    assert found == ["6", "7", "8", "9"]


def test_no_word_lists_in_checks(labels):
    offenders = [line for path in SCANNED for line in word_lists_in(path, labels)]
    assert not offenders, (
        "word lists written in Python (move each to rules/lists/NAME.txt and read it with "
        "editor.engine.lists.words/word_list):\n" + "\n".join(offenders)
    )
