"""spaCy's DependencyMatcher, with the same matches in the same order, in time linear in the doc.

spaCy's own is quadratic where a sentence is long (hostile input without sentence ends: 30,000
inline code spans, a 20 KB chunk of "x word x word …" parsed as one sentence): for every token a
node pattern matches it walks the whole chain of ancestors to find the root, and it tries the
cartesian product of every node's candidates under one root, checking the relations only
afterwards (MT105's verb × "work" × noun in a 5,000-token sentence).  Here the roots come from one
pass over the heads, and each node's candidates are narrowed by its already matched parent
(a child of it, for ``>``) before the next node is tried: the valid matches, in the product's
order.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache


def dependency_matcher(vocab, **kwargs):
    """A :class:`spacy.matcher.DependencyMatcher` that matches in linear time."""
    return _matcher_class()(vocab, **kwargs)


@lru_cache(maxsize=1)
def _matcher_class():
    from spacy.matcher import DependencyMatcher

    class LinearDependencyMatcher(DependencyMatcher):
        def _get_keys_to_position_maps(self, doc):
            roots = sentence_roots(doc)
            keys_to_position_maps = defaultdict(lambda: defaultdict(list))
            for match_id, start, end in self._matcher(doc):
                if start + 1 != end:  # a node pattern spans one token: spaCy warns (W110) and so do we
                    return super()._get_keys_to_position_maps(doc)
                keys_to_position_maps[roots[start]][match_id].append(start)
            return keys_to_position_maps

        def _get_matches(self, cache, doc, tree, tokens_to_key, keys_to_position):
            positions = [keys_to_position[key] for key in tokens_to_key]
            parent = _parents(tree, len(positions))
            if parent is None or any(len(set(p)) != len(p) for p in positions):
                yield from super()._get_matches(cache, doc, tree, tokens_to_key, keys_to_position)
                return
            rank = [{pos: k for k, pos in enumerate(p)} for p in positions]
            match: list[int] = [0] * len(positions)

            def candidates(i: int):
                if i == 0:
                    return positions[0]
                left, relop = parent[i]
                valid = self._resolve_node_operator(cache, doc, match[left], relop)
                return sorted({v for v in valid if v in rank[i]}, key=rank[i].__getitem__)

            def extend(i: int):
                if i == len(positions):
                    yield list(match)
                    return
                for pos in candidates(i):
                    match[i] = pos
                    yield from extend(i + 1)

            yield from extend(0)

    return LinearDependencyMatcher


def _parents(tree, n: int) -> dict[int, tuple[int, str]] | None:
    """Node -> (its parent node, the relation), when every node but the first has one parent
    that comes before it (spaCy's validation makes patterns so); None otherwise."""
    parent: dict[int, tuple[int, str]] = {}
    for left, relations in tree.items():
        for relop, right in relations:
            if right in parent or not left < right:
                return None
            parent[right] = (left, relop)
    return parent if sorted(parent) == list(range(1, n)) else None


def sentence_roots(doc) -> list[int]:
    """The index of the top of each token's chain of heads (its ``ancestors``' last), for every
    token, in one pass: each chain is walked once, then remembered."""
    heads = [t.head.i for t in doc]
    root = [-1] * len(heads)
    for i in range(len(heads)):
        path = []
        j = i
        while root[j] < 0 and heads[j] != j:
            path.append(j)
            j = heads[j]
        top = root[j] if root[j] >= 0 else j
        root[j] = top
        for k in path:
            root[k] = top
    return root
