#!/usr/bin/env python
"""How soon does the language server show findings for a 1,000-word article?

    python benchmarks/lsp_first_diagnostics.py [--words 1000] [--repeat 3] [--json]

Each run starts a fresh ``python -m editor server --stdio`` (default debounce, 0.3 s) with pygls'
own LSP client, in an empty temporary workspace (default configuration: our rules and Harper),
and times, from the client's side:

- ``initialize``: from starting the process to the answer of ``initialize``;
- ``first``: from ``didOpen`` of the article, sent right after ``initialized`` (the model may still
  be loading: the server starts loading it before the handshake), to its first
  ``publishDiagnostics`` — what a user who opens a file as the editor starts waits for;
- ``from start``: process start to those first diagnostics;
- ``change``: from a ``didChange`` (one word typed) to the diagnostics of that version — the
  debounce pause plus one check, with the model loaded;
- ``open warm``: ``didOpen`` of a second 1,000-word article to its diagnostics.

The article is built as in benchmarks/report.py. Prints the median over ``--repeat`` runs (each a
new process) and the number of findings. Exit status 0, or 2 when the server did not answer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import build_article  # noqa: E402  (benchmarks/report.py)

TIMEOUT_S = 300


async def one_run(words: int) -> dict:
    from lsprotocol import types as lsp
    from pygls.lsp.client import LanguageClient
    from pygls.uris import from_fs_path

    article = build_article(words)
    second = build_article(words * 2)[len(article):].lstrip() or article
    published: dict[tuple[str, int | None], float] = {}
    counts: dict[str, int] = {}
    client = LanguageClient("cleanup-benchmark", "1")

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(ls, params: lsp.PublishDiagnosticsParams):
        published.setdefault((params.uri, params.version), time.perf_counter())
        counts[params.uri] = len(params.diagnostics)

    async def wait_for(uri: str, version: int) -> float:
        deadline = time.perf_counter() + TIMEOUT_S
        while (uri, version) not in published:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no diagnostics for {uri} v{version}")
            await asyncio.sleep(0.005)
        return published[(uri, version)]

    with tempfile.TemporaryDirectory(prefix="cleanup-lsp-bench-") as folder:
        t0 = time.perf_counter()
        await client.start_io(sys.executable, "-m", "editor", "server", "--stdio", cwd=folder)
        await client.initialize_async(lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(), root_uri=from_fs_path(folder), process_id=None))
        t_init = time.perf_counter()
        client.initialized(lsp.InitializedParams())
        uri = from_fs_path(str(Path(folder) / "article.md"))
        t_open = time.perf_counter()
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=article)))
        t_first = await wait_for(uri, 1)
        t_change = time.perf_counter()
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangePartial(
                range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
                text="Today ")]))
        t_changed = await wait_for(uri, 2)
        uri2 = from_fs_path(str(Path(folder) / "second.md"))
        t_open2 = time.perf_counter()
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri2, language_id="markdown", version=1, text=second)))
        t_second = await wait_for(uri2, 1)
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
    return {
        "initialize_s": t_init - t0,
        "first_diagnostics_s": t_first - t_open,
        "from_start_s": t_first - t0,
        "change_s": t_changed - t_change,
        "open_warm_s": t_second - t_open2,
        "words": len(article.split()),
        "findings": counts.get(uri, 0),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    runs = []
    for _ in range(args.repeat):
        try:
            runs.append(asyncio.run(asyncio.wait_for(one_run(args.words), TIMEOUT_S)))
        except (TimeoutError, asyncio.TimeoutError, OSError) as e:
            print(f"lsp_first_diagnostics: the server did not answer: {e}", file=sys.stderr)
            return 2
    keys = ["initialize_s", "first_diagnostics_s", "from_start_s", "change_s", "open_warm_s"]
    med = {k: round(statistics.median(r[k] for r in runs), 3) for k in keys}
    result = {"runs": len(runs), "words": runs[0]["words"], "findings": runs[0]["findings"], "median": med,
              "all": [{k: round(r[k], 3) for k in keys} for r in runs]}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"cleanup server --stdio: {result['words']}-word article, {result['findings']} findings, "
              f"median of {len(runs)} fresh processes")
        print(f"  initialize answered:           {med['initialize_s']:.2f} s after start")
        print(f"  first diagnostics after open:  {med['first_diagnostics_s']:.2f} s "
              f"({med['from_start_s']:.2f} s after the process started)")
        print(f"  after a change (debounce 0.3): {med['change_s']:.2f} s")
        print(f"  another article opened, warm: {med['open_warm_s']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
