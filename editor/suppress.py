"""Suppression comments in articles (Markdown/HTML comments; they work in plain text too).

    <!-- cleanup-disable MT301,MT2 -->   … findings of these rules are not reported …
    <!-- cleanup-enable -->              (or ``cleanup-enable MT301``: re-enable some of them)
    <!-- cleanup-disable-next-line MT301 -->   only the next non-blank line
    <!-- cleanup-disable -->             no list: every rule (to the next cleanup-enable)

Rule lists are codes or code prefixes (``MT3`` covers ``MT301``), comma- or space-separated.
A ``cleanup-disable`` block reaches from the end of the comment to the start of the matching
``cleanup-enable`` (or the end of the file); a finding is suppressed when it starts inside the
block. ``cleanup-disable-next-line`` suppresses findings that start on the next non-blank line.
Comments inside fenced or indented code blocks of a Markdown file are not directives.

A directive that suppresses nothing is reported, with ``--report-unused-suppressions``, as a
finding of rule CU001 (warning, with a safe fix that deletes the comment; its rule file is
rules/builtin/CU001-unused-suppression.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span

UNUSED_CODE = "CU001"
UNUSED_NAME = "unused-suppression"

_DIRECTIVE = re.compile(
    r"<!--\s*cleanup-(?P<kind>disable-next-line|disable|enable)\b(?P<rules>[^>]*?)\s*-->",
    re.IGNORECASE,
)
# a code or code prefix as written in rule files (MT301, MT3, ST) or another engine's (HARPER/Spelling)
_RULE = re.compile(r"^(?:ALL|[A-Z]+[0-9]*(?:/[A-Za-z0-9_.-]+)?)$")


@dataclass
class Directive:
    kind: str  # disable | enable | disable-next-line
    rules: tuple[str, ...]  # empty: every rule
    span: Span  # the comment in the source
    line: int  # 1-based line of the comment's end
    # where it applies (disable, disable-next-line): [start, end) in source offsets
    start: int = 0
    end: int = 0
    used: set = field(default_factory=set)  # the rule prefixes that suppressed something ("" = all)

    def covers(self, code: str) -> str | None:
        """The prefix of this directive that matches ``code`` ("" when it covers every rule)."""
        if not self.rules or "ALL" in self.rules:
            return ""
        for r in self.rules:
            if code.startswith(r):
                return r
        return None


def _code_ranges(text: str, fmt: str) -> list[tuple[int, int]]:
    """Source ranges of Markdown code blocks (no directives in there)."""
    if fmt != "md" or "```" not in text and "~~~" not in text and "\n    " not in text and "\n\t" not in text:
        return []
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    line_starts = [0]
    for m in re.finditer(r"\r\n|\r|\n", text):
        line_starts.append(m.end())
    out = []
    for t in tokens:
        if t.type in ("fence", "code_block") and t.map:
            a, b = t.map
            start = line_starts[a] if a < len(line_starts) else len(text)
            end = line_starts[b] if b < len(line_starts) else len(text)
            out.append((start, end))
    return out


def parse_directives(text: str, fmt: str = "md") -> list[Directive]:
    """Every suppression directive in ``text``, with the source range each one covers."""
    if "cleanup-" not in text:
        return []
    code = _code_ranges(text, fmt)
    raw: list[Directive] = []
    for m in _DIRECTIVE.finditer(text):
        if any(a <= m.start() < b for a, b in code):
            continue
        rules = tuple(r for r in re.split(r"[,\s]+", m.group("rules").strip()) if r)
        if any(not _RULE.match(r) for r in rules):
            continue  # not a directive we understand (e.g. prose mentioning the syntax)
        line = text.count("\n", 0, m.end()) + 1
        raw.append(Directive(m.group("kind").lower(), rules,
                             Span(m.start(), m.end()), line))
    out: list[Directive] = []
    open_blocks: list[Directive] = []
    for d in raw:
        if d.kind == "disable-next-line":
            d.start, d.end = _next_nonblank_line(text, d.span.end)
            out.append(d)
        elif d.kind == "disable":
            d.start, d.end = d.span.end, len(text)
            open_blocks.append(d)
            out.append(d)
        else:  # enable: closes the open blocks it names (all of them without a list)
            still = []
            for b in open_blocks:
                if not d.rules or (b.rules and all(any(r.startswith(e) for e in d.rules) for r in b.rules)):
                    b.end = d.span.start
                else:
                    still.append(b)
            open_blocks = still
    return out


def _next_nonblank_line(text: str, pos: int) -> tuple[int, int]:
    nl = re.compile(r"\r\n|\r|\n")
    m = nl.search(text, pos)
    if m is None:
        return len(text), len(text)
    i = m.end()
    while i < len(text):
        m2 = nl.search(text, i)
        line_end = m2.start() if m2 else len(text)
        if text[i:line_end].strip():
            return i, line_end
        if m2 is None:
            break
        i = m2.end()
    return len(text), len(text)


def apply_suppressions(findings: list[Finding], text: str, fmt: str = "md",
                       report_unused: bool = False) -> list[Finding]:
    """Drop the findings the article's directives suppress; with ``report_unused``, add a CU001
    finding for each directive that suppressed nothing."""
    directives = [d for d in parse_directives(text, fmt) if d.kind != "enable"]
    if not directives:
        return findings
    kept = []
    for f in findings:
        hit = False
        for d in directives:
            if d.start <= f.span.start < d.end:
                prefix = d.covers(f.rule)
                if prefix is not None:
                    d.used.add(prefix)
                    hit = True
        if not hit:
            kept.append(f)
    if report_unused:
        for d in directives:
            if not d.used:
                kept.append(_unused_finding(d, text))
        kept.sort(key=Finding.sort_key)
    return kept


def _unused_finding(d: Directive, text: str) -> Finding:
    s, e = d.span.start, d.span.end
    # delete the whole line when the comment stands alone on it
    line_start = max(text.rfind("\n", 0, s), text.rfind("\r", 0, s)) + 1
    m = re.compile(r"[ \t]*(\r\n|\r|\n|$)").match(text, e)
    del_s, del_e = s, e
    if not text[line_start:s].strip() and m is not None:
        del_s, del_e = line_start, m.end()
    what = f"rule{'s' if len(d.rules) > 1 else ''} {', '.join(d.rules)}" if d.rules else "any rule"
    msg = f"this cleanup-{d.kind} comment suppresses no finding of {what}; remove it"
    fix = Fix((Edit(Span(del_s, del_e), ""),), Applicability.SAFE, "delete the unused suppression comment")
    from editor.spans import Origin, finding_in_file

    return finding_in_file(s, e, Origin(UNUSED_CODE, UNUSED_NAME, "style", Severity.WARNING), msg, (fix,))


__all__ = ["Directive", "parse_directives", "apply_suppressions", "UNUSED_CODE"]
