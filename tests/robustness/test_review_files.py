"""Review files are input too (issue 26, point 5): a malformed ``ARTICLE.review.json`` is refused
with one line naming the file and what is wrong (checked against ``editor.review.SCHEMA``, held here
to the ``jsonschema`` package), never an AttributeError, TypeError or RecursionError; a replacement
that is not a string is refused; and an item whose text is not where the review says is skipped
and named, never applied (a review without its hash, of a changed article, corrupted the text)."""

from __future__ import annotations

import json

import jsonschema
import pytest

from editor.document import InputError, content_hash
from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span
from editor.review import SCHEMA, ReviewError, apply_review, load_review, validate

TEXT = "Harbour lights dim early. We is going to the pier tonight.\n"
IS = TEXT.index("is going")


def findings(text: str = TEXT) -> list[Finding]:
    at = text.index("is going")
    fix = Fix((Edit(Span(at, at + 2), "are"),), Applicability.SAFE, "agreement")
    return [Finding(rule="MT201", category="grammar", severity=Severity.WARNING, message="Agreement.",
                    span=Span(at, at + 2), fixes=(fix,))]


def review(**extra) -> dict:
    """A review as the page exports it: the finding accepted, one edit of selected text."""
    out = {"format": "cleanup-review", "version": 1, "tool": "0.1.0", "path": "a.md", "hash": content_hash(TEXT),
           "decisions": [{"key": f"MT201@{IS}-{IS + 2}", "id": 0, "rule": "MT201", "start": IS, "end": IS + 2,
                          "text": "is", "decision": "accepted", "choice": {"id": 0, "rule": "MT201", "fix": 0}}],
           "edits": [{"start": 0, "end": 7, "text": "Harbour", "replacement": "Harbor", "decision": "accepted"}]}
    out.update(extra)
    return out


WANT = TEXT.replace("is going", "are going").replace("Harbour", "Harbor")


def test_a_well_formed_review_applies_and_matches_the_schema():
    jsonschema.validate(review(), SCHEMA)
    done = apply_review(TEXT, findings(), review())
    assert done.text == WANT and done.unanchored == []


def _decision(**change) -> dict:
    d = dict(review()["decisions"][0])
    d.update(change)
    return d


# name -> (the malformed review, what the one line must say)
MALFORMED = {
    "decisions as a string": (review(decisions="accepted"), "decisions must be an array, not a string"),
    "decisions as numbers": (review(decisions=[1, 2]), "decisions[0] must be an object, not an integer"),
    "a null edit item": (review(edits=[None]), "edits[0] must be an object, not null"),
    "mixed id types": (review(decisions=[_decision(), _decision(id="1")]), "decisions[1].id must be an integer, not a string"),
    "a missing key": (review(decisions=[{k: v for k, v in _decision().items() if k != "decision"}]),
                      "decisions[0] has no 'decision'"),
    "an offset as a string": (review(edits=[{"start": "0", "end": 7, "replacement": "x"}]),
                              "edits[0].start must be an integer, not a string"),
    "an offset as a number with a fraction": (review(edits=[{"start": 0.5, "end": 7, "replacement": "x"}]),
                                              "edits[0].start must be an integer, not a number"),
    "an offset as a boolean": (review(edits=[{"start": True, "end": 7, "replacement": "x"}]),
                               "edits[0].start must be an integer, not a boolean"),
    "a negative offset": (review(edits=[{"start": -3, "end": 7, "replacement": "x"}]),
                          "edits[0].start must be at least 0, not -3"),
    "an unknown decision": (review(decisions=[_decision(decision="maybe")]), "decisions[0].decision must be"),
    "a choice that is a list": (review(decisions=[_decision(choice=[0, 0])]),
                                'decisions[0].choice must be "custom" or an object, not an array'),
    "an unknown key": (review(decisions=[_decision(extra={"a": 1})]), "decisions[0] has an unknown key 'extra'"),
    "the format missing": ({"decisions": []}, "not a cleanup review file"),
    "a JSON array": ([review()], "not a cleanup review file"),
    "an object as the replacement": (review(edits=[{"start": 0, "end": 7, "replacement": {"text": "Harbor"}}]),
                                     "edits[0].replacement must be a string, not an object"),
    "an object as the editor's own text": (
        review(decisions=[_decision(choice="custom", custom={"start": IS, "end": IS + 2, "replacement": {"a": 1}})]),
        "decisions[0].custom.replacement must be a string, not an object"),
    "nesting where an object belongs": (review(decisions=[json.loads("[" * 900 + "]" * 900)]),
                                        "decisions[0] must be an object, not an array"),
}

