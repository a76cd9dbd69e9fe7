"""The page ``GET /`` serves: paste an article, send it to ``POST /review``, get the report.

No script at all: a plain form (so it also works with scripts off); the report it leads to is the
same page ``cleanup ARTICLE`` writes (editor/render/html.py, templates/report.js), served as is.
"""

from __future__ import annotations

from functools import lru_cache

from editor import __version__
from editor.render.html import _sha256

STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 1.2rem; color: #1a1a1a; }
h1 { font-size: 1.4rem; margin: .4rem 0 .2rem; }
p.lead { color: #5b5b5b; margin-top: 0; }
label { display: block; font-weight: 600; margin: .8rem 0 .3rem; }
textarea { width: 100%; box-sizing: border-box; min-height: 24rem; font: 1rem/1.45 Georgia, "Times New Roman", serif;
           padding: .6rem; border: 1px solid #cfcfcf; border-radius: 4px; }
.row { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-end; }
.row label { margin-bottom: .2rem; }
input[type=text], select { font: inherit; padding: .3rem .4rem; border: 1px solid #cfcfcf; border-radius: 4px; }
button { font: inherit; font-weight: 600; padding: .45rem 1.2rem; border-radius: 4px; border: 1px solid #0b6b2b;
         background: #0b6b2b; color: #fff; cursor: pointer; margin-top: 1rem; }
button:focus-visible, textarea:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #1f5fa8; outline-offset: 1px; }
footer { color: #5b5b5b; font-size: .85rem; margin-top: 1.5rem; }
""".strip()


@lru_cache(maxsize=4)
def paste_page(max_bytes: int) -> str:
    # frame-ancestors is sent as a header (editor/web/server.py): a <meta> policy cannot carry it
    csp = f"default-src 'none'; style-src {_sha256(STYLE)}; form-action 'self'; base-uri 'none'"
    limit = f"{max_bytes / 1_000_000:g} MB" if max_bytes >= 1_000_000 else f"{max_bytes / 1000:g} kB"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>cleanup: review an article</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>Review an article</h1>
<p class="lead">Paste an article and get the cleanup report: every finding, each proposed change to accept or
reject, and the reviewed article to download.</p>
<form method="post" action="/review" accept-charset="utf-8">
  <label for="text">Article</label>
  <textarea id="text" name="text" required spellcheck="false" placeholder="Paste the article here (Markdown or plain text)"></textarea>
  <div class="row">
    <div><label for="format">Format</label>
      <select id="format" name="format"><option value="md" selected>Markdown</option><option value="txt">Plain text</option></select></div>
    <div><label for="path">Name <small>(optional, shown in the report)</small></label>
      <input type="text" id="path" name="path" maxlength="200" placeholder="article.md"></div>
  </div>
  <button type="submit">Review</button>
</form>
</main>
<footer>cleanup {__version__} · up to {limit} per article · the article is checked on this server and kept nowhere;
review decisions stay in your browser. Scripts: POST /check returns the JSON report (docs/api.md).</footer>
</body>
</html>
"""
