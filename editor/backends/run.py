"""The command line's engines for one run: Harper on by default, LanguageTool when asked for.

``cleanup check`` / ``cleanup ARTICLE`` build one :class:`RunEngines` per run; every file's
checker (one per configuration, from :class:`editor.checkers.CheckerFactory`) gets the same engines.
The LanguageTool setting is read once, for the first file: ``--languagetool`` >
``CLEANUP_LANGUAGETOOL`` > the configuration file's ``[tool.cleanup.languagetool] server`` >
off.  When it is off by default, one info line on stderr says how to enable it, with --verbose only
(``cleanup config`` says it too).  The configuration's ``dialect`` picks Harper's dialect and
LanguageTool's language (en-US, en-GB, en-AU, en-CA).
"""

from __future__ import annotations

import atexit
import math
import os
import sys

from editor.backends import EngineError

ENGINE_OPTION_KEYS = ("languagetool", "languagetool_timeout")


class RunEngines:
    def __init__(self, languagetool: str | None = None, timeout: float | None = None, quiet: bool = False,
                 env: dict | None = None, harper: bool = True, verbose: bool = False):
        self.cli_languagetool = languagetool
        self.cli_timeout = timeout
        self.quiet = quiet
        self.verbose = verbose  # only then is "LanguageTool is off" said (cleanup config says it too)
        self.env = os.environ if env is None else env
        self.harper = harper
        self.lt = None
        self._lt_resolved = False
        self.info_shown = False

    def languagetool_for(self, cfg):
        """This run's LanguageTool engine (None: off), resolved on the first file's settings."""
        if self._lt_resolved:
            return self.lt
        self._lt_resolved = True
        from editor.backends.languagetool import HOW_TO_ENABLE, LANGUAGES, LanguageToolEngine, resolve_setting

        setting, origin = resolve_setting(self.cli_languagetool, self.env, cfg)
        if setting not in ("off", "local") and not setting.lower().startswith(("http://", "https://")):
            where = {"cli": "--languagetool", "env": "CLEANUP_LANGUAGETOOL",
                     "config": f"{getattr(cfg, 'source', None) or 'configuration'}: languagetool server"}[origin]
            raise EngineError(f"{where}: expected off, local or an http(s):// URL, not {setting!r}")
        if setting == "off":
            if origin == "default" and self.verbose and not self.quiet and not self.info_shown:
                self.info_shown = True
                print(f"info: {HOW_TO_ENABLE}", file=sys.stderr, flush=True)
            return None
        timeout = self.cli_timeout if self.cli_timeout is not None else getattr(cfg, "languagetool_timeout", None) or 30.0
        self.lt = LanguageToolEngine(
            setting, timeout=timeout,
            enable=getattr(cfg, "languagetool_enable", ()) or (),
            disable=getattr(cfg, "languagetool_disable", ()) or (),
            select=getattr(cfg, "select", None), ignore=getattr(cfg, "ignore", None),
            language=LANGUAGES.get(getattr(cfg, "dialect", None) or "us", "en-US"),
            required=True,  # asked for on the command line, in the environment or in a config file
        )
        atexit.register(self.lt.close)
        return self.lt


def option_callback(ctx, param, value):
    """Click callback: keep the engine options in ``ctx.meta`` (not function arguments)."""
    if param.name == "languagetool" and value is not None:
        v = value.strip()
        if v not in ("off", "local") and not v.lower().startswith(("http://", "https://")):
            import click

            raise click.BadParameter(f"expected off, local or an http(s):// URL, not {value!r}", ctx, param)
    if param.name == "languagetool_timeout" and value is not None and (not math.isfinite(value) or value <= 0):
        import click

        raise click.BadParameter(f"must be a finite number of seconds, more than 0 (got {value:g})", ctx, param)
    ctx.meta[f"cleanup.{param.name}"] = value
    return value


def from_context(ctx) -> RunEngines:
    params = ctx.params
    return RunEngines(ctx.meta.get("cleanup.languagetool"), ctx.meta.get("cleanup.languagetool_timeout"),
                      quiet=bool(params.get("quiet")), verbose=bool(ctx.meta.get("cleanup.verbose")))


