"""The pipeline: segment → analyze → detect → resolve (→ fix). One module, one job a function."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

from editor.checks.base import CheckContext, Hit, Unit
from editor.chrome import inside_chrome, regions as chrome_regions
from editor.document import SourceDocument
from editor.engine.rules import Rule, RuleSet
from editor.findings import Applicability, Edit, Finding, Fix, Span
from editor.fixes import FixLoop, fix_loop
from editor.nlp import analyze, word_count
from editor.segment import Segment, segment


# What the report says of an engine that did not run (editor/backends: Harper is on unless
# ignored or not installed; LanguageTool only when a server is configured)
OTHER_ENGINES_OFF = {
    "harper": "off (ignored, or harper-py not installed)",
    "languagetool": "off (not configured: --languagetool local|URL)",
}


@dataclass
class Checker:
    """A loaded model and rule set: everything needed to check many documents in one process."""

    nlp: object
    ruleset: RuleSet
    # (findings, text, fmt) -> findings: the file's configuration (editor.config.postprocessor:
    # house substitutions, per-rule severity, suppression comments); None: findings as detected
    postprocess: Callable[[list[Finding], str, str], list[Finding]] | None = None
    # other engines (editor.backends: Harper, LanguageTool), run in threads during the parse
    engines: tuple = ()
    vocabulary: tuple[str, ...] = ()  # names and terms the spelling engines accept
    # True: the engines' threads run beside spaCy's parse (one file, lowest latency); False: after
    # it, so that one check keeps to one core (batch workers, where processes give the parallelism)
    overlap: bool = True
    dialect: str = "us"  # the English variant our spelling rule checks against (config ``dialect``)

    def detect(self, text: str, fmt: str, path: str = "") -> list[Finding]:
        found = resolve(self.detect_raw(text, fmt, path, merged=True))
        return self.postprocess(found, text, fmt) if self.postprocess is not None else found

    def detect_raw(self, text: str, fmt: str, path: str = "", merged: bool = False) -> list[Finding]:
        """Every engine's findings before overlap resolution; ``merged``: one finding per problem
        across engines (editor.merge), else each engine's own (what the evaluation measures
        rule by rule: ``resolve(merge(subset))`` is what a run with only that subset reports)."""
        segments = segment(text, fmt)
        # checks' work that needs only the segments (a speller's lint): in a thread beside the
        # parse, or, for one-core batch workers, right away
        prepared = {code: prep(segments, self.dialect, self.overlap)
                    for code, prep in (getattr(self.ruleset, "preparers", {}).items() if segments else ())}
        pending = [(e, e.start(segments)) for e in self.engines] if segments and self.overlap else []
        units = analyze(segments, self.nlp) if segments else []
        if segments and not self.overlap:
            pending = [(e, e.start(segments)) for e in self.engines]
        ctx = CheckContext(units=units, path=path, fmt=fmt, dialect=self.dialect, prepared=prepared)
        found = [f for f in (to_finding(r, u, h, segments, text) for r, u, h in self.ruleset.run(ctx)) if f]
        found = chrome_regions(found, text)  # contiguous page chrome: one finding (BP100)
        if pending or any(f.category == "spelling" for f in found):
            from editor.backends import combine

            # other engines' findings merged with ours (editor.merge): one finding per problem;
            # spelling findings on names and vocabulary words dropped, ours and theirs
            found = combine(found, pending, segments, units, text, self.vocabulary, merged=merged)
        return inside_chrome(found)

    def check(self, doc: SourceDocument, fix: Applicability | None = None) -> "FileReport":
        t0 = time.perf_counter()
        findings = self.detect(doc.text, doc.fmt, doc.path)
        report = FileReport(doc=doc, findings=findings, words=word_count(doc.text))
        report.engines.update({e.name: e.describe() for e in self.engines})
        for name, off in OTHER_ENGINES_OFF.items():  # say which engines did not run, and why
            report.engines.setdefault(name, off)
        if fix is not None:
            loop = fix_loop(doc.text, lambda t: self.detect(t, doc.fmt, doc.path), fix)
            report.fixed_text, report.fixes_applied, report.remaining = loop.text, loop.applied, loop.findings
            report.fix_loop = loop
        report.elapsed = time.perf_counter() - t0
        return report


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


def _format_message(template: str, flagged: str) -> str:
    return template.replace("{match}", flagged)


def to_finding(rule: Rule, unit: Unit, hit: Hit, segments: list[Segment], text: str) -> Finding | None:
    """A hit in unit coordinates → a Finding in source coordinates (None if it touches masked text)."""
    seg = segments[unit.segment_index]
    s, e = unit.offset + hit.start, unit.offset + hit.end
    if not (0 <= s <= e <= len(seg.text)):
        raise ValueError(f"{rule.code}: hit [{hit.start}, {hit.end}) outside its unit")
    if seg.is_masked(s, e):
        return None
    src_start, src_end = seg.to_source(s, e)
    flagged = text[src_start:src_end]
    fixes: list[Fix] = []
    if rule.applicability is not None:
        applicability = rule.applicability
        if hit.applicability is not None and Applicability(hit.applicability).rank < applicability.rank:
            applicability = Applicability(hit.applicability)  # the check is less sure of this rewrite
        if flagged != seg.text[s:e]:
            # the span crosses markup (emphasis, an entity): replacing it would lose the markup
            applicability = Applicability.DISPLAY_ONLY
        title = rule.fix_title
        for r in hit.replacements:
            fixes.append(Fix((Edit(Span(src_start, src_end), r),), applicability, title or _title(flagged, r)))
        if hit.edits:
            edits = []
            ok = True
            for a, b, r in hit.edits:
                a2, b2 = unit.offset + a, unit.offset + b
                if seg.is_masked(a2, b2) and a2 != b2:
                    ok = False
                    break
                sa, sb = seg.to_source(a2, b2)
                edits.append(Edit(Span(sa, sb), r))
            if ok:
                fixes.insert(0, Fix(tuple(edits), applicability, title or "apply the suggested rewrite"))
    if rule.category == "boilerplate":
        fixes = [_delete_whole_lines(fix, text) for fix in fixes]
    message = _format_message(hit.message or rule.message, flagged)
    return Finding(
        rule=rule.code,
        category=rule.category,
        severity=rule.severity,
        message=message,
        span=Span(src_start, src_end),
        fixes=tuple(fixes),
        source="cleanup",
        name=rule.name,
        sources=("cleanup",),
    )


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


def _title(old: str, new: str) -> str:
    if new == "":
        return f"delete “{old}”" if len(old) <= 40 else "delete this text"
    return f"replace with “{new}”"


def resolve(findings: Iterable[Finding]) -> list[Finding]:
    """Overlap resolution in one place: one finding per span and rule; the same span flagged by
    several rules is reported once (the most severe; with a fix before without; lower code first)."""
    best: dict[tuple[int, int], Finding] = {}
    for f in findings:
        key = (f.span.start, f.span.end)
        cur = best.get(key)
        if cur is None or _rank(f) > _rank(cur):
            best[key] = f
    return sorted(best.values(), key=Finding.sort_key)


def _rank(f: Finding) -> tuple:
    return (f.severity.rank, bool(f.fixes), [-ord(c) for c in f.rule])
