"""The report finishes the job (issue 13): the editor's own text for any finding and for any
selected text, "accept all" per rule and per category, one card for findings on the same span,
export/import of the review. Every download is held to ``editor.fixes.apply_fixes`` for the same
decisions, and the exported review, read by ``editor.review``, gives the same article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from editor.document import content_hash
from editor.findings import Edit, Finding, Fix, Severity, Span
from editor.fixes import apply_fixes
from editor.review import apply_review

from .conftest import write_report
from .test_report import ENGINES, SAFE, SHOW, TRICKY, UNSAFE, at, changes_of, fix, tricky_findings


@pytest.fixture
def tricky(tmp_path):
    return write_report(tmp_path, TRICKY, tricky_findings(), name="notes.txt", bom=True, engines=ENGINES)


def idx(report, rule: str, nth: int = 0) -> int:
    return [i for i, f in enumerate(report.findings) if f.rule == rule][nth]


def download(rp) -> str:
    _, data = rp.download_article()
    return data.decode("utf-8")


def export(rp) -> dict:
    with rp.page.expect_download() as info:
        rp.page.click("#export-review")
    d = info.value
    assert d.suggested_filename.endswith(".review.json")
    return json.loads(Path(d.path()).read_text(encoding="utf-8"))


def rewrite(rp, cid, value: str) -> None:
    card = rp.page.locator(f"#f{cid}")
    card.locator("details.rewrite > summary").click()
    card.locator("textarea").fill(value)
    card.locator("button.save-rewrite").click()


def select_text(rp, needle: str, nth_text_node: int = 0) -> None:
    """Select ``needle`` inside the article's plain text, as a mouse would."""
    rp.page.evaluate("""([needle]) => {
        const spans = [...document.querySelectorAll('#inline-view span.t')];
        for (const s of spans) {
            const i = s.textContent.indexOf(needle);
            if (i < 0) continue;
            const r = document.createRange();
            r.setStart(s.firstChild, i); r.setEnd(s.firstChild, i + needle.length);
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
            return;
        }
        throw new Error('not found: ' + needle);
    }""", [needle])


def bom_text(report, text: str) -> str:
    return ("\ufeff" if report.doc.bom else "") + text


def test_own_text_for_a_finding_without_a_fix_and_for_one_with_alternatives(open_report, tricky):
    path, report = tricky
    rp = open_report(path)
    emoji = idx(report, "HARPER/Emoji")
    doubled = idx(report, "MT201")
    assert rp.state(emoji) == "none" and rp.card(emoji).locator("button.accept").is_hidden()
    rewrite(rp, emoji, ":)")
    assert rp.state(emoji) == "accepted" and "your text" in rp.card(emoji).locator(".choices").inner_text()
    assert rp.page.inner_text(f"#c{emoji} ins") == ":)"
    rewrite(rp, doubled, "must also")
    # the editor's text is one more alternative, chosen; the rule's are still there to pick
    assert rp.page.is_checked(f"#alt-{doubled}-custom")
    assert rp.page.locator(f"#f{doubled} input[type=radio]").count() == 3
    emoji_span = report.findings[emoji].span
    dspan = at(TRICKY, "is also need to")
    want = apply_fixes(TRICKY, [Fix((Edit(dspan, "must also"),), UNSAFE), Fix((Edit(emoji_span, ":)"),), UNSAFE)]).text
    assert download(rp) == bom_text(report, want)
    review = export(rp)
    assert apply_review(TRICKY, report.findings, review).text == want
    # back to a rule's suggestion: the text stays offered, the download follows the choice
    rp.page.check(f"#alt-{doubled}-1")
    want2 = apply_fixes(TRICKY, [report.findings[doubled].fixes[1], Fix((Edit(emoji_span, ":)"),), UNSAFE)]).text
    assert download(rp) == bom_text(report, want2)
    rp.card(doubled).locator("details.rewrite").evaluate("d => { d.open = true; }")
    rp.card(doubled).locator("button.drop-rewrite").click()
    assert rp.page.locator(f"#f{doubled} input[type=radio]").count() == 2
    assert rp.errors == []


