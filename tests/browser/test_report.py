"""The reviewable HTML report, driven in headless Chromium.

The page applies accepted changes with its own JavaScript; these tests hold it to the one
definition of applying edits, ``editor.fixes.apply_fixes``: for every set of accepted changes the
downloaded article is byte for byte what Python produces, and the downloaded patch turns the
original file into exactly that.
"""

from __future__ import annotations

import difflib
import json
import random
import re
import shutil
from pathlib import Path

import pytest

from editor.document import SourceDocument, read_document
from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span
from editor.fixes import apply_fixes
from editor.pipeline import FileReport

from .conftest import OUTPUT, ROOT, write_report

SAFE, UNSAFE, SHOW = Applicability.SAFE, Applicability.UNSAFE, Applicability.DISPLAY_ONLY

# ------------------------------------------------------------------------------------------------
# A tricky article of our own: BOM, CRLF, astral characters before edits, alternatives, a
# multi-edit fix that overlaps another fix, a fix that joins two lines, an insertion at the very
# end of a file without a final newline, a display-only fix and a finding without a fix.

TRICKY = (
    "\U0001F30A Morning swim notes\r\n"
    "\r\n"
    "The swimmers is also need to rest \U0001F600 after the lap.\r\n"
    "Warm tips: drink water , and stretch .\r\n"
    "This line ends early\r\n"
    "and continues here.\r\n"
    "\r\n"
    "Last line has no newline"
)


def at(text: str, needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle))


def fix(level: Applicability, *edits: tuple[Span, str], title: str = "") -> Fix:
    return Fix(tuple(Edit(s, r) for s, r in edits), level, title or "apply")


def tricky_findings(text: str = TRICKY) -> list[Finding]:
    end = len(text)
    fs = [
        Finding("MT201", "grammar", Severity.ERROR, "Doubled verb group.", at(text, "is also need to"),
                (fix(UNSAFE, (at(text, "is also need to"), "also need to")),
                 fix(UNSAFE, (at(text, "is also need to"), "also needs to")),
                 fix(SHOW, (at(text, "is also need to"), "must also")))),
        Finding("MT301", "calque", Severity.WARNING, "Calque of 温馨提示.", at(text, "Warm tips"),
                (fix(SAFE, (at(text, "Warm tips"), "Tips")),), source="harper", sources=("cleanup", "harper")),
        Finding("MT501", "punctuation", Severity.INFO, "Space before a comma.", at(text, " ,"),
                (fix(SAFE, (at(text, " ,"), ",")),)),
        Finding("MT502", "structure", Severity.WARNING, "Two verbs without a link.", at(text, "drink water , and stretch"),
                (fix(UNSAFE, (at(text, " ,"), ","), (Span(at(text, "stretch").start, at(text, "stretch").start), "then ")),)),
        Finding("MT501", "punctuation", Severity.INFO, "Space before a full stop.", at(text, " ."),
                (fix(SAFE, (at(text, " ."), ".")),)),
        Finding("MT601", "structure", Severity.WARNING, "A sentence broken over two lines.", at(text, "early\r\nand"),
                (fix(UNSAFE, (at(text, "\r\nand"), " and")),)),
        Finding("MT701", "punctuation", Severity.INFO, "No full stop at the end.", Span(end, end),
                (fix(SAFE, (Span(end, end), ".")),)),
        Finding("MT801", "style", Severity.INFO, "A heading that reads as notes.", at(text, "Morning swim notes"),
                (fix(SHOW, (at(text, "Morning swim notes"), "Notes on a morning swim")),)),
        Finding("HARPER/Emoji", "style", Severity.INFO, "An emoji in prose.", at(text, "\U0001F600"), (),
                source="harper", sources=("harper",)),
        Finding("MT902", "collocation", Severity.WARNING, "One lap, one swim.", at(text, "after the lap"),
                (fix(SAFE, (at(text, "the lap"), "each lap")),)),
    ]
    return sorted(fs, key=Finding.sort_key)


