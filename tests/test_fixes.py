"""Applying fixes in one place: right to left, overlaps skipped and reported, capped re-checks."""

from __future__ import annotations

from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span
from editor.fixes import NO_CHANGE, OVERLAP, allowed, apply_fixes, first_fixes, fix_loop, fix_until_stable

SAFE, UNSAFE, SHOW = Applicability.SAFE, Applicability.UNSAFE, Applicability.DISPLAY_ONLY


def fx(start, end, repl, level=SAFE, *more):
    edits = [Edit(Span(start, end), repl)]
    for s, e, r in more:
        edits.append(Edit(Span(s, e), r))
    return Fix(tuple(edits), level)


def test_right_to_left_keeps_offsets_valid():
    text = "aa bb cc dd"
    res = apply_fixes(text, [fx(0, 2, "A"), fx(3, 5, "BBBB"), fx(9, 11, "")])
    assert res.text == "A BBBB cc "
    assert len(res.applied) == 3 and not res.skipped


def test_edits_given_in_any_order():
    text = "one two three"
    res = apply_fixes(text, [fx(8, 13, "3"), fx(0, 3, "1"), fx(4, 7, "2")])
    assert res.text == "1 2 3"


def test_overlapping_fix_is_skipped_and_reported():
    text = "very very hot"
    first = fx(0, 9, "very")
    clash = fx(5, 13, "warm")
    res = apply_fixes(text, [clash, first])
    assert res.text == "very hot"
    assert res.applied == [first]
    assert res.skipped == [clash]


def test_longer_fix_wins_at_the_same_start():
    text = "abcdef"
    short, long = fx(0, 2, "X"), fx(0, 4, "Y")
    res = apply_fixes(text, [short, long])
    assert res.text == "Yef" and res.skipped == [short]


def test_touching_fixes_both_apply():
    res = apply_fixes("abcd", [fx(0, 2, "X"), fx(2, 4, "Y")])
    assert res.text == "XY" and not res.skipped


def test_insertions():
    text = "However it rained"
    res = apply_fixes(text, [fx(7, 7, ","), fx(17, 17, ".")])
    assert res.text == "However, it rained."
    # an insertion at the edge of a replaced span does not clash
    res = apply_fixes("ab", [fx(1, 1, "-"), fx(0, 1, "A")])
    assert res.text == "A-b" and not res.skipped
    # two insertions at one point clash: the second is skipped
    res = apply_fixes("ab", [fx(1, 1, "1"), fx(1, 1, "2")])
    assert res.text == "a1b" and len(res.skipped) == 1
    # an insertion strictly inside a replaced span clashes
    res = apply_fixes("abc", [fx(0, 3, "X"), fx(1, 1, "!")])
    assert res.text == "X" and len(res.skipped) == 1


def test_multi_edit_fix_is_all_or_nothing():
    text = "The reason is because it rained."
    whole = Fix((Edit(Span(11, 13), "is"), Edit(Span(14, 21), "that")), UNSAFE)
    clash = fx(15, 18, "zzz")
    res = apply_fixes(text, [whole, clash])
    assert res.text == "The reason is that it rained."
    assert res.skipped == [clash]
    bad = Fix((Edit(Span(0, 5), "a"), Edit(Span(3, 8), "b")), SAFE)  # overlaps itself
    res = apply_fixes(text, [bad])
    assert res.text == text and res.skipped == [bad]


def test_empty_fix_is_ignored():
    res = apply_fixes("abc", [Fix((), SAFE)])
    assert res.text == "abc" and not res.applied and not res.skipped


def test_crlf_survives_fixes():
    text = "can not\r\nvery very\r\n"
    res = apply_fixes(text, [fx(0, 7, "cannot"), fx(9, 18, "very")])
    assert res.text == "cannot\r\nvery\r\n"


def test_allowed_levels():
    assert allowed(fx(0, 1, "x", SAFE), SAFE)
    assert not allowed(fx(0, 1, "x", UNSAFE), SAFE)
    assert allowed(fx(0, 1, "x", UNSAFE), UNSAFE)
    assert allowed(fx(0, 1, "x", SAFE), UNSAFE)
    assert not allowed(fx(0, 1, "x", SHOW), UNSAFE)
    assert not allowed(fx(0, 1, "x", SHOW), SHOW)


def _finding(start, end, *fixes):
    return Finding("ST999", "style", Severity.INFO, "m", Span(start, end), tuple(fixes))


def test_first_fixes_takes_only_the_first_allowed_fix():
    a = _finding(0, 1, fx(0, 1, "x", SAFE), fx(0, 1, "y", SAFE))
    b = _finding(2, 3, fx(2, 3, "z", UNSAFE))
    c = _finding(4, 5)
    assert first_fixes([a, b, c], SAFE) == [a.fixes[0]]
    assert first_fixes([a, b, c], UNSAFE) == [a.fixes[0], b.fixes[0]]


def doubled_word_check(text):
    """A toy check: every 'very very' → 'very'."""
    out = []
    i = text.find("very very")
    while i >= 0:
        out.append(_finding(i, i + 9, fx(i, i + 9, "very")))
        i = text.find("very very", i + 1)
    return out


def test_fix_until_stable_reaches_a_fixpoint():
    calls = []

    def check(text):
        calls.append(text)
        return doubled_word_check(text)

    # overlapping matches: one round cannot fix all of them, the re-check finds the rest
    fixed, applied, remaining = fix_until_stable("very very very very hot", check, SAFE)
    assert fixed == "very hot"
    assert remaining == []
    assert applied >= 2
    assert calls[-1] == "very hot" and len(calls) <= 5