def test_edit_any_selected_text(open_report, tricky):
    path, report = tricky
    rp = open_report(path)
    select_text(rp, "has no newline")
    rp.page.click("#edit-selection")
    assert rp.page.inner_text("#edit-selection-quote") == "has no newline"
    rp.page.fill("#edit-selection-text", "ends without a newline")
    rp.page.click("#edit-selection-save")
    card = rp.page.locator("#fe1")
    assert "Your edit 1" in card.inner_text() and card.get_attribute("data-state") == "accepted"
    # a selection that starts inside a drawn change takes the whole change
    lap = idx(report, "MT902")
    rp.page.evaluate("""(id) => {
        const c = document.getElementById('c' + id);
        const t = c.nextSibling.nextSibling;  // the plain text after the change's reference
        const r = document.createRange();
        r.setStart(c.querySelector('del, ins').firstChild, 1); r.setEnd(t.firstChild, 1);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
    }""", lap)
    rp.page.keyboard.press("e")
    lap_range = (at(TRICKY, "after the lap").start, at(TRICKY, "after the lap").end + 1)  # the change's range
    assert rp.page.inner_text("#edit-selection-quote") == TRICKY[lap_range[0]:lap_range[1]]
    rp.page.fill("#edit-selection-text", "every lap.")
    rp.page.click("#edit-selection-save")
    want = apply_fixes(TRICKY, [Fix((Edit(at(TRICKY, "has no newline"), "ends without a newline"),), UNSAFE),
                                Fix((Edit(Span(*lap_range), "every lap."),), UNSAFE)]).text
    assert download(rp) == bom_text(report, want)
    review = export(rp)
    assert [e["replacement"] for e in review["edits"]] == ["ends without a newline", "every lap."]
    assert apply_review(TRICKY, report.findings, review).text == want
    # edits survive a reload, can be rejected and deleted
    rp.reload()
    assert rp.page.locator("#fe2").get_attribute("data-state") == "accepted"
    rp.page.locator("#fe2 button.reject").click()
    assert download(rp) == bom_text(report, apply_fixes(TRICKY, [Fix((Edit(at(TRICKY, "has no newline"), "ends without a newline"),), UNSAFE)]).text)
    rp.page.locator("#fe1 details.rewrite > summary").click()
    rp.page.locator("#fe1 button.delete-edit").click()
    assert rp.page.locator("#fe1").count() == 0
    assert download(rp) == bom_text(report, TRICKY)
    assert rp.errors == []


def test_accept_all_per_rule_and_per_category(open_report, tricky):
    path, report = tricky
    rp = open_report(path)
    options = rp.page.eval_on_selector_all("#accept-scope option", "os => os.map(o => o.value)")
    assert "rule:MT501" in options and "category:structure" in options and "rule:HARPER/Emoji" not in options
    rp.page.select_option("#accept-scope", "rule:MT501")
    rp.page.click("#accept-scope-go")
    accepted = {i for i in changes_of(report) if rp.state(i) == "accepted"}
    assert accepted == {i for i, f in enumerate(report.findings) if f.rule == "MT501"}
    rp.page.select_option("#accept-scope", "category:structure")  # unsafe ones too
    rp.page.click("#accept-scope-go")
    structure = {i for i, f in enumerate(report.findings) if f.category == "structure" and i in changes_of(report)}
    assert {i for i in changes_of(report) if rp.state(i) == "accepted"} == accepted | structure
    assert any(report.findings[i].fixes[0].applicability is UNSAFE for i in structure)
    assert "Accepted 2 structure changes." in rp.page.inner_text("#review-status")
    want = apply_fixes(TRICKY, [report.findings[i].fixes[0] for i in sorted(accepted | structure)]).text
    assert download(rp) == bom_text(report, want)
    assert rp.errors == []


SAME = "The swimmers is also need to rest after the lap.\n"


def same_span_findings() -> list[Finding]:
    span = at(SAME, "is also need to")
    return sorted([
        Finding("MT201", "grammar", Severity.ERROR, "Doubled verb group.", span,
                (fix(UNSAFE, (span, "also need to")), fix(UNSAFE, (span, "also needs to")))),
        Finding("HARPER/AgreeVerb", "grammar", Severity.WARNING, "Agreement.", span,
                (fix(SAFE, (span, "also need to")), fix(UNSAFE, (span, "are also needing to"))),
                source="harper", sources=("harper",)),
        Finding("LT/VERB", "grammar", Severity.INFO, "Verb.", span, (fix(SHOW, (span, "must also")),),
                source="languagetool", sources=("languagetool",)),
        Finding("MT902", "collocation", Severity.WARNING, "One lap.", at(SAME, "the lap"),
                (fix(SAFE, (at(SAME, "the lap"), "each lap")),)),
    ], key=Finding.sort_key)


