"""Configuration: ``[tool.cleanup]`` in pyproject.toml, or ``cleanup.toml`` / ``.cleanup.toml``.

The nearest configuration file walking up from each checked file wins (in one folder:
``.cleanup.toml``, then ``cleanup.toml``, then a ``pyproject.toml`` that has ``[tool.cleanup]``);
``--config PATH`` overrides the search. Shape (in ``cleanup.toml`` the same keys sit at the top
level, without the ``tool.cleanup`` prefix)::

    [tool.cleanup]
    select = ["MT", "ST"]            # code prefixes; opt-in rules need their exact code or "ALL"
    ignore = ["MT3"]
    exclude = ["drafts/**", "*.generated.md"]   # globs, relative to the config file's folder
    fail-on = "warning"              # error | warning | info | never
    report-dir = "reports"           # HTML reports go here (relative to the config file's folder)
    extend-select = ["HARPER/SpellCheck"]  # added to the selection (default rules, or select)
    vocabulary = ["WeChat", "Weibo"] # accepted terms and names (passed to spelling engines)
    dialect = "gb"                   # us | gb | au | ca: the English Harper and LanguageTool check

    [tool.cleanup.severity]          # per-rule severity: a code or a code prefix (longest wins)
    MT301 = "info"

    [tool.cleanup.substitutions]     # house substitutions: wrong = "right" (reported as VOCAB001)
    "e-mail" = "email"

    [tool.cleanup.languagetool]
    server = "off"                   # off | local | http(s)://host:port
    timeout = 30
    disable = ["WHITESPACE_RULE"]
    enable = []

Unknown keys and bad values raise ConfigError, whose one-line message names the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

SEVERITIES = ("error", "warning", "info")
DIALECTS = ("us", "gb", "au", "ca")  # English variants: Harper's dialects, LanguageTool's en-US/-GB/-AU/-CA
FAIL_ON = ("error", "warning", "info", "never")
CONFIG_NAMES = (".cleanup.toml", "cleanup.toml", "pyproject.toml")

_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_./-]*$")


class ConfigError(Exception):
    """A bad configuration file: the message is one line naming the file and the key."""

    def __init__(self, path: Path | str | None, key: str | None, problem: str):
        self.path = _display(path) if path is not None else None
        self.key = key
        self.problem = problem
        where = f"{self.path}: " if self.path else ""
        what = f"key '{key}': " if key else ""
        super().__init__(f"{where}{what}{problem}")


def _display(path: Path | str) -> str:
    """A path as the user would write it: relative to the working folder when inside it."""
    try:
        return str(Path(path).absolute().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


@dataclass(frozen=True)
class Config:
    """The effective configuration for one file. Treat it as immutable (use ``replace``)."""

    select: list[str] | None = None
    ignore: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    dialect: str = "us"
    severity: dict[str, str] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    vocabulary: list[str] = field(default_factory=list)
    substitutions: dict[str, str] = field(default_factory=dict)
    languagetool: str = "off"
    languagetool_timeout: float = 30.0
    languagetool_disable: list[str] = field(default_factory=list)
    languagetool_enable: list[str] = field(default_factory=list)
    fail_on: str = "warning"
    report_dir: str | None = None
    source: Path | None = None

    @property
    def root(self) -> Path | None:
        """The folder the config file is in: ``exclude`` globs and ``report-dir`` are relative to it."""
        return self.source.parent if self.source is not None else None

    @property
    def rule_key(self) -> tuple:
        """What decides the rule set: files with the same key share one loaded checker."""
        return (tuple(self.select) if self.select is not None else None,
                tuple(self.ignore) if self.ignore is not None else None)

    def folded(self) -> "Config":
        """``extend-select`` folded into ``select``: the default rules (or ``select``) plus those
        codes. The registry selects a default rule by any prefix of its code, so the empty prefix
        stands for "every default rule"; opt-in rules still need their exact code."""
        if not self.extend_select:
            return self
        base = list(self.select) if self.select is not None else [""]
        return replace(self, select=base + [c for c in self.extend_select if c not in base], extend_select=[])

    def severity_for(self, code: str) -> str | None:
        """The configured severity for a rule code (exact code or the longest matching prefix)."""
        if not self.severity:
            return None
        if code in self.severity:
            return self.severity[code]
        best = None
        for prefix, sev in self.severity.items():
            if code.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
                best = (prefix, sev)
        return best[1] if best else None

    def with_overrides(self, **values: Any) -> "Config":
        """A copy with the given fields replaced; ``None`` values (flag not given) are ignored."""
        given = {k: v for k, v in values.items() if v is not None}
        return replace(self, **given) if given else self

    def as_toml(self) -> str:
        """The effective configuration as a ``cleanup.toml`` (what ``cleanup config`` prints)."""
        lines = [f"# source: {self.source if self.source else '(defaults: no configuration file found)'}"]
        if self.select is not None:
            lines.append(f"select = {_toml_list(self.select)}")
        if self.ignore is not None:
            lines.append(f"ignore = {_toml_list(self.ignore)}")
        if self.extend_select:
            lines.append(f"extend-select = {_toml_list(self.extend_select)}")
        lines.append(f"dialect = {_toml_str(self.dialect)}")
        lines.append(f"exclude = {_toml_list(self.exclude)}")
        lines.append(f"fail-on = {_toml_str(self.fail_on)}")
        if self.report_dir is not None:
            lines.append(f"report-dir = {_toml_str(self.report_dir)}")
        lines.append(f"vocabulary = {_toml_list(self.vocabulary)}")
        lines += ["", "[severity]"]
        lines += [f"{_toml_key(k)} = {_toml_str(v)}" for k, v in sorted(self.severity.items())]
        lines += ["", "[substitutions]"]
        lines += [f"{_toml_key(k)} = {_toml_str(v)}" for k, v in sorted(self.substitutions.items())]
        if self.languagetool == "off":
            from editor.backends.languagetool import HOW_TO_ENABLE

            lines += ["", f"# {HOW_TO_ENABLE}"]
        lines += ["", "[languagetool]", f"server = {_toml_str(self.languagetool)}",
                  f"timeout = {self.languagetool_timeout:g}",
                  f"disable = {_toml_list(self.languagetool_disable)}",
                  f"enable = {_toml_list(self.languagetool_enable)}"]
        return "\n".join(lines) + "\n"


DEFAULT = Config()


# --------------------------------------------------------------------------------------------
# finding and loading


def load_config(for_path: Path | str, explicit: Path | str | None = None) -> Config:
    """The configuration for ``for_path`` (a file or folder): ``explicit`` if given, else the
    nearest configuration file walking up from it, else the defaults."""
    return ConfigFinder(explicit).for_path(Path(for_path))


class ConfigFinder:
    """Finds configurations for many files, reading each configuration file once per run."""

    def __init__(self, explicit: Path | str | None = None):
        self._explicit = parse_config_file(Path(explicit)) if explicit is not None else None
        self._by_dir: dict[Path, Config] = {}
        self._by_file: dict[Path, Config] = {}

    def for_path(self, path: Path | str) -> Config:
        if self._explicit is not None:
            return self._explicit
        p = Path(path).absolute()
        start = p if p.is_dir() else p.parent
        return self._for_dir(start)

    def _for_dir(self, folder: Path) -> Config:
        walked = []
        cur = folder
        found = DEFAULT
        while True:
            if cur in self._by_dir:
                found = self._by_dir[cur]
                break
            walked.append(cur)
            cfg = self._in_dir(cur)
            if cfg is not None:
                found = cfg
                break
            if cur.parent == cur:
                break
            cur = cur.parent
        for d in walked:
            self._by_dir[d] = found
        return found

    def _in_dir(self, folder: Path) -> Config | None:
        for name in CONFIG_NAMES:
            f = folder / name
            if not f.is_file():
                continue
            if f not in self._by_file:
                cfg = parse_config_file(f, required=(name != "pyproject.toml"))
                if cfg is None:
                    continue
                self._by_file[f] = cfg
            return self._by_file[f]
        return None


def parse_config_file(path: Path, required: bool = True) -> Config | None:
    """Parse one configuration file. A pyproject.toml without ``[tool.cleanup]`` gives None
    (unless ``required``, as for ``--config``, where that is an error)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(path, None, "configuration file not found") from None
    except IsADirectoryError:
        raise ConfigError(path, None, "is a directory, not a configuration file") from None
    except OSError as e:
        raise ConfigError(path, None, f"cannot read: {e.strerror or e}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(path, None, "not valid UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, None, f"invalid TOML: {e}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("cleanup") if isinstance(data.get("tool"), dict) else None
        if table is None:
            if required:
                raise ConfigError(path, "tool.cleanup", "no [tool.cleanup] table in this pyproject.toml")
            return None
        prefix = "tool.cleanup."
    else:
        table = data
        prefix = ""
    if not isinstance(table, dict):
        raise ConfigError(path, prefix.rstrip(".") or None, "must be a table")
    return _from_table(table, path.absolute(), prefix)


# --------------------------------------------------------------------------------------------
# validation


_TOP_KEYS = {"select", "ignore", "severity", "exclude", "vocabulary", "substitutions", "languagetool",
             "fail-on", "report-dir", "extend-select", "dialect"}
_LT_KEYS = {"server", "timeout", "disable", "enable"}


def _from_table(t: dict, path: Path, prefix: str) -> Config:
    def err(key: str, problem: str) -> ConfigError:
        return ConfigError(path, prefix + key, problem)

    for key in t:
        if key not in _TOP_KEYS:
            hint = _close(key, _TOP_KEYS)
            raise err(key, "unknown key" + (f" (did you mean '{hint}'?)" if hint else ""))
    values: dict[str, Any] = {"source": path}
    for key in ("select", "ignore", "extend-select"):
        if key in t:
            codes = _str_list(t[key], lambda p: err(key, p))
            for c in codes:
                if c != "ALL" and not _CODE.match(c):
                    raise err(key, f"not a rule code or prefix: {c!r}")
            values[key.replace("-", "_")] = codes
    if "dialect" in t:
        v = t["dialect"]
        if v not in DIALECTS:
            raise err("dialect", f"must be one of {', '.join(DIALECTS)} (got {v!r})")
        values["dialect"] = v
    if "exclude" in t:
        values["exclude"] = _str_list(t["exclude"], lambda p: err("exclude", p))
        for pattern in values["exclude"]:
            problem = _bad_glob(pattern)
            if problem:
                raise err("exclude", f"not a valid gitignore-style pattern: {pattern!r} ({problem})")
    if "vocabulary" in t:
        vocab = _str_list(t["vocabulary"], lambda p: err("vocabulary", p))
        if any(not v.strip() for v in vocab):
            raise err("vocabulary", "empty term")
        values["vocabulary"] = vocab
    if "fail-on" in t:
        v = t["fail-on"]
        if v not in FAIL_ON:
            raise err("fail-on", f"must be one of {', '.join(FAIL_ON)} (got {v!r})")
        values["fail_on"] = v
    if "report-dir" in t:
        v = t["report-dir"]
        if not isinstance(v, str) or not v.strip():
            raise err("report-dir", f"must be a folder path as a string (got {v!r})")
        values["report_dir"] = str((path.parent / v).resolve()) if not Path(v).is_absolute() else v
    if "severity" in t:
        sev = t["severity"]
        if not isinstance(sev, dict):
            raise err("severity", "must be a table of CODE = \"error|warning|info\"")
        for code, level in sev.items():
            if not _CODE.match(code):
                raise err(f"severity.{code}", "not a rule code or prefix")
            if level not in SEVERITIES:
                raise err(f"severity.{code}", f"must be one of {', '.join(SEVERITIES)} (got {level!r})")
        values["severity"] = dict(sev)
    if "substitutions" in t:
        subs = t["substitutions"]
        if not isinstance(subs, dict):
            raise err("substitutions", "must be a table of wrong = \"right\"")
        for wrong, right in subs.items():
            k = f"substitutions.{_toml_key(wrong)}"
            if not wrong.strip():
                raise err(k, "empty word")
            if not isinstance(right, str):
                raise err(k, f"must be a string (got {right!r})")
            if right == wrong:
                raise err(k, "replacement is the same as the word")
        values["substitutions"] = dict(subs)
    if "languagetool" in t:
        lt = t["languagetool"]
        if isinstance(lt, str):  # shorthand: languagetool = "local"
            lt = {"server": lt}
        if not isinstance(lt, dict):
            raise err("languagetool", "must be a table (server, timeout, disable, enable) or a server string")
        for key in lt:
            if key not in _LT_KEYS:
                hint = _close(key, _LT_KEYS)
                raise err(f"languagetool.{key}", "unknown key" + (f" (did you mean '{hint}'?)" if hint else ""))
        if "server" in lt:
            s = lt["server"]
            if not isinstance(s, str) or not (s in ("off", "local") or re.match(r"^https?://[^\s/]+", s)):
                raise err("languagetool.server", f"must be \"off\", \"local\" or an http(s) URL (got {s!r})")
            values["languagetool"] = s
        if "timeout" in lt:
            v = lt["timeout"]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v <= 3600:
                raise err("languagetool.timeout", f"must be a number of seconds in (0, 3600] (got {v!r})")
            values["languagetool_timeout"] = float(v)
        for key in ("disable", "enable"):
            if key in lt:
                values[f"languagetool_{key}"] = _str_list(lt[key], lambda p, k=key: err(f"languagetool.{k}", p))
    return Config(**values)


def _bad_glob(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable ``exclude`` glob (as editor.discover compiles it), or None."""
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([pattern])
    except Exception as e:  # GitIgnorePatternError, re.error ("bad character range z-a"), ...
        return re.sub(r" at position \d+", "", " ".join(str(e).split())) or type(e).__name__
    return None


def _str_list(v: Any, err) -> list[str]:
    if isinstance(v, str):
        raise err(f"must be a list of strings, e.g. [{v!r}]")
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise err(f"must be a list of strings (got {v!r})")
    return list(v)


def _close(key: str, known: set[str]) -> str | None:
    import difflib

    m = difflib.get_close_matches(key.replace("_", "-"), sorted(known), n=1, cutoff=0.6)
    return m[0] if m else None


# --------------------------------------------------------------------------------------------
# printing


def _toml_str(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{out}"'


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(_toml_str(i) for i in items) + "]"


def _toml_key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else _toml_str(k)


# --------------------------------------------------------------------------------------------
# applying a configuration to a file's findings (the pipeline's post-processing hook)

SUBSTITUTION_CODE = "CU101"
SUBSTITUTION_NAME = "house-substitution"

SUBSTITUTION_RULE = {
    "code": SUBSTITUTION_CODE,
    "name": SUBSTITUTION_NAME,
    "category": "style",
    "severity": "warning",
    "message": "house style: write “{right}”, not “{wrong}”",
    "docs": {
        "what": "A word or phrase listed under [tool.cleanup.substitutions] (wrong = \"right\") in the "
                "project's configuration, found as a whole word in prose (never in code, URLs or markup).",
        "why": "The house style names one spelling for terms, names and products; the configuration "
               "is the team's own list.",
        "fix": "Safe: replaces the text with the configured spelling. A lowercase entry matches any "
               "case and keeps the case of the text (Title, UPPER); an entry with capitals matches "
               "exactly as written.",
    },
    "applicability": "safe",
}


def meta_rules() -> dict[str, dict]:
    """Descriptions of the rules that live in code rather than in rules/ (for SARIF, `cleanup rule`)."""
    from editor.chrome import RULE as CHROME_RULE
    from editor.suppress import META_RULE

    return {SUBSTITUTION_CODE: SUBSTITUTION_RULE, META_RULE["code"]: META_RULE, CHROME_RULE["code"]: CHROME_RULE}


def _subst_patterns(subs: dict[str, str]) -> list[tuple[re.Pattern, str, str]]:
    return _compiled_substitutions(tuple(subs.items()))


@lru_cache(maxsize=32)
def _compiled_substitutions(items: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern, str, str]]:
    out = []
    for wrong, right in sorted(items, key=lambda kv: -len(kv[0])):
        body = r"\s+".join(re.escape(w) for w in wrong.split())
        flags = re.IGNORECASE if wrong == wrong.lower() else 0
        out.append((re.compile(rf"(?<![\w-]){body}(?![\w-])", flags), wrong, right))
    return out


def house_substitutions(text: str, fmt: str, cfg: Config, segments=None) -> list:
    """Findings (CU101) for the configured house substitutions, in prose only."""
    if not cfg.substitutions:
        return []
    from editor.engine.rules import match_case
    from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span
    from editor.segment import segment

    segs = segments if segments is not None else segment(text, fmt)
    patterns = _subst_patterns(cfg.substitutions)
    found: list = []
    taken: list[tuple[int, int]] = []
    for seg in segs:
        for pat, wrong, right in patterns:
            for m in pat.finditer(seg.text):
                a, b = m.start(), m.end()
                if seg.is_masked(a, b):
                    continue
                sa, sb = seg.to_source(a, b)
                flagged = text[sa:sb]
                if flagged != seg.text[a:b]:
                    continue  # crosses markup
                repl = match_case(flagged, right) if pat.flags & re.IGNORECASE else right
                if repl == flagged or any(x < sb and sa < y for x, y in taken):
                    continue
                taken.append((sa, sb))
                fix = Fix((Edit(Span(sa, sb), repl),), Applicability.SAFE,
                          f"replace with “{repl}”" if repl else f"delete “{flagged}”")
                found.append(Finding(
                    rule=SUBSTITUTION_CODE, category="style", severity=Severity.WARNING,
                    message=f"house style: write “{repl}”, not “{flagged}”" + (
                        f" (configured in {cfg.source.name})" if cfg.source else ""),
                    span=Span(sa, sb), fixes=(fix,), source="cleanup", name=SUBSTITUTION_NAME,
                    sources=("cleanup",)))
    return found


def _enabled(code: str, cfg: Config) -> bool:
    from types import SimpleNamespace

    from editor.engine.registry import selected

    return selected(SimpleNamespace(code=code, default=True), cfg.select, cfg.ignore)


def apply_config(findings: list, text: str, fmt: str, cfg: Config, report_unused: bool = False) -> list:
    """A file's findings as its configuration wants them: house substitutions added, per-rule
    severity applied, suppression comments honoured (and, on request, unused ones reported)."""
    from editor.findings import Severity
    from editor.suppress import UNUSED_CODE, apply_suppressions

    out = list(findings)
    if cfg.substitutions and _enabled(SUBSTITUTION_CODE, cfg):
        from editor.pipeline import resolve

        out = resolve(out + house_substitutions(text, fmt, cfg))
    out = apply_suppressions(out, text, fmt, report_unused=report_unused and _enabled(UNUSED_CODE, cfg))
    if cfg.severity:
        for f in out:
            level = cfg.severity_for(f.rule)
            if level is not None and level != f.severity.value:
                f.severity = Severity(level)
    return out


def postprocessor(cfg: Config, report_unused: bool = False):
    """The hook a Checker runs at the end of every detect(): ``(findings, text, fmt) -> findings``.
    Suppression comments always apply; the rest only when configured."""
    if not (cfg.substitutions or cfg.severity or report_unused):
        return _suppress_only
    return lambda findings, text, fmt: apply_config(findings, text, fmt, cfg, report_unused)


def _suppress_only(findings, text, fmt):
    from editor.suppress import apply_suppressions

    return apply_suppressions(findings, text, fmt)


# --------------------------------------------------------------------------------------------
# one run over many files: a configuration per file, one checker per distinct rule selection


def fails(findings, fail_on: str) -> bool:
    """Do these findings make the exit code 1 under ``fail_on``?"""
    if fail_on == "never":
        return False
    from editor.findings import Severity

    threshold = Severity(fail_on).rank
    return any(f.severity.rank >= threshold for f in findings)


class CheckerPool:
    """Checkers for many files in one process: the model is loaded once (editor.nlp.load_model),
    a rule set is built once per distinct effective selection, and each configuration gets a
    cheap copy of the checker carrying its post-processing hook."""

    def __init__(self, finder: ConfigFinder, model: str | None = None, select: list[str] | None = None,
                 ignore: list[str] | None = None, fail_on: str | None = None, report_unused: bool = False,
                 extend_select: list[str] | None = None, dialect: str | None = None):
        self.finder = finder
        self.model = model
        self.overrides = {"select": select, "ignore": ignore, "fail_on": fail_on, "dialect": dialect}
        self.extend_select = list(extend_select or [])
        self.report_unused = report_unused
        self._base: dict[tuple, object] = {}
        self._by_config: dict[int, tuple[Config, object]] = {}
        self.builds = 0  # rule sets built (for tests and the benchmark)

    def config_for(self, path: str | Path) -> Config:
        return self._effective(self.finder.for_path(Path(path)))

    def _effective(self, raw: Config) -> Config:
        """The file's configuration with the command line on top (``--extend-select`` adds to the
        file's ``extend-select``), and ``extend-select`` folded into ``select``."""
        cfg = raw.with_overrides(**self.overrides)
        if self.overrides["select"] is not None:  # --select replaces the file's whole selection
            cfg = replace(cfg, extend_select=[])
        if self.extend_select:
            cfg = replace(cfg, extend_select=list(cfg.extend_select) + self.extend_select)
        return cfg.folded()

    def for_file(self, path: str | Path):
        """(checker, effective configuration) for one file."""
        from dataclasses import replace as dc_replace

        raw = self.finder.for_path(Path(path))
        hit = self._by_config.get(id(raw))
        if hit is not None and hit[0] is raw:
            return hit[1]
        cfg = self._effective(raw)
        key = cfg.rule_key
        base = self._base.get(key)
        if base is None:
            from editor.api import get_checker

            base = get_checker(select=cfg.select, ignore=cfg.ignore, model=self.model)
            self.builds += 1
            self._base[key] = base
        checker = dc_replace(base, postprocess=postprocessor(cfg, self.report_unused))
        self._by_config[id(raw)] = (raw, (checker, cfg))
        return checker, cfg


__all__ = ["Config", "ConfigError", "ConfigFinder", "DEFAULT", "load_config", "parse_config_file",
           "SEVERITIES", "FAIL_ON", "CONFIG_NAMES", "apply_config", "postprocessor", "house_substitutions",
           "meta_rules", "SUBSTITUTION_CODE", "CheckerPool", "fails"]