ENGINES = {"cleanup": "on", "harper": "on", "languagetool": "off (not configured)"}


def expected(report: FileReport, accepted: dict[int, int]) -> str:
    """What the command line's fix code makes of the same accepted set: {finding id: fix index}."""
    return apply_fixes(report.doc.text, [report.findings[i].fixes[k] for i, k in sorted(accepted.items())]).text


def split_lines(s: str) -> list[str]:
    parts = s.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def apply_patch(original: str, patch: str) -> str:
    """Apply a unified diff strictly: every context and removed line must match the original."""
    if not patch:
        return original
    lines = split_lines(original)
    plines = split_lines(patch)
    assert plines[0].startswith("--- ") and plines[1].startswith("+++ "), plines[:2]
    out: list[str] = []
    pos = 0
    i = 2
    while i < len(plines):
        m = re.match(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$", plines[i])
        assert m, f"not a hunk header: {plines[i]!r}"
        a, b = int(m[1]), int(m[2] if m[2] is not None else 1)
        c, d = int(m[3]), int(m[4] if m[4] is not None else 1)
        start = a - 1 if b else a
        assert start >= pos, "hunks out of order"
        out.extend(lines[pos:start])
        assert len(out) == (c - 1 if d else c), f"new start {c} does not match"
        pos = start
        i += 1
        body: list[list[str]] = []
        while i < len(plines) and not plines[i].startswith("@@"):
            line = plines[i]
            if line.startswith("\\"):
                assert line == "\\ No newline at end of file\n"
                body[-1][1] = body[-1][1][:-1]
            else:
                assert line[0] in " -+", repr(line)
                body.append([line[0], line[1:]])
            i += 1
        assert sum(1 for k, _ in body if k != "+") == b and sum(1 for k, _ in body if k != "-") == d
        for kind, content in body:
            if kind in " -":
                assert lines[pos] == content, f"line {pos + 1}: {lines[pos]!r} != {content!r}"
                pos += 1
            if kind in " +":
                out.append(content)
    out.extend(lines[pos:])
    return "".join(out)


def review(rp, report: FileReport, accepted: dict[int, int], rejected=()) -> None:
    """Click through the page: choose alternatives, accept and reject."""
    for fid, k in accepted.items():
        f = report.findings[fid]
        applicable = [j for j, fx in enumerate(f.fixes) if fx.applicability is not SHOW and fx.edits]
        if len(applicable) > 1:
            rp.card(fid).locator(f"#alt-{fid}-{k}").check()
        rp.accept(fid)
    for fid in rejected:
        rp.reject(fid)


def changes_of(report: FileReport) -> list[int]:
    return [i for i, f in enumerate(report.findings)
            if any(fx.applicability is not SHOW and fx.edits for fx in f.fixes)]


def first_applicable(f: Finding) -> int:
    return next(j for j, fx in enumerate(f.fixes) if fx.applicability is not SHOW and fx.edits)


def check_downloads(rp, report: FileReport, accepted: dict[int, int]) -> None:
    bom = "\ufeff" if report.doc.bom else ""
    want = expected(report, accepted)
    name, got = rp.download_article()
    assert name == Path(report.doc.path).name
    assert got == (bom + want).encode("utf-8")
    pname, patch = rp.download_patch()
    assert pname == Path(report.doc.path).name + ".patch"
    patch_text = patch.decode("utf-8")
    assert apply_patch(bom + report.doc.text, patch_text) == bom + want
    if want == report.doc.text:
        assert patch_text == ""
    else:
        assert patch_text.startswith(f"--- a/{report.doc.path}\n+++ b/{report.doc.path}\n@@ -")


ORIGINAL_TEXT = """sel => {
    const c = document.querySelector(sel).cloneNode(true);
    c.querySelectorAll("sup.ref, ins").forEach(e => e.remove());
    return c.textContent;
}"""


def report_from_html(html: Path, text: str, bom: bool) -> FileReport:
    """The findings exactly as the page has them (its JSON block), as Python objects again."""
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>',
                                html.read_text(), re.S)[1])
    assert data["text"] == text and data["bom"] == bom
    findings = [Finding(d["rule"], d["category"], Severity(d["severity"]), d["message"], Span(d["start"], d["end"]),
                        tuple(Fix(tuple(Edit(Span(e["start"], e["end"]), e["replacement"]) for e in fx["edits"]),
                                  Applicability(fx["applicability"]), fx["title"]) for fx in d["fixes"]),
                        source=d["source"], name=d["name"], sources=tuple(d["sources"]))
                for d in data["findings"]]
    doc = SourceDocument.from_text(text, path=data["path"])
    doc.bom = bom
    return FileReport(doc=doc, findings=findings, words=data["words"])


