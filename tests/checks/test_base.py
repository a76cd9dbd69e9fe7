"""The check contract: a Hit names the unit its offsets point into."""

import pytest

from editor.checks.base import Hit


def test_a_hit_without_its_unit_is_refused_where_it_is_made():
    with pytest.raises(TypeError):
        Hit(0, 3)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Hit(0, 3, unit=None)  # type: ignore[arg-type]


def test_unit_is_keyword_only():
    with pytest.raises(TypeError):
        Hit(0, 3, None, (), (), None, object())  # type: ignore[misc]
