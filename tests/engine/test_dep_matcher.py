"""The linear DependencyMatcher finds what spaCy's finds, in the same order, and does not try
every combination of candidates in a long sentence (issue 26, point 2)."""

from __future__ import annotations

import pytest

from editor.engine.dep_matcher import dependency_matcher, sentence_roots

PATTERNS = {
    "verb-work-kind": [[
        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": ["carry", "launch", "conduct"]}}},
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "work", "RIGHT_ATTRS": {"DEP": "dobj", "LEMMA": "work"}},
        {"LEFT_ID": "work", "REL_OP": ">", "RIGHT_ID": "kind", "RIGHT_ATTRS": {"DEP": {"IN": ["compound", "nmod"]}}},
    ]],
    "verb-object-prep-det": [[
        {"RIGHT_ID": "v", "RIGHT_ATTRS": {"POS": "VERB"}},
        {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "o", "RIGHT_ATTRS": {"DEP": {"IN": ["dobj", "nsubj"]}}},
        {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "p", "RIGHT_ATTRS": {"DEP": "prep"}},
        {"LEFT_ID": "o", "REL_OP": ">", "RIGHT_ID": "d", "RIGHT_ATTRS": {"DEP": "det"}},
    ]],
    "noun-any-child-before": [[
        {"RIGHT_ID": "n", "RIGHT_ATTRS": {"POS": "NOUN"}},
        {"LEFT_ID": "n", "REL_OP": ">--", "RIGHT_ID": "c", "RIGHT_ATTRS": {}},
    ]],
}
TEXTS = [
    "The inspectors will carry out safety inspection work in the old market next week.",
    "Our team launched publicity work and rescue work in the villages after the flood.",
    "A farmer put the baskets on the cart, and his daughter drove the cart to the town.",
    "Nobody conducted any survey work; the office sent a letter to the mayor instead.",
    "carry out inspection work and " * 40,
]


@pytest.fixture(scope="module")
def matchers(nlp):
    from spacy.matcher import DependencyMatcher

    ours, theirs = dependency_matcher(nlp.vocab, validate=True), DependencyMatcher(nlp.vocab, validate=True)
    for key, patterns in PATTERNS.items():
        ours.add(key, patterns)
        theirs.add(key, patterns)
    return ours, theirs


def test_same_matches_in_the_same_order_as_spacy(nlp, matchers):
    ours, theirs = matchers
    total = 0
    for doc in nlp.pipe(TEXTS):
        got, want = ours(doc), theirs(doc)
        assert got == want
        total += len(got)
    assert total > 40  # the patterns do match: the comparison is not of two empty lists


def test_sentence_roots_are_the_last_ancestors(nlp):
    for doc in nlp.pipe(TEXTS):
        assert sentence_roots(doc) == [([t] + list(t.ancestors))[-1].i for t in doc]


def test_a_long_sentence_is_not_searched_by_every_combination(nlp, matchers):
    """Under one root, spaCy tries every verb × every "work" × every noun of the sentence; each
    node here takes only the children of its matched parent."""
    ours, _ = matchers
    doc = nlp("carry out inspection work and " * 200)
    calls = []
    real = ours._resolve_node_operator

    def counted(cache, doc, node, operator):
        calls.append(node)
        return real(cache, doc, node, operator)

    ours._resolve_node_operator = counted
    try:
        found = ours(doc)
    finally:
        del ours._resolve_node_operator
    assert found
    assert len(calls) <= 4 * len(doc), (len(calls), len(doc))
