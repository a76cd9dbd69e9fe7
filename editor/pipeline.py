"""The pipeline, stage by stage; each stage is one function, called once, in this order.

    read      editor.document / editor.inputs: bytes → SourceDocument (encoding, BOM, line ends)
    segment   editor.segment.segment: the prose of the file, markup masked, with an offset map
    analyze   editor.nlp.analyze: spaCy's parse of every segment (long ones in chunks)
    detect    our rules (RuleSet.run → :func:`to_finding`), page-chrome regions (editor.chrome),
              then the other engines (Harper, LanguageTool: started before the parse, in threads)
              merged with ours (editor.backends.combine)
    filter    the file's settings: suppression comments (and unused ones, rule CU001), the
              configured severity of each rule (:func:`apply_settings`)
    gate      the findings of rules that also fire on good English held back unless the article
              reads as machine-translated (:func:`gate`, editor.gate)
    resolve   one finding per span (:func:`resolve`: priority, then span length, then severity)
    fix       editor.fixes.fix_loop (``Checker.check(doc, fix=…)``): what it skipped, whether it converged
    render    editor.render.*: a FileReport → text, JSON, SARIF, GitHub annotations, HTML

A :class:`Checker` holds what the stages need for many files: the model, the rule set, the
engines and the file's settings (an effective :class:`editor.config.Config`, resolved once per
file by editor.checkers). Every finding, whoever reports it, is made by
:func:`editor.spans.finding_from_span`.
"""

from __future__ import annotations

import bisect
import itertools
import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

from editor.checks.base import CheckContext, Hit
from editor.chrome import CODE as CHROME_CODE, inside_chrome, regions as chrome_regions
from editor.config import DEFAULT, Config
from editor.document import SourceDocument
from editor.engine.rules import Rule, RuleSet
from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span
from editor.fixes import FixLoop, fix_loop
from editor.merge import fold_model
from editor.gate import Evidence, evidence, split, split_model
from editor.nlp import analyze, word_count
from editor.segment import Segment, segment
from editor.spans import Origin, Proposal, edit_title, finding_from_span


# What the report says of an engine that did not run (editor/backends: Harper is on unless
# ignored or not installed; LanguageTool only when a server is configured)
OTHER_ENGINES_OFF = {
    "harper": "off (ignored, or harper-py not installed)",
    "languagetool": "off (not configured: --languagetool local|URL)",
    "model": "off (ignored, not installed, or not on by default)",
}