__all__ = ["RunEngines", "EngineError", "option_callback", "from_context"]


def other_engines_rules(show_all: bool) -> list[str]:
    """Lines for ``cleanup rules``, each starting with a code: Harper's rules (on by default, or
    all), then LanguageTool's (its rules live on the server: the ones off by default here, and
    where the rest are listed)."""
    from editor.backends import harper as h
    from editor.backends.languagetool import static_rules_note

    lines = []
    if h.available():
        for code, on, desc in h.rule_list(show_all):
            flag = "  (opt-in)" if not on else ""
            lines.append(f"{code:40} harper        {desc[:90]}{flag}")
    else:
        lines.append("HARPER/*                                 harper-py is not installed (pip install harper-py)")
    lines.extend(static_rules_note())
    from editor.backends import detector

    code, on, desc = detector.rule_line()
    if on or show_all:  # like Harper's: opt-in (or not installed) only with --all
        lines.append(f"{code:40} model         {desc[:90]}{'' if on else '  (opt-in)'}")
    return lines


def other_engines_rule_dicts(show_all: bool) -> list[dict]:
    """Harper's rules for ``cleanup rules --format json``, shaped like our rules' ``describe()``
    (LanguageTool's rules live on its server and are not listed)."""
    from editor.backends import detector
    from editor.backends import harper as h

    code, on, desc = detector.rule_line()
    model = [{"code": code, "name": detector.NAME, "engine": "model", "default": on, "message": desc}
             ][:1 if on or show_all else 0]
    if not h.available():
        return model
    return [{"code": code, "name": code.split("/", 1)[1], "engine": "harper", "default": on,
             "message": desc} for code, on, desc in h.rule_list(show_all)] + model


def explain_rule(code: str) -> list[str]:
    """``cleanup rule HARPER/<Rule>`` or ``cleanup rule LT/<ID>``; an unknown code is a Failure-worthy EngineError."""
    from editor.backends import detector
    from editor.backends import harper as h
    from editor.backends import languagetool as lt

    if code.upper().startswith("MODEL/"):
        if code.split("/", 1)[1].lower() != detector.CODE.split("/", 1)[1].lower():
            raise EngineError(f"unknown rule {code!r} (see: cleanup rules --all)")
        return detector.explain()
    if code.upper().startswith("LT/"):
        rid = code[3:].upper()
        lines = [f"LT/{rid}  [LanguageTool rule{', off by default' if rid in lt.OFF_BY_DEFAULT else ''}]", ""]
        if rid in lt.OFF_BY_DEFAULT:
            lines.append(f"Off by default here: {lt.OFF_BY_DEFAULT[rid]}. Enable it with --select LT/{rid}.")
        lines.append(f"Described by LanguageTool: https://community.languagetool.org/rule/show/{rid}?lang=en")
        lines.append("Runs only with --languagetool local|URL (see docs/engines.md).")
        return lines
    if not h.available():
        raise EngineError("harper-py is not installed (pip install harper-py)")
    name = code.split("/", 1)[1]
    rules = {r.lower(): r for r in h.default_config()}
    rule = rules.get(name.lower())
    if rule is None:
        raise EngineError(f"unknown rule {code!r} (see: cleanup rules --all)")
    on = h.is_default(rule)
    lines = [f"HARPER/{rule}  [Harper rule{'' if on else ', opt-in'}]", "", " ".join(h.descriptions().get(rule, "").split())]
    if on:
        lines += ["", f"On by default here: {h.ON_BY_DEFAULT[rule]}."]
    else:
        lines += ["", f"Off by default here: {h.off_reason(rule)}. Enable it with --select HARPER/{rule}."]
        if not h.default_config().get(rule):
            lines += ["Off in Harper's own defaults too."]
    lines += ["", "Fix safety: unsafe (safe only for mechanical whitespace/dash changes); see docs/engines.md."]
    return lines
