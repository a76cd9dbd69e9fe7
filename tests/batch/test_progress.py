"""Batch progress: plain periodic lines off a terminal, a tqdm bar with rate and ETA on one."""

from __future__ import annotations

import io

from editor.batch.progress import Progress, choose_mode


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_auto_mode_follows_the_stream():
    assert choose_mode("auto", io.StringIO()) == "lines"
    assert choose_mode("auto", Tty()) == "bar"
    assert choose_mode("none", Tty()) == "none"


def test_lines_are_periodic_with_rate_eta_and_a_last_line():
    clock, out = Clock(), io.StringIO()
    p = Progress(10, mode="lines", stream=out, interval=10.0, clock=clock)
    p.advance(cached=True)
    for _ in range(3):
        clock.t += 2.0
        p.advance()
    assert out.getvalue() == ""  # 6 s: nothing yet
    clock.t += 4.0
    p.advance(error=True)  # 10 s: 5 done, 4 checked
    lines = out.getvalue().splitlines()
    assert lines == ["cleanup batch: 5/10 articles (50%), 0.4 articles/s, ETA 0:12, elapsed 0:10, "
                     "1 from cache, 1 error"]
    clock.t += 1.0
    p.advance()
    assert len(out.getvalue().splitlines()) == 1  # not again within the interval
    p.close()
    last = out.getvalue().splitlines()[-1]
    assert last.startswith("cleanup batch: 6/10 articles (60%)") and "elapsed 0:11" in last


def test_bar_on_a_terminal_shows_count_and_rate():
    out = Tty()
    p = Progress(3, mode="bar", stream=out)
    for _ in range(3):
        p.advance()
    p.close()
    text = out.getvalue()
    assert "3/3" in text and "article/s" in text and "cleanup batch" in text


def test_none_prints_nothing():
    out = io.StringIO()
    p = Progress(2, mode="none", stream=out, interval=0)
    p.advance()
    p.advance()
    p.close()
    assert out.getvalue() == ""


def test_the_last_line_is_not_repeated():
    clock, out = Clock(), io.StringIO()
    p = Progress(2, mode="lines", stream=out, interval=0, clock=clock)
    p.advance()
    p.advance()
    p.close()
    assert [line.split(" articles")[0] for line in out.getvalue().splitlines()] == [
        "cleanup batch: 1/2", "cleanup batch: 2/2"]