@dataclass
class Checker:
    """A loaded model, rule set and engines with one file's settings (built by editor.checkers)."""

    nlp: object
    ruleset: RuleSet
    settings: Config = DEFAULT
    # other engines (editor.backends: Harper, LanguageTool), run in threads during the parse
    engines: tuple = ()
    # True: the engines' threads run beside spaCy's parse (one file, lowest latency); False: after
    # it, so that one check keeps to one core (batch workers, where processes give the parallelism)
    overlap: bool = True

    def detect(self, text: str, fmt: str, path: str = "") -> list[Finding]:
        """Every stage from segment to resolve: the findings a user sees."""
        return self.detect_gated(text, fmt, path)[0]

    def detect_gated(self, text: str, fmt: str, path: str = "") -> tuple[list[Finding], "Held"]:
        """The findings a user sees, and what the article gate held back."""
        found, model_gate = self.detect_scored(text, fmt, path, merged=True)
        found = apply_settings(found, text, fmt, self.settings, self.ruleset.by_code)
        found, held = gate(found, word_count(text), self.gated_codes(), self.model_gate(model_gate))
        return resolve(fold_model(found), self.ruleset.priorities), held

    def gated_codes(self) -> frozenset[str]:
        """The rules the article gate applies to: ``mt-articles-only`` rules (and the learned
        detector's when its meta.json says ``mt_articles_only``), unless the settings show all
        findings or select the rule by its exact code."""
        if self.settings.all_findings:
            return frozenset()
        named = set(self.settings.select or ()) | set(self.settings.extend_select)
        gated = self.ruleset.gated | {c for e in self.engines for c in getattr(e, "mt_articles_only", ())}
        return gated - named

    def model_gate(self, score: tuple[float, float] | None) -> tuple[float, float] | None:
        """The learned detector's article gate ``(score, article_min)``, unless the settings show
        all findings or select its rule by exact code."""
        from editor.backends.detector import CODE

        named = set(self.settings.select or ()) | set(self.settings.extend_select)
        return None if self.settings.all_findings or CODE in named else score

    def detect_raw(self, text: str, fmt: str, path: str = "", merged: bool = False) -> list[Finding]:
        """Segment, analyze and detect: every engine's findings before the file's filters and
        overlap resolution; ``merged``: one finding per problem across engines (editor.merge),
        else each engine's own (what the evaluation measures rule by rule: ``resolve(merge(subset))``
        is what a run with only that subset reports)."""
        return self.detect_scored(text, fmt, path, merged)[0]

    def detect_scored(self, text: str, fmt: str, path: str = "",
                      merged: bool = False) -> tuple[list[Finding], tuple[float, float] | None]:
        """:meth:`detect_raw`, and the learned detector's article gate ``(score, article_min)``
        when it ran and its meta.json sets one (editor/backends/detector.py)."""
        text = without_lone_surrogates(text)
        segments = segment(text, fmt)
        if not segments:
            return [], None
        # beside the parse (one file, lowest latency), or after it for one-core batch workers
        started = self._start(segments) if self.overlap else None
        units = analyze(segments, self.nlp)
        prepared, pending = started if started is not None else self._start(segments)
        ctx = CheckContext(units=units, path=path, fmt=fmt, dialect=self.settings.dialect, prepared=prepared,
                           settings=self.settings)
        found = [f for f in (to_finding(r, h, segments, text) for r, _, h in self.ruleset.run(ctx)) if f]
        if CHROME_CODE in self.ruleset.by_code:
            found = chrome_regions(found, text)  # contiguous page chrome: one finding (BP100)
        self._skip_model_if_gate_shut(found, text, pending)
        if pending or any(f.category == "spelling" for f in found):
            from editor.backends import combine

            # other engines' findings merged with ours (editor.merge): one finding per problem;
            # spelling findings on names and vocabulary words dropped, ours and theirs
            found = combine(found, pending, segments, units, text, self.settings.vocabulary, merged=merged)
        scores = [h.gate for _, h in pending if getattr(h, "gate", None) is not None]
        return inside_chrome(found), (scores[0] if scores else None)

    def _skip_model_if_gate_shut(self, found: list[Finding], text: str, pending: list) -> None:
        """The learned detector waits for the article gate (``mt_articles_only``): when our MT
        rules' findings cannot open it (the gate only ever sees fewer of them, after the file's
        settings), its findings would all be held back, so it does not run at all."""
        gated = self.gated_codes()
        shut = not evidence([f.rule for f in found], word_count(text)).opens
        for engine, handle in pending:
            codes = getattr(engine, "mt_articles_only", ())
            if codes and hasattr(handle, "skip"):
                handle.skip = shut and all(c in gated for c in codes)

    def _start(self, segments: list[Segment]) -> tuple[dict, list]:
        """Work that needs only the segments, started in threads: checks' ``prepare`` (a speller's
        lint) and the other engines."""
        prepared = {code: prep(segments, self.settings.dialect, self.overlap)
                    for code, prep in self.ruleset.preparers.items()}
        return prepared, [(e, e.start(segments)) for e in self.engines]

    def check(self, doc: SourceDocument, fix: Applicability | None = None) -> "FileReport":
        t0 = time.perf_counter()
        findings, held = self.detect_gated(doc.text, doc.fmt, doc.path)
        report = FileReport(doc=doc, findings=findings, words=held.evidence.words, held=held)
        report.engines.update({e.name: e.describe() for e in self.engines})
        for name, off in OTHER_ENGINES_OFF.items():  # say which engines did not run, and why
            report.engines.setdefault(name, off)
        if fix is not None:
            loop = fix_loop(doc.text, lambda t: self.detect(t, doc.fmt, doc.path), fix)
            report.fixed_text, report.fixes_applied, report.remaining = loop.text, loop.applied, loop.findings
            report.fix_loop = loop
        report.elapsed = time.perf_counter() - t0
        return report


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """A lone UTF-16 surrogate (a language server's or an API caller's text may hold one; no file
    can) becomes U+FFFD for the analysis: one code point for one, so every offset stays exact.
    spaCy, Harper and the detector cannot encode it and would fail on the whole article."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub("\ufffd", text)


@dataclass
class FileReport:
    """The view-model every renderer takes: nothing here needs the file system or the model."""

    doc: SourceDocument
    findings: list[Finding]
    words: int = 0
    fixed_text: str | None = None  # set when fixes were applied
    fixes_applied: int = 0
    remaining: list[Finding] | None = None  # findings on the fixed text
    fix_loop: FixLoop | None = None  # with fixes: what the fix loop skipped, whether it converged
    elapsed: float = 0.0
    engines: dict = field(default_factory=lambda: {"cleanup": "on"})
    held: "Held | None" = None  # what the article gate held back (editor.gate)

    @property
    def final_findings(self) -> list[Finding]:
        return self.remaining if self.remaining is not None else self.findings

    @property
    def final_text(self) -> str:
        """The text ``final_findings`` point into: the fixed text once fixes were applied."""
        if self.remaining is not None and self.fixed_text is not None:
            return self.fixed_text
        return self.doc.text

    @property
    def final_lines(self):
        """Line index of ``final_text``."""
        if self.remaining is not None and self.fixed_text is not None:
            if getattr(self, "_final_lines", None) is None:
                from editor.document import LineIndex

                self._final_lines = LineIndex(self.fixed_text)
            return self._final_lines
        return self.doc.lines


def to_finding(rule: Rule, hit: Hit, segments: list[Segment], text: str) -> Finding | None:
    """A rule's hit in unit coordinates → a Finding in source coordinates (None if it touches
    masked text); a hit outside its unit is a bug in the check (ValueError naming the rule)."""
    unit = hit.unit
    seg = segments[unit.segment_index]
    s, e = unit.offset + hit.start, unit.offset + hit.end
    if not (0 <= s <= e <= len(seg.text)):
        raise ValueError(f"{rule.code}: hit [{hit.start}, {hit.end}) outside its unit")
    if seg.is_masked(s, e):
        return None
    origin = Origin(rule.code, rule.name, rule.category, rule.severity)
    finding = finding_from_span(segments, text, unit.segment_index, s, e, origin, hit.message or rule.message,
                                _proposals(rule, hit, seg, text, s, e))
    if finding is not None and rule.category == "boilerplate":
        finding.fixes = tuple(_delete_whole_lines(fix, text) for fix in finding.fixes)
    return finding


def _proposals(rule: Rule, hit: Hit, seg: Segment, text: str, s: int, e: int) -> list[Proposal]:
    """The fixes of a hit at segment ``[s, e)``: its several-place rewrite first, then each
    replacement of the span; at the rule's safety, or the hit's when it is less sure."""
    if rule.applicability is None:
        return []
    applicability = rule.applicability
    if hit.applicability is not None and Applicability(hit.applicability).rank < applicability.rank:
        applicability = Applicability(hit.applicability)
    sa, sb = seg.to_source(s, e)
    if text[sa:sb] != seg.text[s:e]:
        applicability = Applicability.DISPLAY_ONLY  # the span crosses markup: replacing it would lose it
    out = []
    if hit.edits:
        off = hit.unit.offset
        out.append(Proposal(tuple((off + a, off + b, r) for a, b, r in hit.edits), applicability,
                            rule.fix_title or "apply the suggested rewrite"))
    for r in hit.replacements:
        out.append(Proposal(((s, e, r),), applicability, rule.fix_title or edit_title(text[sa:sb], r)))
    return out


_LINE_LEAD = re.compile(r"[ \t]*(?:[-*+\u2022\u00b7\u25aa\u25cf]|\d{1,3}[.)]|#{1,6}|>)?[ \t]*")


def _delete_whole_lines(fix: Fix, text: str) -> Fix:
    """A deletion of everything on its lines but indentation and a list, heading or quote marker
    ("  • Hot Picks", "## You may also like") becomes the deletion of those whole lines, so that
    removing page chrome leaves no empty bullets or headings behind."""
    if len(fix.edits) != 1 or fix.edits[0].replacement:
        return fix
    start, end = fix.edits[0].span.start, fix.edits[0].span.end
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end + 1
    if not _LINE_LEAD.fullmatch(text, line_start, start) or text[end:line_end].strip():
        return fix
    # a block between blank lines: take one of the blank lines too, so that no gap is left
    prev_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
    prev_blank = line_start == 0 or not text[prev_start:line_start].strip()
    next_end = text.find("\n", line_end)
    if prev_blank and next_end >= 0 and not text[line_end:next_end].strip():
        line_end = next_end + 1
    return Fix((Edit(Span(line_start, line_end), ""),), fix.applicability, fix.title)


def apply_settings(findings: list[Finding], text: str, fmt: str, settings: Config,
                   rules: Mapping[str, Rule]) -> list[Finding]:
    """The filter stage: suppression comments honoured (with ``report-unused-suppressions`` and
    rule CU001 selected, a finding for each comment that suppressed nothing), then the
    configured severity of each rule."""
    from editor.suppress import UNUSED_CODE, apply_suppressions

    report_unused = settings.report_unused_suppressions and UNUSED_CODE in rules
    out = apply_suppressions(findings, text, fmt, report_unused=report_unused)
    if settings.severity:
        for f in out:
            level = settings.severity_for(f.rule)
            if level is not None and level != f.severity.value:
                f.severity = Severity(level)
    return out


@dataclass
class Held:
    """What the article gate held back in one file: the findings, and the evidence it weighed."""

    findings: list[Finding]
    evidence: Evidence

    def by_rule(self) -> dict[str, int]:
        return dict(sorted(Counter(f.rule for f in self.findings).items()))

    def as_dict(self) -> dict:
        ev = self.evidence
        evidence = {"mt_findings": ev.findings, "words": ev.words, "per_1k": round(ev.per_1k, 2),
                    "threshold": ev.threshold, "minimum": ev.minimum}
        if ev.model_score is not None:  # the learned detector's gate
            evidence.update(model_score=round(ev.model_score, 4), model_min=ev.model_min)
        return {"count": len(self.findings), "rules": self.by_rule(), "evidence": evidence}


def gate(findings: list[Finding], words: int, gated: frozenset[str],
         model: tuple[float, float] | None = None) -> tuple[list[Finding], Held]:
    """The gate stage (editor.gate): findings of ``gated`` rules held back unless the article's
    findings of the MT rules open the gate; the learned detector's findings held back when
    ``model`` (its article score, its least score) does not open its own."""
    codes = [f.rule for f in findings]
    ev = evidence(codes, words)
    if model is not None:
        ev = replace(ev, model_score=model[0], model_min=model[1])
    shown, held = split(findings, codes, gated, ev)
    shown, held_model = split_model(shown, [f.rule for f in shown], ev)
    return shown, Held(held + held_model, ev)


def resolve(findings: Iterable[Finding], priorities: Mapping[str, int] | None = None) -> list[Finding]:
    """Overlap resolution in one place. ``priorities``: rule code → the rule's ``priority``
    (0 when not given: every engine's rules and most of ours).

    1. Priority: a finding that overlaps a finding of higher priority is dropped.
    2. Span length: at equal priority, a finding inside a longer finding of the same rule is dropped.
    3. One finding per span: the most severe; with a fix before without; lower code first.
    """
    prio = priorities or {}
    found = list(findings)
    drop = _overlapped_by_higher_priority(found, prio) | _nested_in_same_rule(found)
    best: dict[tuple[int, int], Finding] = {}
    for i, f in enumerate(found):
        if i in drop:
            continue
        key = (f.span.start, f.span.end)
        cur = best.get(key)
        if cur is None or _rank(f, prio) > _rank(cur, prio):
            best[key] = f
    return sorted(best.values(), key=Finding.sort_key)


def _nested_in_same_rule(found: list[Finding]) -> set[int]:
    """Indexes of findings inside a longer finding of the same rule."""
    drop: set[int] = set()
    reach: dict[str, tuple[int, int]] = {}  # rule -> (start, end) of its finding reaching furthest so far
    for i in sorted(range(len(found)), key=lambda k: (found[k].span.start, -found[k].span.end)):
        f = found[i]
        a, b = reach.get(f.rule, (0, -1))
        if b >= f.span.end and b - a > f.span.end - f.span.start:
            drop.add(i)
        if f.span.end > b:
            reach[f.rule] = (f.span.start, f.span.end)
    return drop


def _overlapped_by_higher_priority(kept: list[Finding], prio: Mapping[str, int]) -> set[int]:
    """Indexes of findings that overlap a finding of a rule with a higher ``priority``."""
    levels = sorted({prio.get(f.rule, 0) for f in kept})
    if len(levels) < 2:
        return set()
    drop: set[int] = set()
    for level in levels[:-1]:
        above = sorted((f.span.start, f.span.end) for f in kept if prio.get(f.rule, 0) > level)
        starts = [a for a, _ in above]
        reach = list(itertools.accumulate((b for _, b in above), max))  # furthest end of above[:k+1]
        for i, f in enumerate(kept):
            k = bisect.bisect_left(starts, f.span.end)  # above[:k] start before f ends
            if prio.get(f.rule, 0) == level and k and reach[k - 1] > f.span.start:
                drop.add(i)
    return drop


def _rank(f: Finding, prio: Mapping[str, int]) -> tuple:
    return (prio.get(f.rule, 0), f.severity.rank, bool(f.fixes), [-ord(c) for c in f.rule])
