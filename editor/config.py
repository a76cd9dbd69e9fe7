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
    report-unused-suppressions = true  # comments that suppress nothing are findings (CU001)
    all-findings = true              # also the findings an article that reads as human-written holds back (editor/gate.py)
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
    report_unused_suppressions: bool = False  # report comments that suppress nothing (rule CU001)
    all_findings: bool = False  # show what the article gate holds back (editor/gate.py)
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
        if self.report_unused_suppressions:
            lines.append("report-unused-suppressions = true")
        if self.all_findings:
            lines.append("all-findings = true")
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
             "fail-on", "report-dir", "extend-select", "dialect", "report-unused-suppressions",
             "all-findings"}
_LT_KEYS = {"server", "timeout", "disable", "enable"}


def _from_table(t: dict, path: Path, prefix: str) -> Config:
    """A configuration table → Config; each key is checked by its own function (one per key)."""

    def err(key: str, problem: str) -> ConfigError:
        return ConfigError(path, prefix + key, problem)

    for key in t:
        if key not in _TOP_KEYS:
            hint = _close(key, _TOP_KEYS)
            raise err(key, "unknown key" + (f" (did you mean '{hint}'?)" if hint else ""))
    values: dict[str, Any] = {"source": path}
    for key, read in _READERS.items():
        if key in t:
            values.update(read(t[key], err, path))
    return Config(**values)


def _codes(key: str):
    def read(v, err, path) -> dict:
        codes = _str_list(v, lambda p: err(key, p))
        for c in codes:
            if c != "ALL" and not _CODE.match(c):
                raise err(key, f"not a rule code or prefix: {c!r}")
        return {key.replace("-", "_"): codes}

    return read


def _choice(key: str, choices: tuple[str, ...]):
    def read(v, err, path) -> dict:
        if v not in choices:
            raise err(key, f"must be one of {', '.join(choices)} (got {v!r})")
        return {key.replace("-", "_"): v}

    return read


def _exclude(v, err, path) -> dict:
    patterns = _str_list(v, lambda p: err("exclude", p))
    for pattern in patterns:
        problem = _bad_glob(pattern)
        if problem:
            raise err("exclude", f"not a valid gitignore-style pattern: {pattern!r} ({problem})")
    return {"exclude": patterns}


def _vocabulary(v, err, path) -> dict:
    vocab = _str_list(v, lambda p: err("vocabulary", p))
    if any(not w.strip() for w in vocab):
        raise err("vocabulary", "empty term")
    return {"vocabulary": vocab}


def _report_dir(v, err, path) -> dict:
    if not isinstance(v, str) or not v.strip():
        raise err("report-dir", f"must be a folder path as a string (got {v!r})")
    return {"report_dir": str((path.parent / v).resolve()) if not Path(v).is_absolute() else v}


def _flag(key: str):
    def read(v, err, path) -> dict:
        if not isinstance(v, bool):
            raise err(key, f"must be true or false (got {v!r})")
        return {key.replace("-", "_"): v}

    return read


def _severity(sev, err, path) -> dict:
    if not isinstance(sev, dict):
        raise err("severity", "must be a table of CODE = \"error|warning|info\"")
    for code, level in sev.items():
        if not _CODE.match(code):
            raise err(f"severity.{code}", "not a rule code or prefix")
        if level not in SEVERITIES:
            raise err(f"severity.{code}", f"must be one of {', '.join(SEVERITIES)} (got {level!r})")
    return {"severity": dict(sev)}


def _substitutions(subs, err, path) -> dict:
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
    return {"substitutions": dict(subs)}


def _languagetool(lt, err, path) -> dict:
    if isinstance(lt, str):  # shorthand: languagetool = "local"
        lt = {"server": lt}
    if not isinstance(lt, dict):
        raise err("languagetool", "must be a table (server, timeout, disable, enable) or a server string")
    for key in lt:
        if key not in _LT_KEYS:
            hint = _close(key, _LT_KEYS)
            raise err(f"languagetool.{key}", "unknown key" + (f" (did you mean '{hint}'?)" if hint else ""))
    values: dict[str, Any] = {}
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
    return values


_READERS = {
    "select": _codes("select"), "ignore": _codes("ignore"), "extend-select": _codes("extend-select"),
    "dialect": _choice("dialect", DIALECTS), "exclude": _exclude, "vocabulary": _vocabulary,
    "fail-on": _choice("fail-on", FAIL_ON), "report-dir": _report_dir, "severity": _severity,
    "substitutions": _substitutions, "languagetool": _languagetool,
    "report-unused-suppressions": _flag("report-unused-suppressions"),
    "all-findings": _flag("all-findings"),
}


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
# the exit code


def fails(findings, fail_on: str) -> bool:
    """Do these findings make the exit code 1 under ``fail_on``?"""
    if fail_on == "never":
        return False
    from editor.findings import Severity

    threshold = Severity(fail_on).rank
    return any(f.severity.rank >= threshold for f in findings)


__all__ = ["Config", "ConfigError", "ConfigFinder", "DEFAULT", "load_config", "parse_config_file",
           "SEVERITIES", "FAIL_ON", "CONFIG_NAMES", "fails"]

