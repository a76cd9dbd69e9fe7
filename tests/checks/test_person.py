"""Person drift (MT409), a document-level check."""

from __future__ import annotations

from editor.checks.person import person_drift
from tests.checks.support import hit_spans


# -- MT409 person drift (document level) --------------------------------------------------------

def test_person_drift_sets_unit_and_needs_you(parse):
    units = parse("If you swim, you should warm up first.", "Adjust the pace to their own level.")
    hits = hit_spans(person_drift, units)
    assert hits == [(1, "their own", ("your own",))]
    assert hit_spans(person_drift, parse("Adjust the pace to their own level.")) == []


def test_person_drift_antecedent_and_distance(parse):
    units = parse("You can swim here.", "You should rest.", "Children pick their own lanes.")
    assert hit_spans(person_drift, units) == []
    far = parse("You can swim here; you should rest.", "A.", "B.", "C.", "D.", "Pick the pace by their own feel.")
    assert hit_spans(person_drift, far) == []
