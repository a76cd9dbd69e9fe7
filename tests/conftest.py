import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
os.environ.setdefault("NO_COLOR", "1")


@pytest.fixture(scope="session")
def nlp():
    from editor.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def rules_folder(tmp_path_factory) -> Path:
    """A stable rule folder (the starter rules and word lists) for tests of the machinery."""
    import shutil

    folder = tmp_path_factory.mktemp("rules")
    shutil.copytree(ROOT / "rules" / "starter", folder / "starter")
    shutil.copytree(ROOT / "rules" / "lists", folder / "lists")
    return folder


@pytest.fixture
def starter_env(rules_folder, monkeypatch, tmp_path) -> Path:
    """Run the CLI from a fresh folder with the starter rules and no colour."""
    monkeypatch.setenv("CLEANUP_RULES", str(rules_folder))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    return tmp_path
