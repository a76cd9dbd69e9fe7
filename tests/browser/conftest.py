"""The HTML report in a real browser: Debian's chromium driven by Python Playwright.

Chromium must be at ``/usr/bin/chromium`` (``.ci/run`` installs it with apt-get; override the path
with ``CLEANUP_CHROMIUM``). Without it, or without Playwright, every test here FAILS with a message
saying what to install: they never skip silently. Playwright's own browser download is never used.

A screenshot of a sample report is written to ``test-output/browser/`` at the repository root
(git-ignored); the test prints its path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from editor.document import SourceDocument
from editor.pipeline import FileReport
from editor.render.html import render_html

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CLEANUP_CHROMIUM", "/usr/bin/chromium")
OUTPUT = ROOT / "test-output" / "browser"


@pytest.fixture(scope="module")  # closed after each module: Playwright's event loop does not outlive it
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: the browser tests need Debian's chromium "
                    "(apt-get install -y chromium; .ci/run does this)", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install '.[test]'", pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@dataclass
class ReportPage:
    """One report open in a tab, with everything the page said on its console."""

    page: object
    path: Path
    errors: list = field(default_factory=list)

    def ready(self) -> "ReportPage":
        self.page.wait_for_selector("html[data-ready=true]", state="attached", timeout=10_000)
        return self

    def status(self) -> dict:
        d = self.page.eval_on_selector("#review-status", "e => Object.assign({}, e.dataset)")
        return {k: int(v) for k, v in d.items()}

    def card(self, fid: int):
        return self.page.locator(f"#f{fid}")

    def accept(self, fid: int) -> None:
        self.card(fid).locator("button.accept").click()

    def reject(self, fid: int) -> None:
        self.card(fid).locator("button.reject").click()

    def state(self, fid: int) -> str:
        return self.card(fid).get_attribute("data-state")

    def current(self) -> int | None:
        v = self.page.evaluate("document.documentElement.dataset.current")
        return int(v) if v is not None else None

    def _download(self, button: str) -> tuple[str, bytes]:
        with self.page.expect_download() as info:
            self.page.click(button)
        d = info.value
        return d.suggested_filename, Path(d.path()).read_bytes()

    def download_article(self) -> tuple[str, bytes]:
        return self._download("#download-article")

    def download_patch(self) -> tuple[str, bytes]:
        return self._download("#download-patch")

    def reload(self) -> "ReportPage":
        self.page.reload()
        return self.ready()


@pytest.fixture
def open_report(browser):
    """open_report(html_path, context=None) -> ReportPage; a new browser context (fresh
    localStorage) unless one is given."""
    contexts = []

    def _open(path: Path, context=None) -> ReportPage:
        if context is None:
            context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
            contexts.append(context)
        page = context.new_page()
        rp = ReportPage(page=page, path=Path(path))
        page.on("console", lambda m: rp.errors.append(f"console.{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: rp.errors.append(f"pageerror: {e}"))
        page.goto(Path(path).resolve().as_uri())
        return rp.ready()

    yield _open
    for c in contexts:
        c.close()


@pytest.fixture
def new_context(browser):
    contexts = []

    def _new():
        c = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        contexts.append(c)
        return c

    yield _new
    for c in contexts:
        c.close()


def write_report(folder: Path, text: str, findings: list, name: str = "article.md", bom: bool = False,
                 engines: dict | None = None, elapsed: float = 0.25, rules: dict | None = None) -> tuple[Path, FileReport]:
    doc = SourceDocument.from_text(text, path=name)
    doc.bom = bom
    report = FileReport(doc=doc, findings=findings, words=len(text.split()), elapsed=elapsed)
    if engines is not None:
        report.engines = engines
    target = folder / (Path(name).name + ".cleanup.html")
    target.write_text(render_html(report, rules), encoding="utf-8")
    return target, report