# what JSON Schema cannot say; checked all the same
BEYOND_SCHEMA = {
    "an edit that ends before it starts": (review(edits=[{"start": 7, "end": 2, "replacement": "x"}]),
                                           "edits[0] ends (2) before it starts (7)"),
    "a custom choice without text": (review(decisions=[_decision(choice="custom")]),
                                     "decisions[0] chooses 'custom' but has no 'custom' text"),
    "a lone surrogate": (review(edits=[{"start": 0, "end": 7, "replacement": "\ud800"}]),
                         "edits[0].replacement is not Unicode text"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED) + sorted(BEYOND_SCHEMA))
def test_a_malformed_review_is_one_clear_line(name, tmp_path):
    data, says = MALFORMED.get(name) or BEYOND_SCHEMA[name]
    if name in MALFORMED and isinstance(data, dict) and "format" in data:
        with pytest.raises(jsonschema.ValidationError):  # the schema says the same as the check
            jsonschema.validate(data, SCHEMA)
    with pytest.raises(ReviewError) as caught:
        apply_review(TEXT, findings(), data)
    assert says in str(caught.value) and "\n" not in str(caught.value)
    file = tmp_path / "a.md.review.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_review(file)
    assert str(caught.value).startswith(f"{file}: ") and says in str(caught.value)


def test_deep_nesting_is_not_a_recursion_error(tmp_path):
    file = tmp_path / "deep.review.json"
    file.write_text('{"format": "cleanup-review", "decisions": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(InputError, match="nested too deeply"):
        load_review(file)
    deep = {"format": "cleanup-review", "edits": [{"start": 0, "end": 1, "replacement": "x"}]}
    node = deep["edits"][0]
    for _ in range(5000):  # deeper than Python's recursion limit, built without json
        node["replacement"] = {"replacement": None}
        node = node["replacement"]
    with pytest.raises(ReviewError, match=r"edits\[0\]\.replacement must be a string, not an object"):
        validate(deep)


def test_not_json_not_utf8_and_missing_files_are_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    for content, says in ((b"{", "not a review file"), (b"\xff\xfe{}", "not UTF-8")):
        bad.write_bytes(content)
        with pytest.raises(InputError, match=says):
            load_review(bad)
    with pytest.raises(InputError, match="no such file"):
        load_review(tmp_path / "none.json")


def test_a_review_without_hash_does_not_corrupt_a_changed_article():
    """The issue's case: an edit recorded at 1-5 with no hash and no text, applied to another text,
    gave "HAnother ..."; now it is skipped and named, and the text is left as it is."""
    changed = "Hi, it is time to go.\n"
    bare = {"format": "cleanup-review", "edits": [{"start": 1, "end": 5, "replacement": "Another"}]}
    done = apply_review(changed, [], bare)
    assert done.text == changed
    assert done.unanchored == ["edits[0] not applied: the review has no hash and does not record the text at 1-5: "
                               "it cannot be checked"]


def test_a_review_without_hash_applies_only_what_is_still_where_it_says():
    moved = "Note. " + TEXT  # the article changed: everything moved by six characters
    no_hash = review()
    del no_hash["hash"]
    done = apply_review(moved, findings(moved), no_hash)
    assert done.text == moved  # nothing is where the review says
    assert len(done.unanchored) == 2 and all("not applied" in line for line in done.unanchored)
    assert "the article has 'Note. H' at 0-7, not 'Harbour'" in done.unanchored[1]
    # on the text it was made for, the recorded texts anchor every item
    same = apply_review(TEXT, findings(), no_hash)
    assert same.text == WANT and same.unanchored == []


def test_an_edit_whose_recorded_text_differs_is_skipped_even_with_the_hash():
    tampered = review(edits=[{"start": 0, "end": 7, "text": "Seaside", "replacement": "Harbor"}])
    done = apply_review(TEXT, findings(), tampered)
    assert done.text == TEXT.replace("is going", "are going")
    assert done.unanchored == ["edits[0] not applied: the article has 'Harbour' at 0-7, not 'Seaside'"]


def test_a_decision_for_another_finding_is_skipped_not_applied_elsewhere():
    elsewhere = review(decisions=[_decision(start=0, end=2, text="Ha", key="MT201@0-2")], edits=[])
    done = apply_review(TEXT, findings(), elsewhere)
    assert done.text == TEXT
    assert done.unanchored == [f"decisions[0] (MT201@0-2) not applied: finding 0 (MT201) is at {IS}-{IS + 2}, not 0-2"]
    past = review(edits=[{"start": 0, "end": 900, "replacement": "x"}], decisions=[])
    assert apply_review(TEXT, [], past).unanchored == [
        f"edits[0] not applied: 0-900 is past the end of the article ({len(TEXT)} characters)"]


def test_a_review_of_another_text_is_refused_whole():
    with pytest.raises(ReviewError, match="another version"):
        apply_review("Something else.\n", findings(), review())
