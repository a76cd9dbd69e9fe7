"""The GitHub Action (action.yml): its shell steps run here exactly as written, in order, with the
environment GitHub gives them (inputs through ``env:``, ``$GITHUB_OUTPUT``, ``$GITHUB_STEP_SUMMARY``,
``bash --noprofile --norc -eo pipefail``), on a real git repository with a pull request.

The install step runs for real too: ``pip install`` of this checkout into a fresh virtual
environment (whose other packages come from the test environment through a ``.pth`` file, so that
nothing else is downloaded). The ``uses:`` steps (setup-python, upload-sarif) belong to GitHub;
the test checks whether they would run and with what.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"


def load_action() -> dict:
    return YAML(typ="safe").load(ACTION.read_text(encoding="utf-8"))


class StepRun:
    def __init__(self, name, skipped=False, code=0, out="", err="", outputs=None, uses=None, with_=None):
        self.name, self.skipped, self.code, self.out, self.err = name, skipped, code, out, err
        self.outputs = outputs or {}
        self.uses, self.with_ = uses, with_ or {}

    def __repr__(self):
        return f"StepRun({self.name!r}, skipped={self.skipped}, code={self.code}, out={self.out!r}, err={self.err!r})"


class ActionRun:
    """Runs action.yml's steps like GitHub's runner (only the expressions action.yml uses)."""

    def __init__(self, repo: Path, temp: Path, python_bin: Path, inputs: dict, base: str | None):
        self.action = load_action()
        self.repo, self.temp, self.python_bin = repo, temp, python_bin
        self.given = inputs
        self.context = {"github.action_path": str(ROOT), "runner.temp": str(temp),
                        "github.event.pull_request.base.sha": base or ""}
        self.outputs: dict[str, dict] = {}
        self.summary = temp / "step-summary.md"
        self.summary.write_text("", encoding="utf-8")

    def input(self, name: str) -> str:
        spec = self.action["inputs"][name]  # an unknown input is a KeyError: action.yml must declare it
        if name in self.given:
            return str(self.given[name])
        return self.sub(str(spec.get("default", "")))

    def expr(self, e: str) -> str:
        e = e.strip()
        if e.startswith("inputs."):
            return self.input(e[len("inputs."):])
        if e.startswith("steps."):
            _, sid, kind, name = e.split(".", 3)
            assert kind == "outputs"
            return self.outputs.get(sid, {}).get(name, "")
        if e in self.context:
            return self.context[e]
        raise AssertionError(f"action.yml uses an expression this test does not know: {e}")

    def sub(self, s: str) -> str:
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: self.expr(m.group(1)), s)

    def cond(self, s: str) -> bool:
        ok = True
        for part in s.split("&&"):
            m = re.fullmatch(r"\s*([\w.-]+)\s*(==|!=)\s*'([^']*)'\s*", part)
            assert m, f"condition this test does not know: {part}"
            value = self.expr(m.group(1))
            ok = ok and ((value == m.group(3)) == (m.group(2) == "=="))
        return ok

    def run(self, skip: tuple[str, ...] = ()) -> dict[str, StepRun]:
        done: dict[str, StepRun] = {}
        for i, step in enumerate(self.action["runs"]["steps"]):
            name = step.get("name", f"step {i}")
            if name in skip or ("if" in step and not self.cond(step["if"])):
                done[name] = StepRun(name, skipped=True)
                continue
            if "uses" in step:
                done[name] = StepRun(name, uses=step["uses"], with_={k: self.sub(str(v)) for k, v in step.get("with", {}).items()})
                continue
            assert step["shell"] == "bash" and "${{" not in step["run"], "shell steps read inputs from env: only"
            out_file = self.temp / f"output-{i}"
            out_file.write_text("", encoding="utf-8")
            script = self.temp / f"step-{i}.sh"
            script.write_text(step["run"], encoding="utf-8")
            env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CLEANUP_", "VIRTUAL_ENV"))}
            env.update({k: self.sub(str(v)) for k, v in step.get("env", {}).items()})
            env.update({"PATH": f"{self.python_bin}{os.pathsep}{os.environ['PATH']}", "GITHUB_OUTPUT": str(out_file),
                        "GITHUB_STEP_SUMMARY": str(self.summary), "GITHUB_ACTIONS": "true", "NO_COLOR": "1"})
            proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=self.repo,
                                  env=env, capture_output=True, text=True, timeout=600)
            outputs = dict(line.split("=", 1) for line in out_file.read_text(encoding="utf-8").splitlines() if "=" in line)
            if "id" in step:
                self.outputs[step["id"]] = outputs
            done[name] = StepRun(name, code=proc.returncode, out=proc.stdout, err=proc.stderr, outputs=outputs)
            if proc.returncode != 0:
                break  # GitHub stops at a failing step
        return done


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
                                   GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")).stdout.strip()


def write(repo: Path, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        p = repo / name
        if text is None:
            p.unlink()
            continue
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def make_repo(path: Path, base: dict, change: dict) -> tuple[Path, str]:
    """A repository whose main has ``base`` and whose HEAD (the pull request) changes ``change``."""
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    write(path, base)
    git(path, "add", "-A")
    git(path, "commit", "-qm", "base")
    sha = git(path, "rev-parse", "HEAD")
    git(path, "checkout", "-qb", "pr")
    write(path, change)
    git(path, "add", "-A")
    git(path, "commit", "-qm", "pull request")
    return path, sha


BASE = {
    ".cleanup.toml": 'exclude = ["drafts/"]\n',
    "a.md": "All is well here.\n",
    "b.md": "# Notes\n\nThe bridge is open.\n",
    "notes.py": "print('the pump can not start')\n",
}
PR = {
    "a.md": None,  # deleted: nothing to check
    "b.md": "# Notes\n\nThe bridge is open. She has alot of books.\n",  # ST105, warning
    "c.txt": "He is also need to go.\n",  # MT201, error
    "drafts/d.md": "She has alot of books.\n",  # excluded by the configuration
    "notes.py": "print('the pump can not start!')\n",  # not an article
}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The action's install step, run for real into a fresh virtual environment; its bin folder."""
    folder = tmp_path_factory.mktemp("action-venv")
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    site = next((venv / "lib").glob("python*/site-packages"))
    (site / "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    repo = folder / "repo"
    repo.mkdir()
    run = ActionRun(repo, folder, venv / "bin", {}, None)
    steps = run.run(skip=tuple(s.get("name") for s in run.action["runs"]["steps"] if s.get("name") != "Install cleanup"))
    step = steps["Install cleanup"]
    assert step.code == 0, step
    cleanup = venv / "bin" / "cleanup"
    assert cleanup.exists()
    # the action's copy, not the test environment's editable checkout
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import editor; print(editor.__file__)"],
                           capture_output=True, text=True, check=True, cwd=repo).stdout
    assert str(venv) in where
    return venv / "bin"


