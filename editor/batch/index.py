"""The batch outputs: the ranking table as rows, DIR/summary.json, DIR/summary.csv, DIR/index.html.

One list of plain rows feeds all three. Rows are ranked so that the article an editor should open
first comes first: findings per 1,000 words, then findings, then path. Articles that could not be
processed come before them, with their error.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import math
import re
from collections import Counter
from functools import lru_cache
from urllib.parse import quote

from editor import __version__
from editor.findings import CATEGORIES

SEVERITIES = ("error", "warning", "info")
TOP_RULES = 5


# --------------------------------------------------------------------------------------------
# rows


CHROME_CATEGORY = "boilerplate"
# what may stand between two pieces of one chrome region: blank lines, list and heading markers,
# rank numbers, separators
_BETWEEN_CHROME = re.compile(r"(?:\s|[-*+#>|_=~•·]|\d{1,3}[.)])*")


def ranked_count(findings: list[dict], text: str | None) -> int:
    """The findings counted for the ranking: page chrome (boilerplate findings) once per
    contiguous region, whatever the rules report per region (a finding per block or one for
    the whole region). Two chrome findings are one region when only blank lines, list or heading
    markers or rank numbers stand between them; without the text, when they are on the same or
    the next line."""
    chrome = sorted((f for f in findings if f.get("category") == CHROME_CATEGORY), key=lambda f: (f["start"], f["end"]))
    regions = 0
    end = None
    end_line = None
    for f in chrome:
        if end is None:
            joined = False
        elif f["start"] <= end:
            joined = True
        elif text is not None:
            joined = _BETWEEN_CHROME.fullmatch(text, end, f["start"]) is not None
        else:
            joined = f.get("line", 0) <= (end_line or 0) + 1
        if not joined:
            regions += 1
            end, end_line = f["end"], f.get("end_line")
        elif f["end"] > end:
            end, end_line = f["end"], f.get("end_line")
    return len(findings) - len(chrome) + regions


def result_row(path: str, report: str, result: dict, text: str | None = None) -> dict:
    findings = result["findings"]
    words = result["words"]
    rules = Counter(f["rule"] for f in findings)
    counted = ranked_count(findings, text)
    return {
        "path": path,
        "title": result.get("title", ""),
        "status": "ok",
        "error": None,
        "report": report,
        "words": words,
        "findings": len(findings),
        "ranked_findings": counted,  # page chrome once per region: what per_1k and the ranking use
        "per_1k": per_1k(counted, words),
        "by_severity": {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITIES},
        "by_category": dict(sorted(Counter(f["category"] for f in findings).items(), key=_category_order)),
        "top_rules": [[code, n] for code, n in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_RULES]],
        "by_rule": dict(sorted(rules.items())),
        "fixable": sum(1 for f in findings if f.get("applicability") in ("safe", "unsafe")),
    }


def error_row(path: str, report: str | None, message: str) -> dict:
    return {
        "path": path, "title": "", "status": "error", "error": message, "report": None,
        "words": 0, "findings": 0, "ranked_findings": 0, "per_1k": 0.0, "by_severity": {s: 0 for s in SEVERITIES},
        "by_category": {}, "top_rules": [], "by_rule": {}, "fixable": 0,
    }


def per_1k(findings: int, words: int) -> float:
    return round(1000.0 * findings / words, 2) if words else 0.0


def _category_order(kv) -> tuple:
    name = kv[0]
    return (CATEGORIES.index(name) if name in CATEGORIES else len(CATEGORIES), name)


def ranked(rows: list[dict]) -> list[dict]:
    """Errors first (by path), then by findings per 1,000 words, findings, path; ``rank`` set."""
    errors = sorted((r for r in rows if r["status"] == "error"), key=lambda r: r["path"])
    ok = sorted((r for r in rows if r["status"] != "error"),
                key=lambda r: (-r["per_1k"], -r.get("ranked_findings", r["findings"]), -r["findings"], r["path"]))
    out = []
    for i, r in enumerate(ok, 1):
        out.append({**r, "rank": i})
    return [{**r, "rank": None} for r in errors] + out


def totals(rows: list[dict]) -> dict:
    ok = [r for r in rows if r["status"] == "ok"]
    words = sum(r["words"] for r in ok)
    findings = sum(r["findings"] for r in ok)
    by_sev = {s: sum(r["by_severity"].get(s, 0) for r in ok) for s in SEVERITIES}
    by_cat: Counter = Counter()
    rules: Counter = Counter()
    for r in ok:
        by_cat.update(r["by_category"])
    for r in ok:
        rules.update(r["by_rule"])
    return {
        "articles": len(rows),
        "processed": len(ok),
        "errors": len(rows) - len(ok),
        "words": words,
        "findings": findings,
        "per_1k": per_1k(findings, words),
        "by_severity": by_sev,
        "by_category": dict(sorted(by_cat.items(), key=_category_order)),
        "top_rules": [[c, n] for c, n in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))[:10]],
        "fixable": sum(r["fixable"] for r in ok),
    }


# --------------------------------------------------------------------------------------------
# summary.json / summary.csv


def summary_dict(outcome) -> dict:
    rows = ranked(outcome.rows)
    return {
        "version": 1,
        "complete": not outcome.interrupted and len(outcome.rows) == outcome.total,
        "articles": outcome.total,
        "finished": len(outcome.rows),
        "totals": totals(rows),
        "rows": rows,
        "run": {**outcome.stats, "interrupted": outcome.interrupted, "cleanup": __version__},
    }


def csv_columns(rows: list[dict]) -> list[str]:
    cats = category_columns(rows)
    return (["rank", "path", "title", "status", "words", "findings", "per_1k", *SEVERITIES]
            + [f"category_{c}" for c in cats] + ["fixable", "top_rules", "report", "problem"])


def category_columns(rows: list[dict]) -> list[str]:
    seen = {c for r in rows for c in r["by_category"]}
    return [c for c in CATEGORIES if c in seen] + sorted(seen - set(CATEGORIES))


def _cell(value) -> str:
    """Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, or a tab or
    carriage return before one) gets a leading apostrophe (CSV injection, as OWASP advises)."""
    s = "" if value is None else str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def summary_csv(rows: list[dict]) -> str:
    rows = ranked(rows)
    cats = category_columns(rows)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180: a CR or LF inside a cell is then quoted
    w.writerow(csv_columns(rows))
    for r in rows:
        w.writerow([
            r["rank"] if r["rank"] is not None else "", _cell(r["path"]), _cell(r["title"]), r["status"],
            r["words"], r["findings"], f"{r['per_1k']:.2f}", *(r["by_severity"].get(s, 0) for s in SEVERITIES),
            *(r["by_category"].get(c, 0) for c in cats), r["fixable"],
            " ".join(f"{c}:{n}" for c, n in r["top_rules"]), r["report"] or "", _cell(r["error"] or ""),
        ])
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# charts (inline SVG geometry; the template only draws what is computed here)


def nice_step(maximum: float, max_bins: int = 12) -> float:
    if maximum <= 0:
        return 1.0
    raw = maximum / max_bins
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw:
            return m * mag
    return 10 * mag  # pragma: no cover


def histogram(values: list[float], max_bins: int = 12) -> list[dict]:
    """Equal-width bins [lo, hi) covering 0..max (the last bin includes the maximum)."""
    if not values:
        return []
    top = max(values)
    step = nice_step(top, max_bins)
    n = int(top // step) + 1
    counts = [0] * n
    for v in values:
        counts[min(int(v // step), n - 1)] += 1
    return [{"lo": round(i * step, 2), "hi": round((i + 1) * step, 2), "count": c} for i, c in enumerate(counts)]


def _fmt(x: float) -> str:
    return f"{x:g}"


def category_chart(by_category: dict, width: int = 560, bar_h: int = 22, label_w: int = 110) -> dict:
    items = list(by_category.items())
    top = max((v for _, v in items), default=0) or 1
    span = width - label_w - 60
    bars = []
    for i, (name, value) in enumerate(items):
        bars.append({"label": name, "value": value, "x": label_w, "y": i * (bar_h + 6) + 4,
                     "w": round(span * value / top, 1), "h": bar_h,
                     "ty": i * (bar_h + 6) + 4 + bar_h * 0.7})
    return {"width": width, "height": max(30, len(items) * (bar_h + 6) + 8), "bars": bars, "label_w": label_w}


def histogram_chart(values: list[float], width: int = 560, height: int = 200) -> dict:
    bins = histogram(values)
    if not bins:
        return {"width": width, "height": height, "bars": [], "axis_y": height - 30}
    top = max(b["count"] for b in bins) or 1
    plot_h = height - 50
    left, right = 30, 10
    bw = (width - left - right) / len(bins)
    bars = []
    for i, b in enumerate(bins):
        h = round(plot_h * b["count"] / top, 1)
        bars.append({**b, "x": round(left + i * bw + 1, 1), "w": round(max(bw - 2, 1), 1), "h": h,
                     "y": round(height - 30 - h, 1), "cx": round(left + i * bw + bw / 2, 1),
                     "label": f"{_fmt(b['lo'])}–{_fmt(b['hi'])}"})
    return {"width": width, "height": height, "bars": bars, "axis_y": height - 30, "left": left,
            "label_every": max(1, math.ceil(len(bins) / 8))}


# --------------------------------------------------------------------------------------------
# index.html


def _csp_hash(text):
    """A CSP source for exactly this inline text: 'sha256-…' (base64 and quotes only: safe markup)."""
    from markupsafe import Markup

    digest = base64.b64encode(hashlib.sha256(str(text).encode("utf-8")).digest()).decode("ascii")
    return Markup(f"'sha256-{digest}'")


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("editor.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["csp_hash"] = _csp_hash
    return env


def report_href(report: str | None) -> str | None:
    return quote(report, safe="/") if report else None


# rows drawn in the page at first (and without JavaScript); the script draws more on request
PAGE_ROWS = 200


def json_for_script(value) -> str:
    """JSON that is inert inside <script type="application/json">: no '<', '>' or '&' at all,
    so no text can end the block or open a comment."""
    s = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _view_row(order: int, r: dict, cats: list[str]) -> dict:
    return {
        **r,
        "order": order,
        "href": report_href(r["report"]),
        "cats": [r["by_category"].get(c, 0) for c in cats],
        "cat_names": " ".join(c for c in cats if r["by_category"].get(c)),
    }


def _script_row(v: dict) -> list:
    """One row for the page's script, as a compact array (see ``row`` in the template's script)."""
    return [v["order"], v["path"], v["title"] or "", v["status"], v["error"] or "", v["href"] or "", v["words"],
            v["findings"], v["per_1k"], [v["by_severity"].get(s, 0) for s in SEVERITIES], v["cats"],
            [[c, n] for c, n in v["top_rules"]], v["rank"], [[c, n] for c, n in sorted(v["by_rule"].items())]]


def render_index(outcome) -> str:
    """The page: totals, charts, filters and the ranking. The first PAGE_ROWS rows are in the
    markup; every row is in a JSON data block that the script sorts, filters and draws in pages
    (a library of 50,000 articles stays responsive)."""
    summary = summary_dict(outcome)
    rows = summary["rows"]
    cats = category_columns(rows)
    view_rows = [_view_row(i, r, cats) for i, r in enumerate(rows, 1)]
    ok_values = [r["per_1k"] for r in rows if r["status"] == "ok"]
    data = {"categories": cats, "page": PAGE_ROWS, "rows": [_script_row(v) for v in view_rows]}
    all_rules = sorted({c for r in rows for c in r.get("by_rule", {})})
    from markupsafe import Markup

    return _env().get_template("batch_index.html.j2").render(
        summary=summary,
        totals=summary["totals"],
        run=summary["run"],
        rows=view_rows[:PAGE_ROWS],
        total_rows=len(view_rows),
        rows_json=Markup(json_for_script(data)),
        page_rows=PAGE_ROWS,
        categories=cats,
        all_rules=all_rules,
        severities=SEVERITIES,
        cat_chart=category_chart(summary["totals"]["by_category"]),
        hist_chart=histogram_chart(ok_values),
        version=__version__,
    )


def summary_json(summary: dict) -> str:
    """summary.json: indented, but one line per article so that a large library stays small."""
    head = {k: v for k, v in summary.items() if k != "rows"}
    text = json.dumps(head, ensure_ascii=False, indent=2)
    rows = ",\n".join("    " + json.dumps(r, ensure_ascii=False) for r in summary["rows"])
    return text[:-2] + ',\n  "rows": [' + ("\n" + rows + "\n  ]" if rows else "]") + "\n}\n"


def write_outputs(outcome) -> None:
    """index.html, summary.json and summary.csv, each written atomically."""
    from editor.writer import atomic_write

    out = outcome.out
    summary = summary_dict(outcome)
    atomic_write(out / "summary.json", summary_json(summary))
    atomic_write(out / "summary.csv", summary_csv(outcome.rows))
    atomic_write(out / "index.html", render_index(outcome))
