import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
os.environ.setdefault("NO_COLOR", "1")
# The learned detector (editor/models/detector/, on by default in the product) is off for the suite:
# the rules' tests and snapshots do not move when the model is retrained.  Its own tests
# (tests/backends/test_detector*.py) turn it on, the shipped model included.
os.environ.setdefault("CLEANUP_DETECTOR_MODEL", "off")


@pytest.fixture(scope="session")
def nlp():
    from editor.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


def copy_starter_rules(folder: Path) -> Path:
    """The starter rules, built-in rules and word lists in ``folder``: a stable rule set for machinery tests.

    ST101 ("can not" → "cannot", a safe fix at warning) is opt-in in the product (its dev-set
    evidence is at chance), but it is the machinery tests' warning rule with a safe fix: on here.
    """
    import shutil

    shutil.copytree(ROOT / "rules" / "starter", folder / "starter")
    shutil.copytree(ROOT / "rules" / "lists", folder / "lists")
    shutil.copytree(ROOT / "rules" / "builtin", folder / "builtin")  # CU001, CU101: the machinery's rules
    st101 = folder / "starter" / "ST101-can-not-for-cannot.yaml"
    text = st101.read_text(encoding="utf-8")
    assert "\ndefault: false\n" in text
    st101.write_text(text.replace("\ndefault: false\n", "\ndefault: true\n"), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def rules_folder(tmp_path_factory) -> Path:
    """A stable rule folder (the starter rules and word lists) for tests of the machinery."""
    return copy_starter_rules(tmp_path_factory.mktemp("rules"))


@pytest.fixture
def starter_env(rules_folder, monkeypatch, tmp_path) -> Path:
    """Run the CLI from a fresh folder with the starter rules and no colour."""
    monkeypatch.setenv("CLEANUP_RULES", str(rules_folder))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    return tmp_path