def test_action_is_a_composite_action_with_declared_inputs_and_outputs():
    action = load_action()
    assert action["runs"]["using"] == "composite"
    assert {"paths", "base", "fail-on", "sarif-file", "upload-sarif"} <= set(action["inputs"])
    assert {"findings", "exit-code", "sarif-file"} <= set(action["outputs"])
    uses = [s["uses"] for s in action["runs"]["steps"] if "uses" in s]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)


def test_pull_request_changed_articles_are_checked_and_sarif_is_uploaded(installed, tmp_path):
    import jsonschema

    repo, base = make_repo(tmp_path / "repo", BASE, PR)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    run = ActionRun(repo, temp, installed, {}, base)
    steps = run.run(skip=("Install cleanup",))
    assert steps["Set up Python"].uses.startswith("actions/setup-python@")
    assert steps["Find the articles to check"].outputs["count"] == "3"  # b.md, c.txt, drafts/d.md
    check = steps["Check"]
    assert check.code == 0 and check.outputs["exit-code"] == "1"
    sarif = json.loads((repo / "cleanup.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, json.loads(SCHEMA.read_text(encoding="utf-8")))
    results = sarif["runs"][0]["results"]
    located = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results}
    assert ("ST105", "b.md") in located and ("MT201", "c.txt") in located
    assert {uri for _, uri in located} == {"b.md", "c.txt"}  # drafts/ excluded, notes.py and a.md not articles/gone
    assert check.outputs["findings"] == str(len(results))
    assert re.search(r"^::warning file=b\.md,line=3,col=\d+,endLine=3,endColumn=\d+,title=ST105::", check.out, re.M)
    assert re.search(r"^::warning file=c\.txt,line=1,.*title=MT201::", check.out, re.M)
    assert f"cleanup: {len(results)} findings" in check.out
    summary = run.summary.read_text(encoding="utf-8")
    assert "### cleanup" in summary and "| `ST105` | warning |" in summary and "| c.txt |" in summary
    upload = steps["Upload SARIF"]
    assert not upload.skipped and upload.with_ == {"sarif_file": "cleanup.sarif", "category": "cleanup"}
    result = steps["Result"]
    assert result.code == 1 and "::error title=cleanup::findings at or above warning" in result.out


def test_clean_changes_pass_and_fail_on_is_honoured(installed, tmp_path):
    repo, base = make_repo(tmp_path / "repo", BASE, {"b.md": "# Notes\n\nShe has alot of books.\n"})
    temp = tmp_path / "t"
    temp.mkdir()
    steps = ActionRun(repo, temp, installed, {"fail-on": "error", "upload-sarif": "false"}, base).run(
        skip=("Install cleanup",))
    assert steps["Check"].outputs["exit-code"] == "0"  # a warning only; fail-on error
    assert steps["Upload SARIF"].skipped
    assert steps["Result"].code == 0


def test_no_changed_articles_means_nothing_to_check(installed, tmp_path):
    repo, base = make_repo(tmp_path / "repo", BASE, {"notes.py": "print(1)\n"})
    temp = tmp_path / "t"
    temp.mkdir()
    steps = ActionRun(repo, temp, installed, {}, base).run(skip=("Install cleanup",))
    assert steps["Find the articles to check"].outputs["count"] == "0"
    assert "no changed articles" in steps["Check"].out
    assert steps["Upload SARIF"].skipped and not (repo / "cleanup.sarif").exists()
    assert steps["Result"].code == 0


def test_shallow_checkout_fetches_the_base_commit(installed, tmp_path):
    origin, base = make_repo(tmp_path / "origin", BASE, PR)
    git(origin, "config", "uploadpack.allowAnySHA1InWant", "true")  # as GitHub allows
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "pr", origin.as_uri(), str(clone)], check=True)
    assert subprocess.run(["git", "cat-file", "-e", f"{base}^{{commit}}"], cwd=clone).returncode != 0
    temp = tmp_path / "t"
    temp.mkdir()
    steps = ActionRun(clone, temp, installed, {"annotations": "false"}, base).run(skip=("Install cleanup",))
    assert steps["Find the articles to check"].outputs["count"] == "3"
    assert steps["Check"].outputs["exit-code"] == "1"
    assert "::warning" not in steps["Check"].out  # annotations off: code scanning shows the findings