def run_cli(*args: str) -> int:
    """`cleanup ARGS...` in this process; its exit status."""
    from editor.cli import main

    with pytest.raises(SystemExit) as ei:
        main(list(args))
    return ei.value.code


# ------------------------------------------------------------------------------------------------


@pytest.fixture
def tricky(tmp_path):
    return write_report(tmp_path, TRICKY, tricky_findings(), name="notes.txt", bom=True, engines=ENGINES)


def test_tricky_article_is_what_we_think():
    fs = tricky_findings()
    assert [f.rule for f in fs][:3] == ["MT801", "MT201", "HARPER/Emoji"]
    # the multi-edit fix and the space-before-comma fix overlap: Python applies only the first
    r = apply_fixes(TRICKY, [f.fixes[0] for f in fs if f.fixes and f.fixes[0].applicability is not SHOW])
    assert len(r.skipped) == 1 and "water, and then stretch." in r.text
    assert r.text.endswith("Last line has no newline.") and "early and continues" in r.text


@pytest.mark.parametrize("case", ["all", "none", "reject-one", "alternatives", "random"])
def test_download_equals_the_command_lines_fixes(open_report, tricky, case):
    path, report = tricky
    ids = changes_of(report)
    accepted: dict[int, int] = {}
    rejected: list[int] = []
    if case == "all":
        accepted = {i: first_applicable(report.findings[i]) for i in ids}
    elif case == "reject-one":
        rejected = [ids[2]]
        accepted = {i: first_applicable(report.findings[i]) for i in ids if i not in rejected}
    elif case == "alternatives":
        accepted = {i: (1 if report.findings[i].rule == "MT201" else first_applicable(report.findings[i])) for i in ids[:4]}
    elif case == "random":
        rnd = random.Random(5)
        for i in ids:
            roll = rnd.random()
            if roll < 0.5:
                accepted[i] = rnd.choice([j for j, fx in enumerate(report.findings[i].fixes) if fx.applicability is not SHOW])
            elif roll < 0.75:
                rejected.append(i)
    rp = open_report(path)
    review(rp, report, accepted, rejected)
    st = rp.status()
    assert (st["accepted"], st["rejected"], st["undecided"]) == (len(accepted), len(rejected),
                                                                  len(ids) - len(accepted) - len(rejected))
    check_downloads(rp, report, accepted)
    assert rp.errors == []


