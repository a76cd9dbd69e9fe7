"""The GitHub Action's reporting step (action.yml): ``python -m editor.action summary FILE.sarif``.

Reads the SARIF file ``cleanup check --format sarif`` wrote (one run of the checks, no second
one) and prints what the workflow shows: with ``--annotations``, one workflow command per finding
(the same form as ``--format github``: error, warning, notice); always a summary line; a Markdown
table in the job summary (``$GITHUB_STEP_SUMMARY``), and ``findings=N`` in ``$GITHUB_OUTPUT``.
A missing or unreadable SARIF file is one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from urllib.parse import unquote

from editor.render.github import _command

LEVEL = {"error": "error", "warning": "warning", "note": "notice", "none": "notice"}
SEVERITY = {"error": "error", "warning": "warning", "note": "info", "none": "info"}


class ActionError(Exception):
    pass


def load(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise ActionError(f"{path}: no such file (did cleanup check run?)") from None
    except (OSError, ValueError) as e:
        raise ActionError(f"{path}: not a SARIF file: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("runs"), list):
        raise ActionError(f"{path}: not a SARIF file: no runs")
    return data


def _location(result: dict) -> tuple[str, dict]:
    try:
        phys = result["locations"][0]["physicalLocation"]
    except (KeyError, IndexError, TypeError):
        return "", {}
    return unquote(phys.get("artifactLocation", {}).get("uri", "")), phys.get("region", {})


def annotations(data: dict) -> list[str]:
    out = []
    for run in data["runs"]:
        for inv in run.get("invocations", []):
            for note in inv.get("toolExecutionNotifications", []):
                uri, _ = _location(note)
                out.append(_command("error", note.get("message", {}).get("text", ""), file=uri or None,
                                    title="cleanup"))
        for r in run.get("results", []):
            uri, region = _location(r)
            message = r.get("message", {}).get("text", "")  # with its suggestion, as --format github
            out.append(_command(LEVEL.get(r.get("level", "warning"), "warning"), message, file=uri,
                                line=region.get("startLine"), col=region.get("startColumn"),
                                endLine=region.get("endLine"), endColumn=region.get("endColumn"),
                                title=r.get("ruleId")))
    return out


def counts(data: dict) -> tuple[list[dict], int]:
    results = [r for run in data["runs"] for r in run.get("results", [])]
    failed = sum(1 for run in data["runs"] for inv in run.get("invocations", [])
                 for _ in inv.get("toolExecutionNotifications", []))
    return results, failed


def summary_line(data: dict) -> str:
    results, failed = counts(data)
    by = Counter(SEVERITY.get(r.get("level", "warning"), "warning") for r in results)
    n = len(results)
    detail = ", ".join(f"{by[s]} {s}" for s in ("error", "warning", "info") if by[s])
    files = len({_location(r)[0] for r in results})
    out = f"cleanup: {n} finding{'s' if n != 1 else ''}" + (f" ({detail})" if detail else "")
    if n:
        out += f" in {files} file{'s' if files != 1 else ''}"
    if failed:
        out += f"; {failed} could not be checked"
    return out + "."


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def markdown(data: dict) -> str:
    results, _ = counts(data)
    lines = ["### cleanup", "", summary_line(data).removeprefix("cleanup: ").capitalize(), ""]
    if results:
        by_rule = Counter((r.get("ruleId", "?"), SEVERITY.get(r.get("level", "warning"), "warning")) for r in results)
        lines += ["| findings | rule | severity |", "|---:|---|---|"]
        lines += [f"| {n} | `{_cell(rule)}` | {sev} |" for (rule, sev), n in by_rule.most_common()]
        lines.append("")
        by_file = Counter(_location(r)[0] for r in results)
        lines += ["| findings | article |", "|---:|---|"]
        lines += [f"| {n} | {_cell(path)} |" for path, n in by_file.most_common()]
        lines.append("")
    return "\n".join(lines) + "\n"


def _append(var: str, text: str) -> None:
    target = os.environ.get(var)
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m editor.action")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("summary", help="annotations, a summary line and the job summary from a SARIF file")
    s.add_argument("sarif")
    s.add_argument("--annotations", action="store_true", help="print one workflow command per finding")
    args = parser.parse_args(argv)
    try:
        data = load(args.sarif)
    except ActionError as e:
        print(f"cleanup: {e}", file=sys.stderr)
        return 2
    if args.annotations:
        for line in annotations(data):
            print(line)
    print(summary_line(data))
    _append("GITHUB_STEP_SUMMARY", markdown(data))
    _append("GITHUB_OUTPUT", f"findings={len(counts(data)[0])}\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
