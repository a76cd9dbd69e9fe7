from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span
from editor.merge import merge, same_problem
from editor.pipeline import resolve


def f(rule, s, e, source, category="grammar", reps=(), severity=Severity.WARNING, message=None):
    fixes = tuple(Fix((Edit(Span(s, e), r),), Applicability.UNSAFE, f"replace with {r}") for r in reps)
    return Finding(rule=rule, category=category, severity=severity, message=message or f"{rule} says so",
                   span=Span(s, e), fixes=fixes, source=source, sources=(source,))


def test_overlapping_same_problem_is_reported_once_ours_first():
    ours = f("MT201", 10, 25, "cleanup", reps=("also needs to",))
    harper = f("HARPER/AnA", 14, 18, "harper", reps=("needs",))
    lt = f("LT/HE_VERB_AGR", 14, 18, "languagetool", reps=("needs", "needed"))
    out = merge([harper, lt, ours])
    assert len(out) == 1
    m = out[0]
    assert m.rule == "MT201" and m.source == "cleanup" and m.message == "MT201 says so"
    assert m.sources == ("cleanup", "languagetool", "harper")
    # suggestions merged: ours first, then the others' distinct ones (the duplicate "needs" once)
    assert [fx.edits[0].replacement for fx in m.fixes] == ["also needs to", "needs", "needed"]


def test_languagetool_message_before_harper():
    harper = f("HARPER/AnA", 5, 6, "harper", reps=("an",))
    lt = f("LT/EN_A_VS_AN", 5, 6, "languagetool", reps=("an",))
    (m,) = merge([harper, lt])
    assert m.rule == "LT/EN_A_VS_AN" and m.sources == ("languagetool", "harper")
    assert len(m.fixes) == 1  # the same edit is not offered twice


def test_different_problems_stay_apart():
    spelling = f("HARPER/SpellCheck", 5, 10, "harper", category="spelling")
    grammar = f("MT401", 0, 12, "cleanup", category="grammar")
    assert not same_problem(grammar, spelling)
    assert len(merge([spelling, grammar])) == 2
    # no overlap: apart, whatever the category
    assert len(merge([f("A", 0, 3, "cleanup"), f("HARPER/X", 3, 6, "harper")])) == 2


def test_identical_spans_are_one_problem_whatever_the_category():
    a = f("MT601", 5, 10, "cleanup", category="untranslated")
    b = f("HARPER/SpellCheck", 5, 10, "harper", category="spelling")
    (m,) = merge([b, a])
    assert m.rule == "MT601" and m.sources == ("cleanup", "harper")


def test_one_engine_is_never_merged_with_itself():
    a = f("MT201", 0, 10, "cleanup")
    b = f("MT301", 5, 15, "cleanup")
    assert len(merge([a, b])) == 2


def test_chains_and_order():
    findings = [f("HARPER/X", i * 10, i * 10 + 4, "harper") for i in range(50)]
    findings += [f("MT1", i * 10 + 2, i * 10 + 6, "cleanup") for i in range(0, 50, 2)]
    out = merge(findings)
    assert len(out) == 50
    assert [x.span.start for x in out] == sorted(x.span.start for x in out)
    merged = [x for x in out if x.rule == "MT1"]
    assert len(merged) == 25 and all(x.sources == ("cleanup", "harper") for x in merged)


def test_merge_then_resolve_keeps_sources():
    out = resolve(merge([f("HARPER/AnA", 5, 6, "harper"), f("MT1", 5, 6, "cleanup", severity=Severity.INFO)]))
    assert len(out) == 1 and out[0].sources == ("cleanup", "harper")


def test_insertion_points():
    ins = f("HARPER/Comma", 5, 5, "harper", category="punctuation")
    span = f("MT701", 3, 8, "cleanup", category="punctuation")
    (m,) = merge([ins, span])
    assert m.rule == "MT701" and m.sources == ("cleanup", "harper")