def test_findings_on_the_same_span_are_one_card_with_alternatives(open_report, tmp_path):
    path, report = write_report(tmp_path, SAME, same_span_findings(), name="same.md")
    rp = open_report(path)
    assert rp.page.locator("ol#finding-list > li").count() == 2
    lead = 0  # the first of the span in the findings' order: HARPER/AgreeVerb
    assert report.findings[lead].rule == "HARPER/AgreeVerb"
    card = rp.card(lead).inner_text()
    assert "Also LT/VERB" in card and "Also MT201" in card and "✖ error" in card  # the gravest severity
    labels = rp.page.eval_on_selector_all(f"#f{lead} fieldset.alts label", "ls => ls.map(l => l.textContent)")
    # the identical fix once, naming both rules; the display-only one is listed to do by hand
    assert len(labels) == 3, labels
    assert "(HARPER/AgreeVerb, MT201)" in labels[0] and "are also needing to" in labels[1] and "also needs to" in labels[2]
    assert "must also" in rp.card(lead).locator("p.alts").inner_text()
    assert rp.status() == {"accepted": 0, "rejected": 0, "undecided": 2}
    mt = next(i for i, f in enumerate(report.findings) if f.rule == "MT201")
    rp.page.check(f"#alt-{lead}-{mt}-1")
    rp.accept(lead)
    assert rp.page.inner_text(f"#c{lead} ins") == "needs"
    want = apply_fixes(SAME, [report.findings[mt].fixes[1]]).text
    assert download(rp) == want
    review = export(rp)
    assert review["decisions"][0]["choice"] == {"id": mt, "rule": "MT201", "fix": 1}
    assert apply_review(SAME, report.findings, review).text == want
    assert rp.errors == []


def test_export_and_import_share_a_review(open_report, new_context, tricky, tmp_path):
    path, report = tricky
    first = open_report(path, context=new_context())
    doubled = idx(report, "MT201")
    first.page.check(f"#alt-{doubled}-1")
    first.accept(doubled)
    first.reject(idx(report, "MT902"))
    rewrite(first, idx(report, "HARPER/Emoji"), "")
    select_text(first, "continues here")
    first.page.click("#edit-selection")
    first.page.fill("#edit-selection-text", "goes on here")
    first.page.click("#edit-selection-save")
    review = export(first)
    article = download(first)
    assert review["hash"] == content_hash(TRICKY) and review["format"] == "cleanup-review"
    assert bom_text(report, apply_review(TRICKY, report.findings, review).text) == article
    # each item records the text it replaces: without the hash, that text anchors it (issue 26)
    for item in review["decisions"] + review["edits"]:
        assert item["text"] == TRICKY[item["start"]:item["end"]]
    no_hash = {k: v for k, v in review.items() if k != "hash"}
    assert bom_text(report, apply_review(TRICKY, report.findings, no_hash).text) == article
    file = tmp_path / "shared.review.json"
    file.write_text(json.dumps(review), encoding="utf-8")
    # the second editor: a fresh browser, the same report
    second = open_report(path, context=new_context())
    assert second.status()["accepted"] == 0
    second.page.set_input_files("#import-review", str(file))
    expect(second.page.locator("#review-status")).to_have_attribute("data-accepted", "3")
    assert second.status() == first.status()
    assert second.page.locator("#fe1").get_attribute("data-state") == "accepted"
    at = TRICKY.index("continues here")  # the edit card's line and column (code points, like Python)
    where = f"line {TRICKY[:at].count(chr(10)) + 1}, column {at - TRICKY.rfind(chr(10), 0, at)}"
    assert where == "line 6, column 5"
    assert where in first.page.inner_text("#fe1 .meta") and where in second.page.inner_text("#fe1 .meta")
    assert second.page.is_checked(f"#alt-{doubled}-1")
    assert download(second) == article
    # a review of another text is refused
    other = dict(review, hash=content_hash("something else"))
    bad = tmp_path / "other.review.json"
    bad.write_text(json.dumps(other), encoding="utf-8")
    third = open_report(path, context=new_context())
    third.page.set_input_files("#import-review", str(bad))
    expect(third.page.locator("#review-status")).to_contain_text("another version")
    assert third.status()["accepted"] == 0
    assert first.errors == [] and second.errors == [] and third.errors == []