def test_fix_until_stable_stops_at_the_cap():
    calls = []

    def check(text):  # a fix that always creates new work: never stable
        calls.append(text)
        return [_finding(0, 1, fx(0, 1, "aa"))]

    fixed, applied, remaining = fix_until_stable("a", check, SAFE, cap=3)
    assert applied == 3
    assert fixed == "aaaa"
    assert len(calls) == 4  # the first check, then one per round
    assert remaining and remaining[0].fixes


def test_fix_until_stable_ignores_fixes_above_the_level():
    def check(text):
        return [_finding(0, 1, fx(0, 1, "b", UNSAFE))] if text == "a" else []

    assert fix_until_stable("a", check, SAFE)[:2] == ("a", 0)
    assert fix_until_stable("a", check, UNSAFE)[:2] == ("b", 1)


def test_fix_until_stable_stops_when_a_fix_changes_nothing():
    calls = []

    def check(text):
        calls.append(text)
        return [_finding(0, 1, fx(0, 1, "a"))]  # replaces "a" by "a"

    fixed, applied, _ = fix_until_stable("a", check, SAFE, cap=10)
    assert fixed == "a" and applied == 0 and len(calls) == 1


# --------------------------------------------------------------------------- what the loop did not do


def growing_with_a_rival(text):
    """Two fixes on the same character, every time: the first grows the text (never stable),
    the second overlaps it and never gets its turn."""
    return [_finding(0, 1, fx(0, 1, text[0] + "x")), _finding(0, 1, fx(0, 1, "y"))]


def test_fix_loop_reports_a_loop_that_did_not_converge_and_the_fix_it_skipped():
    loop = fix_loop("a", growing_with_a_rival, SAFE, cap=3)
    assert (loop.text, loop.applied, loop.rounds, loop.converged) == ("axxx", 3, 3, False)
    assert [(s.fix.edits[0].replacement, s.reason) for s in loop.skipped] == [("y", OVERLAP)]
    assert loop.summary() == ("1 skipped (overlapping another fix), "
                              "fix loop stopped after 3 rounds without converging")
    assert fix_until_stable("a", growing_with_a_rival, SAFE, cap=3) == (loop.text, loop.applied, loop.findings)


def test_fix_loop_reports_fixes_skipped_when_it_stops_early():
    def check(text):  # the first fix changes nothing; the one it blocks would have changed "a"
        return [_finding(0, 1, fx(0, 1, "a")), _finding(0, 1, fx(0, 1, "b"))] if text == "a" else []

    loop = fix_loop("a", check, SAFE)
    assert (loop.text, loop.applied, loop.rounds, loop.converged) == ("a", 0, 0, True)
    assert [(s.fix.edits[0].replacement, s.reason) for s in loop.skipped] == [("b", OVERLAP), ("a", NO_CHANGE)]
    assert loop.summary() == "1 skipped (overlapping another fix), 1 skipped (changing nothing)"


def test_fix_loop_says_nothing_when_overlaps_are_fixed_by_the_next_rounds():
    loop = fix_loop("very very very very hot", doubled_word_check, SAFE)
    assert loop.text == "very hot" and loop.rounds >= 2  # the first round skipped overlapping fixes
    assert loop.converged and loop.skipped == [] and loop.summary() == ""


def test_fix_loop_converges_at_the_cap_when_the_last_round_leaves_nothing_to_fix():
    def check(text):
        return [_finding(0, 1, fx(0, 1, "b"))] if text == "a" else []

    loop = fix_loop("a", check, SAFE, cap=1)
    assert (loop.text, loop.rounds, loop.converged, loop.skipped) == ("b", 1, True, [])


def _reference_apply(text, fixes):
    """The definition apply_fixes keeps, written the slow obvious way: every chosen span compared
    with every other, the edits applied right to left one slice at a time."""
    from editor.fixes import _clash

    ordered = sorted((f for f in fixes if f.edits),
                     key=lambda f: (min(e.span.start for e in f.edits), -max(e.span.end for e in f.edits)))
    taken, chosen, skipped = [], [], []
    for fix in ordered:
        spans = [(e.span.start, e.span.end) for e in fix.edits]
        if any(_clash(s, t) for s in spans for t in taken) or any(
                _clash(a, b) for i, a in enumerate(spans) for b in spans[i + 1:]):
            skipped.append(fix)
            continue
        taken.extend(spans)
        chosen.append(fix)
    out = text
    for e in sorted((e for f in chosen for e in f.edits), key=lambda e: (e.span.start, e.span.end), reverse=True):
        out = out[:e.span.start] + e.replacement + out[e.span.end:]
    return out, chosen, skipped


def test_apply_fixes_matches_the_slow_definition_on_random_overlapping_fixes():
    import random

    from editor.findings import Applicability, Edit, Fix, Span
    from editor.fixes import apply_fixes

    rng = random.Random(26)
    for _ in range(2000):
        n = rng.randint(0, 30)
        text = "".join(rng.choice("ab c") for _ in range(n))
        fixes = []
        for _ in range(rng.randint(0, 10)):
            edits = []
            for _ in range(rng.choice([1, 1, 2, 3])):
                s = rng.randint(0, n)
                edits.append(Edit(Span(s, min(n, s + rng.choice([0, 0, 1, 2, 4]))), rng.choice(["", "X", "YZ"])))
            fixes.append(Fix(tuple(edits), Applicability.SAFE))
        got = apply_fixes(text, fixes)
        assert (got.text, got.applied, got.skipped) == _reference_apply(text, fixes), (text, fixes)
