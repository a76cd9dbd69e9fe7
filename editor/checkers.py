"""The one place checkers are built, and each file's settings resolved, once.

A :class:`CheckerFactory` holds what is shared by every checker of a run: the model (loaded
once per process, editor.nlp.load_model), the rule sets (one per rule selection,
editor.engine.build_ruleset), and the run's engines (Harper; LanguageTool when asked for).
``factory.checker(settings)`` gives the :class:`editor.pipeline.Checker` for one file's settings.

Settings are an effective :class:`editor.config.Config`: the nearest configuration file (or
``--config``) with the command line (or a Session's options) on top, ``extend-select`` folded
into ``select`` (:func:`effective`). Every entry point builds its checkers here: the command
line (:class:`CheckerPool`), ``cleanup batch`` workers, the library API (editor.api), the
language server and ``cleanup serve`` (editor.session), and the benchmarks.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterable

from editor.config import Config, ConfigFinder
from editor.pipeline import Checker


def effective(raw: Config, select: list[str] | None = None, ignore: list[str] | None = None,
              extend_select: Iterable[str] = (), **overrides) -> Config:
    """A file's configuration with the command line on top: ``select`` replaces the file's whole
    selection (its ``extend-select`` too), ``ignore`` its ignore list, ``extend_select`` adds to the
    file's; other options (``fail_on``, ``dialect``, ...) replace the file's when given (not None)."""
    cfg = raw.with_overrides(select=select, ignore=ignore, **overrides)
    if select is not None:
        cfg = replace(cfg, extend_select=[])
    extend = list(extend_select)
    if extend:
        cfg = replace(cfg, extend_select=list(cfg.extend_select) + extend)
    return cfg.folded()


class CheckerFactory:
    """Checkers for a run. ``harper``: run Harper (unless the selection ignores it);
    ``languagetool``: None, a LanguageTool engine, or an object whose ``languagetool_for(settings)``
    gives one (editor.backends.run.RunEngines: the setting is resolved on the first file);
    ``overlap``: engines run beside the parse (False in one-core batch workers); ``detector``: the
    learned detector runs when its model is installed and the selection wants it."""

    def __init__(self, model: str | None = None, harper: bool = True, languagetool=None, overlap: bool = True,
                 detector: bool = True):
        self.model = model
        self.detector = detector  # the learned detector (editor/backends/detector.py), when installed and selected
        self.harper = harper
        self.languagetool = languagetool
        self.overlap = overlap

    def checker(self, settings: Config) -> Checker:
        from editor.backends.harper import build_engines
        from editor.engine import build_ruleset
        from editor.nlp import load_model

        nlp = load_model(self.model)
        ruleset = build_ruleset(nlp, select=settings.select, ignore=settings.ignore)
        lt = self.languagetool
        if lt is not None and hasattr(lt, "languagetool_for"):
            lt = lt.languagetool_for(settings)
        engines = build_engines(settings.select, settings.ignore, self.harper, lt, settings.vocabulary,
                                settings.dialect)
        if self.detector:
            from editor.backends.detector import build_engine

            detector = build_engine(settings.select, settings.ignore)  # None: off, or not installed
            engines = engines + ((detector,) if detector is not None else ())
        return Checker(nlp=nlp, ruleset=ruleset, settings=settings, engines=engines, overlap=self.overlap)


class CheckerPool:
    """Checkers for many files of one command: each file's settings resolved once (the nearest
    configuration, the command line on top), one checker per distinct configuration."""

    def __init__(self, finder: ConfigFinder, factory: CheckerFactory, select: list[str] | None = None,
                 ignore: list[str] | None = None, extend_select: list[str] | None = None, **overrides):
        self.finder = finder
        self.factory = factory
        self.select = select
        self.ignore = ignore
        self.extend_select = list(extend_select or [])
        self.overrides = overrides  # fail_on, dialect, report_unused_suppressions: None = the file's
        self._by_config: dict[int, tuple[Config, tuple[Checker, Config]]] = {}

    def config_for(self, path: str | Path) -> Config:
        return self._effective(self.finder.for_path(Path(path)))

    def _effective(self, raw: Config) -> Config:
        return effective(raw, self.select, self.ignore, self.extend_select, **self.overrides)

    def for_file(self, path: str | Path) -> tuple[Checker, Config]:
        """(checker, settings) for one file."""
        raw = self.finder.for_path(Path(path))
        hit = self._by_config.get(id(raw))
        if hit is not None and hit[0] is raw:
            return hit[1]
        settings = self._effective(raw)
        pair = (self.factory.checker(settings), settings)
        self._by_config[id(raw)] = (raw, pair)
        return pair


__all__ = ["CheckerFactory", "CheckerPool", "effective"]