def test_other_events_check_every_article_under_paths(installed, tmp_path):
    repo, _ = make_repo(tmp_path / "repo", BASE, PR)
    temp = tmp_path / "t"
    temp.mkdir()
    steps = ActionRun(repo, temp, installed, {"sarif-file": "out/all.sarif"}, None).run(skip=("Install cleanup",))
    assert steps["Find the articles to check"].outputs["count"] == "1"  # "."
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads((repo / "out" / "all.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]}
    assert uris == {"b.md", "c.txt"}
    assert steps["Upload SARIF"].with_["sarif_file"] == "out/all.sarif"


def test_summary_reports_an_unreadable_sarif_in_one_line(tmp_path, capsys):
    from editor.action import main

    assert main(["summary", str(tmp_path / "missing.sarif")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing.sarif" in err[0]
    (tmp_path / "bad.sarif").write_text("{", encoding="utf-8")
    assert main(["summary", str(tmp_path / "bad.sarif")]) == 2


def test_the_documented_workflow_uses_declared_inputs():
    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    workflow = next(YAML(typ="safe").load(b) for b in blocks if "OWNER/cleanup@" in b)
    (step,) = [s for s in workflow["jobs"]["cleanup"]["steps"] if s.get("uses", "").startswith("OWNER/cleanup@")]
    inputs = load_action()["inputs"]
    assert set(step.get("with", {})) <= set(inputs)
    assert workflow["permissions"]["security-events"] == "write"
    # every input the table documents exists, and every input is documented
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", doc, re.M))
    assert documented == set(inputs)
