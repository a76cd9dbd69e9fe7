"""Fixtures shared by the tests of editor/checks."""

from __future__ import annotations

import pytest

from tests.checks.support import units_of


@pytest.fixture(scope="module")
def parse(nlp):
    """``parse(*paragraphs)``: one parsed unit a paragraph, as the pipeline builds them."""
    return lambda *paragraphs: units_of(nlp, *paragraphs)
