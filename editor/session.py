"""The Python API (``from editor import check_text, check_file, apply_fixes``; docs/api.md).

A :class:`Session` is a loaded model, rule sets and engines kept for many checks: what
``cleanup check`` builds for one run, kept alive. The language server (editor/lsp) and the HTTP
service (editor/web) each hold one. Every check gives the findings ``cleanup check`` gives for the
same file: the nearest configuration (``[tool.cleanup]`` in ``pyproject.toml``, ``cleanup.toml``
or ``.cleanup.toml``; read again when it changes on disk), Harper on unless ignored, LanguageTool
when configured.

Checks hold a lock while they use the model (spaCy pipelines are not documented as thread-safe),
so one session may be shared by threads: their checks run one at a time.

``editor.api.check_text`` / ``get_checker`` stay the low-level entry points (our rules, Harper
only on request, no configuration files) that the tests and benchmarks use.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, NamedTuple

from editor.config import CONFIG_NAMES, DEFAULT, Config, ConfigError, fails, parse_config_file
from editor.document import InputError, SourceDocument, format_of, read_document
from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span
from editor.pipeline import FileReport

__all__ = ["Session", "CheckResult", "FixOutcome", "Location", "check_text", "check_file", "apply_fixes",
           "Finding", "Fix", "Edit", "Span", "Severity", "Applicability", "InputError", "ConfigError"]

FORMATS = ("md", "txt")


class Location(NamedTuple):
    """Where a finding is: 1-based lines and columns, columns in code points, end exclusive
    (the JSON contract's ``line``/``column``/``end_line``/``end_column``)."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class CheckResult:
    """The findings for one text, and what they point into.

    ``findings`` are :class:`editor.findings.Finding` objects, in source order; their spans are
    ``[start, end)`` code-point offsets into ``text``.
    """

    path: str
    text: str
    fmt: str  # "md" | "txt"
    findings: list[Finding]
    words: int
    fail_on: str  # the configuration's fail-on (error | warning | info | never)
    config: Path | None  # the configuration file used, or None for the defaults
    engines: dict[str, str]  # engine -> "on" or why it did not run
    elapsed: float  # seconds
    report: FileReport = field(repr=False)  # the view-model the renderers take (HTML report, SARIF)
    _session: "Session | None" = field(default=None, repr=False, compare=False)

    @property
    def failed(self) -> bool:
        """Would ``cleanup check`` exit 1 for these findings (any at or above ``fail_on``)?"""
        return fails(self.findings, self.fail_on)

    def location(self, finding: Finding) -> Location:
        lines = self.report.doc.lines
        line, column = lines.position(finding.span.start)
        end_line, end_column = lines.position(finding.span.end)
        return Location(line, column, end_line, end_column)

    def flagged(self, finding: Finding) -> str:
        """The flagged text: ``text[finding.span.start:finding.span.end]``."""
        return self.text[finding.span.start:finding.span.end]

    def to_dict(self) -> dict:
        """This file as an entry of the JSON contract's ``files`` (README, "JSON output")."""
        from editor.render.model import finding_dict

        return {"path": self.path, "findings": [finding_dict(f, self.report) for f in self.findings],
                "words": self.words}

    def to_json(self) -> str:
        """The whole JSON contract (version 1) for this one file, as ``cleanup check --format json``."""
        from editor.render.json import render_json

        return render_json([(self.path, self.report, None)])


@dataclass
class FixOutcome:
    text: str  # the text with the fixes applied
    applied: int  # fixes applied (over every pass)
    skipped: int  # fixes not applied because they overlapped one applied before them
    result: CheckResult  # the findings on ``text``

    @property
    def changed(self) -> bool:
        return self.applied > 0


class _Stamp(NamedTuple):
    mtime_ns: int
    size: int


def _stamp(path: Path) -> _Stamp | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return _Stamp(st.st_mtime_ns, st.st_size)


class Session:
    """A loaded model and rules, for many checks in one process.

    ``config``: a configuration file to use for everything (like ``--config``); by default each
    text gets the nearest configuration walking up from its path's folder (from ``root``, or the
    working folder, when it has no path). ``isolated=True`` ignores configuration files.
    ``select``/``ignore`` replace the configuration's lists (like the command-line flags).
    ``harper=False`` does not run Harper (like ``--ignore HARPER``); ``languagetool`` is ``off``,
    ``local`` or a server URL (default: ``$CLEANUP_LANGUAGETOOL``, then the configuration).
    """

    def __init__(self, *, config: str | os.PathLike | None = None, isolated: bool = False,
                 select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                 model: str | None = None, harper: bool = True, languagetool: str | None = None,
                 root: str | os.PathLike | None = None):
        self.explicit = Path(config).absolute() if config is not None else None
        self.isolated = isolated
        self.select = list(select) if select is not None else None
        self.ignore = list(ignore) if ignore is not None else None
        self.model = model
        self.harper = harper
        self.languagetool = languagetool
        self.root = Path(root).absolute() if root is not None else None
        self.lock = threading.RLock()  # held while the model is in use
        self._parsed: dict[Path, tuple[_Stamp, Config | None]] = {}
        self._checkers: dict[tuple, object] = {}
        self._factory = None
        if self.explicit is not None:
            self.config_for(None)  # a bad --config is an error now, not at the first check

    # ---------------------------------------------------------------------------------- config

    def _parse(self, path: Path, required: bool) -> Config | None:
        stamp = _stamp(path)
        cached = self._parsed.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        cfg = parse_config_file(path, required=required)  # ConfigError names the file and key
        if stamp is not None:
            self._parsed[path] = (stamp, cfg)
        return cfg

    def config_for(self, path: str | os.PathLike | None) -> Config:
        """The effective configuration for a file at ``path`` (it need not exist), read again
        when a configuration file changed on disk. Raises :class:`ConfigError`."""
        if self.explicit is not None:
            cfg = self._parse(self.explicit, required=True)
        elif self.isolated:
            cfg = DEFAULT
        else:
            cfg = self._nearest(self._folder(path))
        # as the command line: select/ignore replace the file's lists (select its extend-select too)
        from editor.checkers import effective

        return effective(cfg, self.select, self.ignore)

    def _folder(self, path) -> Path:
        if path is None:
            return self.root or Path.cwd()
        p = Path(path)
        if not p.is_absolute():
            p = (self.root or Path.cwd()) / p
        return p if p.is_dir() else p.parent

    def _nearest(self, folder: Path) -> Config:
        cur = folder.absolute()
        while True:
            for name in CONFIG_NAMES:
                f = cur / name
                if f.is_file():
                    cfg = self._parse(f, required=name != "pyproject.toml")
                    if cfg is not None:
                        return cfg
            if cur.parent == cur:
                return DEFAULT
            cur = cur.parent

    def excluded(self, path: str | os.PathLike) -> bool:
        """Do the ``exclude`` patterns of the configuration for ``path`` match it?"""
        from editor.discover import _spec

        cfg = self.config_for(path)
        if not cfg.exclude:
            return False
        p = Path(path)
        if not p.is_absolute():
            p = (self.root or Path.cwd()) / p
        base = (cfg.root or self.root or Path.cwd()).absolute()
        try:
            rel = p.absolute().relative_to(base).as_posix()
        except ValueError:
            rel = os.path.relpath(p.absolute(), base).replace(os.sep, "/")
        return _spec(cfg.exclude).match_file(rel)

    # --------------------------------------------------------------------------------- checkers

    def checker_for(self, cfg: Config):
        """The checker for a configuration (editor.checkers): the model loaded once, a rule set per
        selection, one checker per configuration (kept while its file is unchanged)."""
        key = (repr(cfg), _stamp(cfg.source) if cfg.source else None)  # Config holds lists: not hashable
        checker = self._checkers.get(key)
        if checker is not None:
            return checker
        with self.lock:
            if self._factory is None:
                from editor.backends.run import RunEngines
                from editor.checkers import CheckerFactory

                engines = RunEngines(self.languagetool, quiet=True, harper=self.harper)
                self._factory = CheckerFactory(self.model, harper=self.harper, languagetool=engines)
            checker = self._factory.checker(cfg)
            if len(self._checkers) >= 16:  # configurations edited many times in a long session
                self._checkers.pop(next(iter(self._checkers)))
            self._checkers[key] = checker
        return checker

    def warm_up(self) -> None:
        """Load the model and build the default rule set now (servers call this at start)."""
        checker = self.checker_for(self.config_for(None))
        with self.lock:
            checker.detect("Warm up.", "txt")

    # ----------------------------------------------------------------------------------- checks

    def check_document(self, doc: SourceDocument, cfg: Config | None = None,
                       fix: Applicability | None = None) -> tuple[FileReport, Config]:
        cfg = cfg if cfg is not None else self.config_for(None if doc.path.startswith("<") else doc.path)
        checker = self.checker_for(cfg)
        with self.lock:
            return checker.check(doc, fix=fix), cfg

    def _result(self, report: FileReport, cfg: Config) -> CheckResult:
        return CheckResult(path=report.doc.path, text=report.doc.text, fmt=report.doc.fmt,
                           findings=list(report.findings), words=report.words, fail_on=cfg.fail_on,
                           config=cfg.source, engines=dict(report.engines), elapsed=report.elapsed,
                           report=report, _session=self)

    def check_text(self, text: str, fmt: str | None = None, path: str | os.PathLike | None = None) -> CheckResult:
        """Check ``text`` as an article. ``fmt`` is "md" or "txt" (default: from ``path``'s
        suffix, else "txt"); ``path`` names it in the result and chooses its configuration."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        fmt = _format(fmt, path)
        name = str(path) if path is not None else "<text>"
        doc = SourceDocument.from_text(text, path=name, fmt=fmt)
        cfg = self.config_for(path)
        report, cfg = self.check_document(doc, cfg)
        return self._result(report, cfg)

    def check_file(self, path: str | os.PathLike, fmt: str | None = None) -> CheckResult:
        """Read ``path`` as ``cleanup check`` does (:func:`editor.document.read_document`) and
        check it. Raises :class:`InputError` (missing, binary, unknown encoding) with a one-line
        reason."""
        doc = read_document(path, fmt=_format(fmt, path) if fmt is not None else None)
        report, cfg = self.check_document(doc, self.config_for(path))
        return self._result(report, cfg)

    def apply_fixes(self, result: CheckResult, findings: Iterable[Finding] | None = None, *,
                    unsafe: bool = False) -> FixOutcome:
        """Apply fixes to ``result.text`` (nothing is written anywhere).

        Without ``findings``: what ``cleanup ARTICLE --fix`` does — the first safe fix of every
        finding (``unsafe=True``: safe and unsafe, as ``--unsafe-fixes``), then check again and
        repeat until nothing changes. With ``findings``: the first applicable fix of each of
        them, once. Display-only fixes are never applied; a fix that overlaps one applied before
        it is skipped.
        """
        from editor.fixes import allowed, apply_fixes as apply_edits, fix_until_stable

        level = Applicability.UNSAFE if unsafe else Applicability.SAFE
        cfg = self.config_for(None if result.path.startswith("<") else result.path)
        checker = self.checker_for(cfg)
        doc = result.report.doc
        if findings is None:
            with self.lock:
                text, applied, _ = fix_until_stable(doc.text, lambda t: checker.detect(t, doc.fmt, doc.path), level)
            skipped = 0
        else:
            chosen = []
            for f in findings:
                fix = next((x for x in f.fixes if x.edits and allowed(x, level)), None)
                if fix is not None:
                    chosen.append(fix)
            res = apply_edits(doc.text, chosen)
            text, applied, skipped = res.text, len(res.applied), len(res.skipped)
        fixed = replace(doc, text=text, digest="", _lines=None, mtime_ns=None, size=None)
        report, cfg = self.check_document(fixed, cfg)
        return FixOutcome(text=text, applied=applied, skipped=skipped, result=self._result(report, cfg))

    # ------------------------------------------------------------------------------------ rules

    def rule_info(self, code: str) -> dict | None:
        """What a rule flags and why (the rule file's docs), for hovers and the like: a dict with
        code, name, category, severity, message, docs (what/why/fix) and fix (its safety)."""
        return rule_info(code)


def _format(fmt: str | None, path) -> str:
    if fmt is None:
        return format_of(path) if path is not None else "txt"
    value = {"markdown": "md", "text": "txt", "plaintext": "txt"}.get(fmt.lower(), fmt.lower())
    if value not in FORMATS:
        raise ValueError(f"fmt must be 'md' or 'txt', not {fmt!r}")
    return value


@lru_cache(maxsize=512)
def rule_info(code: str) -> dict | None:
    from editor.engine import load_rules

    code = code.strip()
    for r in load_rules():
        if r.code == code.upper():
            d = r.describe()
            d.pop("path", None)
            return d
    if code.upper().startswith(("HARPER/", "LT/")):
        from editor.backends import EngineError
        from editor.backends.run import explain_rule

        try:
            lines = explain_rule(code)
        except EngineError:
            return None
        text = "\n".join(lines[2:]).strip()
        return {"code": lines[0].split()[0], "name": code.split("/", 1)[1], "category": None, "severity": None,
                "message": None, "docs": {"what": text}, "fix": None}
    return None


# ---------------------------------------------------------------------------------------------
# module-level functions: one session per distinct set of options, kept for the process


@lru_cache(maxsize=8)
def _session(config, isolated, select, ignore, model, harper, languagetool) -> Session:
    return Session(config=config, isolated=isolated, select=select, ignore=ignore, model=model, harper=harper,
                   languagetool=languagetool)


def _key(values: Iterable[str] | str | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = values.split(",")
    return tuple(v.strip() for v in values if v.strip())


def check_text(text: str, fmt: str | None = None, *, path: str | os.PathLike | None = None,
               config: str | os.PathLike | None = None, isolated: bool = False,
               select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
               model: str | None = None, harper: bool = True, languagetool: str | None = None) -> CheckResult:
    """Check a string as ``cleanup check`` checks a file (see :class:`Session` for the options)."""
    return _session(str(config) if config else None, isolated, _key(select), _key(ignore), model, harper,
                    languagetool).check_text(text, fmt, path)


def check_file(path: str | os.PathLike, fmt: str | None = None, *, config: str | os.PathLike | None = None,
               isolated: bool = False, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
               model: str | None = None, harper: bool = True, languagetool: str | None = None) -> CheckResult:
    """Read and check one article, with the findings ``cleanup check PATH`` reports."""
    return _session(str(config) if config else None, isolated, _key(select), _key(ignore), model, harper,
                    languagetool).check_file(path, fmt)


def apply_fixes(result: CheckResult, findings: Iterable[Finding] | None = None, *,
                unsafe: bool = False) -> FixOutcome:
    """Apply fixes to a checked text (see :meth:`Session.apply_fixes`); writes nothing."""
    session = result._session
    if session is None:
        raise ValueError("apply_fixes needs a CheckResult from check_text, check_file or a Session")
    return session.apply_fixes(result, findings, unsafe=unsafe)

