"""Page chrome as one decision: contiguous chrome blocks become one finding (rule BP100).

The boilerplate rules (BP101–BP104) recognise scraped page furniture block by block: a share
bar, a "Hot Picks" title, each title, rank number, teaser and date of a list of other articles.
An editor makes one decision about such a stretch ("delete everything after the article"), so
findings of those rules on blocks separated only by blank lines are reported as one finding:

- its span runs from the first flagged block to the last;
- its one fix deletes the whole region, whole lines and the blank lines between them, and when
  the region ends the file, the blank lines it would leave behind at the end too (the file then
  ends with the article's last line and its line break);
- its message lists the region's lines (kind and text), so nothing is deleted unseen.

A single chrome block between two paragraphs of the article stays the finding of its own rule.
The rule is described in rules/boilerplate/BP100-page-chrome-region.yaml (kind ``builtin``: this
stage of the pipeline finds it, when BP100 is selected).
"""

from __future__ import annotations

from editor.document import LineIndex
from editor.engine.lists import word_pairs
from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span

CODE = "BP100"
NAME = "page-chrome-region"

_KINDS = word_pairs("chrome-block-kinds")

_MAX_LISTED = 40


def _deletion(f: Finding) -> tuple[int, int]:
    """The range a boilerplate finding's fix deletes (whole lines), or its span."""
    if f.fixes and len(f.fixes[0].edits) == 1 and not f.fixes[0].edits[0].replacement:
        e = f.fixes[0].edits[0].span
        return min(e.start, f.span.start), max(e.end, f.span.end)
    return f.span.start, f.span.end


def _snippet(text: str, f: Finding) -> str:
    s = " ".join(text[f.span.start:f.span.end].split())
    return s if len(s) <= 60 else s[:57].rstrip() + "…"


def regions(findings: list[Finding], text: str) -> list[Finding]:
    """``findings`` with each run of chrome findings on contiguous blocks replaced by one."""
    chrome = sorted((f for f in findings if f.category == "boilerplate" and f.rule in _KINDS),
                    key=lambda f: (f.span.start, f.span.end))
    if len(chrome) < 2:
        return findings
    groups: list[list[Finding]] = []
    for f in chrome:
        # only blank lines in between (nothing at all when the two overlap): the same region
        if groups and not text[_deletion(groups[-1][-1])[1]:_deletion(f)[0]].strip():
            groups[-1].append(f)
        else:
            groups.append([f])
    merged = {id(f) for g in groups if len(g) > 1 for f in g}
    out = [f for f in findings if id(f) not in merged]
    for g in groups:
        if len(g) > 1:
            out.append(_region(g, text))
    return sorted(out, key=Finding.sort_key)


def _region(group: list[Finding], text: str) -> Finding:
    start = min(_deletion(f)[0] for f in group)
    end = max(_deletion(f)[1] for f in group)
    if not text[end:].strip():
        # the region ends the file: delete to the end and the blank lines before the region too,
        # so that the file ends with the article's last line and its line break
        end = len(text)
        while start > 0 and text[start - 1] == "\n":
            prev = text.rfind("\n", 0, start - 1) + 1  # the line before
            if text[prev:start].strip():
                break
            start = prev
    else:
        # between two blocks of the article: leave one blank line between them, not two
        prev_blank = start == 0 or not text[text.rfind("\n", 0, max(start - 1, 0)) + 1:start].strip()
        nl = text.find("\n", end)
        if prev_blank and nl >= 0 and not text[end:nl].strip():
            end = nl + 1
    span = Span(min(f.span.start for f in group), max(f.span.end for f in group))
    lines = LineIndex(text)
    first, last = lines.position(span.start)[0], lines.position(span.end)[0]
    listed = [f"line {lines.position(f.span.start)[0]}: {_KINDS[f.rule]} “{_snippet(text, f)}”"
              for f in group[:_MAX_LISTED]]
    if len(group) > _MAX_LISTED:
        listed.append(f"and {len(group) - _MAX_LISTED} more")
    message = (f"Page chrome scraped with the article: {len(group)} blocks on lines {first}–{last} "
               f"({'; '.join(listed)}). Delete the region.")
    applicability = min((f.fixes[0].applicability for f in group if f.fixes), key=lambda a: a.rank,
                        default=Applicability.UNSAFE)
    fix = Fix((Edit(Span(start, end), ""),), applicability,
              f"delete the page chrome (lines {first}–{last})")
    severity = max((f.severity for f in group), key=lambda s: s.rank, default=Severity.WARNING)
    from editor.spans import Origin, finding_in_file

    return finding_in_file(span.start, span.end, Origin(CODE, NAME, "boilerplate", severity), message, (fix,))


def inside_chrome(findings: list[Finding]) -> list[Finding]:
    """``findings`` without those that lie inside page chrome (a truncated teaser's last word, a
    title's capitalisation): the chrome is deleted as a whole, its words are not the article's."""
    regions = [_deletion(f) for f in findings if f.category == "boilerplate"]
    if not regions:
        return findings
    return [f for f in findings
            if f.category == "boilerplate" or not any(a <= f.span.start and f.span.end <= b for a, b in regions)]
