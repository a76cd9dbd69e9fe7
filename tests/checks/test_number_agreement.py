"""Tricky cases for subject-verb number agreement (MT406-MT408)."""

from __future__ import annotations

import pytest

from editor.checks.number_agreement import coordinated_subject, gerund_subject, plural_subject
from tests.checks.support import flagged


# -- MT406-MT408 agreement -----------------------------------------------------------------------

@pytest.mark.parametrize("check,text", [
    (coordinated_subject, "Each boy and each girl has a seat."),
    (coordinated_subject, "Bread and butter is my breakfast."),
    (coordinated_subject, "Is the noise and the dust a problem?"),
    (gerund_subject, "Eating and drinking are forbidden."),
    (gerund_subject, "What matters are the results."),
    (plural_subject, "The news is good."),
    (plural_subject, "Ten years is a long time."),
    (plural_subject, "The customs has seized the goods."),
    (plural_subject, "The bag of apples is heavy."),
])
def test_agreement_allows(parse, check, text):
    assert flagged(check, parse, text) == []


def test_agreement_flags_auxiliary(parse):
    assert flagged(coordinated_subject, parse, "The noise and the dust is terrible.") == ["is"]
    assert flagged(plural_subject, parse, "The tickets was sold out by noon.") == ["was"]
