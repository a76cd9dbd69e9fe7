"""editor.backends.kind_table: the engines' kinds of problem → our category and severity."""

from editor.backends import kind_table
from editor.backends.harper import KINDS
from editor.backends.languagetool import ISSUE_TYPES
from editor.findings import Severity


def test_kind_table_maps_each_kind_to_its_category_and_severity() -> None:
    table = kind_table(warning={"spelling": ("Typo", "Eggcorn"), "grammar": ("Agreement",)},
                       info={"style": ("Usage",)})
    assert table == {"Typo": ("spelling", Severity.WARNING), "Eggcorn": ("spelling", Severity.WARNING),
                     "Agreement": ("grammar", Severity.WARNING), "Usage": ("style", Severity.INFO)}


def test_the_engines_tables() -> None:
    assert KINDS["Capitalization"] == ("typography", Severity.WARNING)
    assert KINDS["Formatting"] == ("typography", Severity.INFO)
    assert KINDS["Enhancement"] == ("style", Severity.INFO)
    assert len(KINDS) == 20
    assert ISSUE_TYPES["duplication"] == ("grammar", Severity.WARNING)
    assert ISSUE_TYPES["whitespace"] == ("typography", Severity.INFO)
    assert len(ISSUE_TYPES) == 9