def test_page_applies_edits_like_python_on_random_inputs(open_report, tricky):
    """Many random texts and fix sets (astral characters, CRLF and lone CR, insertions, multi-edit
    and overlapping fixes): the page's code gives what editor.fixes.apply_fixes gives, picks the
    same fixes, and its patch turns the file into exactly that."""
    rnd = random.Random(20261124)
    pieces = ["a", "b", "Cd", " ", "\n", "\r\n", "\r", "\U0001F600", "中", "é", "\t"]
    cases = []
    for n in range(400):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30)))
        fixes = []
        for _ in range(rnd.randint(0, 6)):
            edits = []
            for _ in range(rnd.randint(1, 3) if rnd.random() < 0.9 else 0):
                a = rnd.randint(0, len(text))
                b = min(len(text), a + rnd.choice([0, 0, 1, 2, 3, 6]))
                edits.append(Edit(Span(a, b), "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 3)))))
            fixes.append(Fix(tuple(edits), SAFE, "t"))
        cases.append((text, fixes, n % 3 == 0))
    payload = [{"text": t, "bom": bom, "fixes": [{"id": i, "edits": [{"start": e.span.start, "end": e.span.end,
                                                                      "replacement": e.replacement} for e in f.edits]}
                                                 for i, f in enumerate(fs)]} for t, fs, bom in cases]
    rp = open_report(tricky[0])
    got = rp.page.evaluate("""cases => cases.map(c => {
        const r = window.cleanupEdits.applyFixes(c.text, c.fixes);
        return {text: r.text, applied: r.applied.map(f => f.id), skipped: r.skipped.map(f => f.id),
                patch: window.cleanupEdits.patchFor(c.text, c.bom, c.fixes, "x.txt")};
    })""", payload)
    skipped_any = 0
    for (text, fixes, bom), g in zip(cases, got):
        want = apply_fixes(text, fixes)
        assert g["text"] == want.text, (text, fixes)
        position = {id(f): i for i, f in enumerate(fixes)}
        assert g["applied"] == [position[id(f)] for f in want.applied]
        assert g["skipped"] == [position[id(f)] for f in want.skipped]
        b = "\ufeff" if bom else ""
        assert apply_patch(b + text, g["patch"]) == b + want.text, (text, fixes, g["patch"])
        assert (g["patch"] == "") == (want.text == text)
        skipped_any += bool(want.skipped)
    assert skipped_any > 50  # the cases do exercise overlaps
    assert rp.errors == []


def test_overlapping_accepted_changes_are_skipped_like_python(open_report, tricky):
    path, report = tricky
    comma = next(i for i, f in enumerate(report.findings) if f.message == "Space before a comma.")
    multi = next(i for i, f in enumerate(report.findings) if f.rule == "MT502")
    rp = open_report(path)
    # the comma fix lies inside the multi-edit change's range: drawn once, and the card says so
    assert rp.page.locator(f"#c{comma}").count() == 0
    assert f"Overlaps finding {multi + 1} in the article" in rp.card(comma).inner_text()
    rp.card(comma).locator("button.show").click()
    assert "current" in rp.page.get_attribute(f"#c{multi}", "class").split()
    rp.accept(comma)
    assert rp.card(comma).locator(".skip-note").is_hidden()
    rp.accept(multi)
    # the multi-edit fix starts at the same place and reaches further: it goes first, the other is skipped
    assert rp.card(comma).locator(".skip-note").is_visible()
    assert "will not be applied" in rp.card(comma).inner_text()
    assert "overlap" in rp.page.inner_text("#review-status")
    check_downloads(rp, report, {comma: 0, multi: 0})
    rp.reject(multi)
    assert rp.card(comma).locator(".skip-note").is_hidden()


def test_real_pipeline_reports(open_report, tmp_path):
    """The samples through the real checker and the CLI: all, none and all-but-one accepted."""
    from editor.api import get_checker

    for sample in ("morning-swimming.md", "tea-and-sleep.txt"):
        shutil.copy(ROOT / "samples" / sample, tmp_path / sample)
        assert run_cli("--fail-on", "never", "--quiet", str(tmp_path / sample)) == 0
        html = tmp_path / (sample + ".cleanup.html")
        assert html.exists()
        doc = read_document(tmp_path / sample)
        report = report_from_html(html, doc.text, doc.bom)
        # the page's findings are the checker's (the CLI may also run other engines)
        # (the page shows each finding's extent: its span and every edit of its fixes, editor.render.model)
        ours = {(f.rule, f.extent) for f in get_checker().check(doc).findings}
        assert ours <= {(f.rule, f.span) for f in report.findings}
        ids = changes_of(report)
        assert len(ids) >= 3, sample
        for case in ("none", "all", "reject-one"):
            rp = open_report(html)
            assert rp.page.locator("ol#finding-list > li").count() == len(report.findings)
            accepted = {}
            if case != "none":
                accepted = {i: first_applicable(report.findings[i]) for i in ids}
            if case == "reject-one":
                del accepted[ids[1]]
            review(rp, report, accepted, [ids[1]] if case == "reject-one" else [])
            check_downloads(rp, report, accepted)
            if case != "none" and all(t.endswith("\n") for t in split_lines(doc.text)):
                # and the patch reads exactly like `cleanup --diff` (difflib) would print it
                want = expected(report, accepted)
                _, patch = rp.download_patch()
                assert patch.decode() == "".join(difflib.unified_diff(
                    split_lines(doc.text), split_lines(want), f"a/{doc.path}", f"b/{doc.path}"))
            assert rp.errors == []
            rp.page.context.close()


def test_page_loads_without_console_errors_and_screenshot(open_report, tmp_path):
    shutil.copy(ROOT / "samples" / "morning-swimming.md", tmp_path / "morning-swimming.md")
    assert run_cli("--fail-on", "never", "--quiet", str(tmp_path / "morning-swimming.md")) == 0
    rp = open_report(tmp_path / "morning-swimming.md.cleanup.html")
    requests = []
    rp.page.on("request", lambda r: requests.append(r.url))
    assert rp.page.locator("#toolbar").is_visible()
    assert rp.page.locator("ol#finding-list > li").count() > 3
    rp.page.keyboard.press("j")
    rp.page.keyboard.press("a")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    shot = OUTPUT / "report.png"
    rp.page.screenshot(path=str(shot), full_page=True)
    print(f"\nscreenshot of a sample report: {shot}")
    assert shot.stat().st_size > 10_000
    rp.page.click("#view-side")
    rp.page.screenshot(path=str(OUTPUT / "report-side-by-side.png"))
    assert rp.errors == []
    assert all(u.startswith(("file:", "blob:", "data:")) for u in requests), requests


def test_injection_samples_do_not_execute(open_report, tmp_path):
    text = (ROOT / "tests" / "data" / "report_injection.md").read_text()
    hostile = "<script>window.__pwned=7</script><img src=x onerror=window.__pwned=8>"
    fs = sorted([
        Finding("MT001", "grammar", Severity.ERROR, "Say <b>cannot</b> " + hostile, at(text, "can not"),
                (fix(SAFE, (at(text, "can not"), "cannot")), fix(UNSAFE, (at(text, "can not"), hostile)))),
        Finding("MT002<img src=x onerror=window.__pwned=9>", "style", Severity.WARNING, "A raw tag.",
                at(text, '<img src=x onerror="window.__pwned = 2">'),
                (fix(UNSAFE, (at(text, '<img src=x onerror="window.__pwned = 2">'), "<svg onload=window.__pwned=10>")),),
                name="<script>window.__pwned=11</script>"),
        Finding("MT003", "style", Severity.INFO, "A script link.", at(text, "javascript:window.__pwned=3"), ()),
        Finding("MT004", "grammar", Severity.ERROR, "Doubled verb.", at(text, "is also need to"),
                (fix(UNSAFE, (at(text, "is also need to"), "also need to")),)),
    ], key=Finding.sort_key)
    path, report = write_report(tmp_path, text, fs, name="<img src=x onerror=window.__pwned=12>.md")
    html = path.read_text()
    assert html.count("<script") == 2  # ours: the JSON block and the page script
    rp = open_report(path)
    page = rp.page
    pwned = "() => window.__pwned"
    assert page.evaluate(pwned) is None
    # shown as text, exactly as written: the article view without the inserted words and the
    # reference numbers is the article itself, character for character
    assert page.evaluate(ORIGINAL_TEXT, "#inline-view") == text
    assert '<img src=x onerror="window.__pwned = 2">' in page.inner_text("#f1 .flagged")
    shown = page.inner_text("#inline-view")
    for raw in ("<script>window.__pwned = 1</script>", "&amp; &lt;b&gt; &#60;script&#62; and &copy;",
                "<!-- hidden -->", "</script><script>window.__pwned = 5</script>", "<style>body { display: none }</style>"):
        assert raw in shown, raw
    assert "Say <b>cannot</b> " + hostile in rp.card(0).inner_text() or any(
        "Say <b>cannot</b> " + hostile in rp.card(i).inner_text() for i in range(len(fs)))
    # exercise everything that renders article text
    page.click("#accept-safe")
    for i in range(len(fs)):
        if fs[i].fixes:
            rp.accept(i)
    alt = page.locator("input[type=radio][value$=':1']").first
    alt.check()
    page.click("#view-side")
    assert "<svg onload=window.__pwned=10>" in page.inner_text("#side-view")
    rp.download_article()
    rp.download_patch()
    assert page.evaluate(pwned) is None
    counts = page.evaluate("""() => ({
        img: document.querySelectorAll('img, iframe, svg, object, embed').length,
        script: document.querySelectorAll('script').length,
        style: document.querySelectorAll('style').length,
        js: document.querySelectorAll('[href^="javascript:" i], [src^="javascript:" i]').length,
        on: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
    })""")
    assert counts == {"img": 0, "script": 2, "style": 1, "js": 0, "on": 0}
    assert page.title() == "cleanup report: <img src=x onerror=window.__pwned=12>.md"
    # the page's CSP enforces Trusted Types: assigning HTML strings throws, whoever tries it
    assert page.evaluate("() => { try { document.body.innerHTML = '<b>x</b>'; return 'assigned' } "
                         "catch (e) { return e.name } }") == "TypeError"
    rp.errors.clear()
    # and no network: fetch is refused by the policy
    assert page.evaluate("() => fetch('https://example.invalid/x').then(() => 'fetched', () => 'refused')") == "refused"
    assert any("Content Security Policy" in e for e in rp.errors)


def test_keyboard_navigation(open_report, tricky):
    path, report = tricky
    rp = open_report(path)
    page = rp.page
    kb = page.keyboard
    assert rp.current() is None
    kb.press("j")
    assert rp.current() == 0
    assert page.evaluate("document.activeElement.id") == "f0"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"  # focus visible
    kb.press("j")
    assert rp.current() == 1
    kb.press("n")
    assert rp.current() == 2
    kb.press("k")
    assert rp.current() == 1
    kb.press("p")
    kb.press("p")  # the first: stays, and says so
    assert rp.current() == 0
    assert "first finding" in page.inner_text("#review-status")
    kb.press("j")  # 1: MT201, a change with two alternatives
    assert report.findings[1].rule == "MT201"
    kb.press("a")
    assert rp.state(1) == "accepted" and rp.status()["accepted"] == 1
    assert "✓" in page.inner_text("#f1 .state") and page.inner_text("sup.ref[data-id='1']") == "2✓"
    kb.press("r")
    assert rp.state(1) == "rejected" and rp.status() == {"accepted": 0, "rejected": 1, "undecided": len(changes_of(report)) - 1}
    kb.press("u")
    assert rp.state(1) == "undecided"
    kb.press("2")
    assert page.is_checked("#alt-1-1")
    assert page.inner_text("#c1 ins") == "needs"
    kb.press("a")
    # filters: hide info findings; navigation skips them
    page.click("details.filters > summary")
    page.uncheck("#filter-severity-info")
    assert page.locator("#f2").is_hidden()
    kb.press("j")
    nxt = rp.current()
    assert report.findings[nxt].severity.value != "info" and nxt > 2
    kb.press("k")
    assert rp.current() == 1
    kb.press("s")
    assert page.locator("#side-view").is_visible() and page.locator("#inline-view").is_hidden()
    kb.press("s")
    assert page.locator("#inline-view").is_visible()
    assert rp.errors == []


def test_review_state_survives_a_reload(open_report, new_context, tricky, tmp_path):
    path, report = tricky
    ctx = new_context()
    rp = open_report(path, context=ctx)
    rp.card(1).locator("#alt-1-1").check()
    rp.accept(1)
    rp.accept(3)
    rp.reject(4)
    rp.page.click("#view-side")
    before = rp.status()
    _, article = rp.download_article()
    rp.reload()
    assert rp.status() == before
    assert rp.state(1) == "accepted" and rp.state(3) == "accepted" and rp.state(4) == "rejected"
    assert rp.page.is_checked("#alt-1-1")
    assert rp.page.locator("#side-view").is_visible()
    assert rp.download_article()[1] == article
    # keyed by the article's content: a report of the same text written again finds the decisions,
    # another article does not
    (tmp_path / "again").mkdir()
    again, _ = write_report(tmp_path / "again", TRICKY, tricky_findings(), name="notes.txt", bom=True, elapsed=9.0)
    assert open_report(again, context=ctx).status() == before
    other_text = TRICKY.replace("rest", "sleep")
    other, _ = write_report(tmp_path, other_text, tricky_findings(other_text), name="other.txt")
    assert open_report(other, context=ctx).status()["accepted"] == 0
    assert rp.errors == []


def test_side_by_side_view(open_report, tricky):
    path, report = tricky
    rp = open_report(path)
    page = rp.page
    heading = report.findings.index(next(f for f in report.findings if f.rule == "MT301"))  # Warm tips -> Tips
    lap = report.findings.index(next(f for f in report.findings if f.rule == "MT902"))  # the lap -> each lap
    rp.accept(heading)
    rp.reject(lap)
    page.click("#view-side")
    assert page.get_attribute("#view-side", "aria-pressed") == "true"
    rows = page.locator("#side-view tbody tr")
    assert rows.count() == 3  # one row a paragraph
    left = page.evaluate("""() => [...document.querySelectorAll('#side-view tbody td:first-child')].map(td => {
        const c = td.cloneNode(true); c.querySelectorAll('sup.ref').forEach(e => e.remove()); return c.textContent; })""")
    assert "".join(left) == re.sub(r"\r?\n[ \t]*(?:\r?\n)+", "", TRICKY)
    right = lambda: page.evaluate("""() => {
        const c = document.querySelectorAll('#side-view tbody td:nth-child(2)')[1].cloneNode(true);
        c.querySelectorAll('sup.ref').forEach(e => e.remove()); return c.textContent; }""")
    assert "\r\nTips: drink" in right() and "Warm tips" not in right()
    assert "after the lap" in right()  # rejected: the original stays
    assert page.inner_text(f"#side-view td:nth-child(2) sup.ref[data-id='{heading}']") == f"{heading + 1}✓"
    assert page.inner_text(f"#side-view td:nth-child(2) sup.ref[data-id='{lap}']") == f"{lap + 1}✗"
    rp.page.keyboard.press("j")
    assert page.locator("#side-view td:nth-child(2) .current").count() == 1
    rp.accept(lap)
    assert "after each lap" in right()
    assert rp.errors == []


def test_accept_all_safe_respects_filters_and_rejections(open_report, tricky):
    path, report = tricky
    rp = open_report(path)
    safe = [i for i in changes_of(report) if report.findings[i].fixes[first_applicable(report.findings[i])].applicability is SAFE]
    assert len(safe) >= 4
    rp.reject(safe[0])
    rp.page.click("details.filters > summary")
    hidden_cat = report.findings[safe[1]].category
    rp.page.uncheck(f"#filter-category-{hidden_cat}")
    rp.page.click("#accept-safe")
    for i in changes_of(report):
        f = report.findings[i]
        want = ("rejected" if i == safe[0] else
                "accepted" if i in safe and f.category != hidden_cat else "undecided")
        assert rp.state(i) == want, (i, f.rule)
    assert rp.errors == []


def test_header_figures(open_report, tricky):
    path, report = tricky
    page = open_report(path).page
    header = page.inner_text("header")
    assert "notes.txt" in page.inner_text("h1")
    assert re.search(rf"Words:?\s*{report.words}\b", header)
    n = len(report.findings)
    assert re.search(rf"Findings:?\s*{n} \({round(1000 * n / report.words, 1)} per 1,000 words\)", header)
    assert "✖ error: 1" in header and "▲ warning: 4" in header and "ℹ info: 5" in header
    assert "punctuation: 3" in header and "structure: 2" in header
    assert "cleanup: on" in header and "harper: on" in header and "languagetool: off (not configured)" in header
    assert re.search(r"Run time:?\s*0\.25 s", header)
    # engine filter: harper-only findings can be hidden
    page.click("details.filters > summary")
    page.uncheck("#filter-engine-cleanup")
    visible = page.locator("ol#finding-list > li:visible")
    assert visible.count() == 2  # reported by harper (one of them by both engines)


def test_prints_well(open_report, tricky):
    page = open_report(tricky[0]).page
    page.emulate_media(media="print")
    assert page.locator("#toolbar").is_hidden()
    assert page.locator(".actions").first.is_hidden()
    assert page.locator("#inline-view").is_visible() and page.locator("#finding-list").is_visible()
    pdf = page.pdf()  # headless Chromium can print: the report lays out on paper
    assert pdf[:4] == b"%PDF" and len(pdf) > 5_000


def test_accessible_names_and_non_colour_signals(open_report, tricky):
    path, report = tricky
    page = open_report(path).page
    # every button has a text name; every severity and review state is written out, not only coloured
    names = page.eval_on_selector_all("button", "bs => bs.map(b => b.textContent.trim())")
    assert all(names)
    for i, f in enumerate(report.findings):
        card = page.inner_text(f"#f{i}")
        assert f.severity.value in card
        assert ("to review" in card) if i in changes_of(report) else ("no automatic fix" in card)
    assert page.locator("main section[aria-labelledby] h2").count() == 2
    assert page.get_attribute("#review-status", "role") == "status"
    # deleted and inserted words are <del>/<ins> (struck through / underlined), not colour alone
    deco = page.evaluate("() => [getComputedStyle(document.querySelector('#inline-view del')).textDecorationLine,"
                         " getComputedStyle(document.querySelector('#inline-view ins')).textDecorationLine]")
    assert deco == ["line-through", "underline"]


def test_empty_report_in_browser(open_report, tmp_path):
    path, _ = write_report(tmp_path, "All good here.\n", [], name="clean.md")
    rp = open_report(path)
    assert rp.page.is_visible("#no-findings")
    assert rp.status() == {"accepted": 0, "rejected": 0, "undecided": 0}
    _, article = rp.download_article()
    assert article == b"All good here.\n"
    assert rp.errors == []


def test_without_scripts_the_report_still_reads(browser, tricky):
    path, report = tricky
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(path.resolve().as_uri())
        body = page.inner_text("body")
        assert "Scripts are off" in body
        assert page.locator("#toolbar").is_hidden()
        for f in report.findings:
            assert f.message in body
        deleted = page.eval_on_selector_all("main del", "ds => ds.map(d => d.textContent)")
        assert "Warm tips" in deleted and "lap" not in deleted
        assert "Tips" in body and "also need to" in body
    finally:
        ctx.close()

