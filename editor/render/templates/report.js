/* cleanup report: review every proposed change, then download the result.
 *
 * Everything is built from the JSON block #report-data with createElement/textContent; article
 * text is never parsed as HTML (the page's CSP enforces Trusted Types, so assigning an HTML string would throw).
 * Offsets in the data are code-point offsets into the article text (as Python counts them);
 * cpIndex() maps them to the UTF-16 indexes JavaScript strings use.
 */
(function () {
  "use strict";

  // ------------------------------------------------------------------------------------------
  // Applying fixes: a line-by-line mirror of editor/fixes.py apply_fixes (keep them in step).

  function cpIndex(s) {
    // table[k] = UTF-16 index of code point k; table[codePointLength] = s.length
    const table = [0];
    let i = 0;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i += 2;
      else i += 1;
      table.push(i);
    }
    return table;
  }

  function clash(a, b) {
    if (a[0] === a[1] || b[0] === b[1]) { // insertions clash with edits that strictly contain them or at same point
      if (a[0] === a[1] && b[0] === b[1]) return a[0] === b[0];
      const p = a[0] === a[1] ? a : b;
      const s = a[0] === a[1] ? b : a;
      return s[0] < p[0] && p[0] < s[1];
    }
    return a[0] < b[1] && b[0] < a[1];
  }

  // Which fixes apply: source order (then the longer first); a fix whose edits overlap an already
  // chosen one (or each other) is skipped. `fixes` is [{edits: [{start, end, replacement}]}].
  function chooseFixes(fixes) {
    const ordered = fixes
      .filter(function (f) { return f.edits.length > 0; })
      .map(function (f) {
        let lo = Infinity, hi = -Infinity;
        f.edits.forEach(function (e) { lo = Math.min(lo, e.start); hi = Math.max(hi, e.end); });
        return { fix: f, lo: lo, hi: hi };
      });
    ordered.sort(function (x, y) { return (x.lo - y.lo) || (y.hi - x.hi); }); // stable, like sorted()
    const taken = [];
    const chosen = [];
    const skipped = [];
    ordered.forEach(function (o) {
      const spans = o.fix.edits.map(function (e) { return [e.start, e.end]; });
      let bad = spans.some(function (s) { return taken.some(function (t) { return clash(s, t); }); });
      for (let i = 0; !bad && i < spans.length; i++) {
        for (let j = i + 1; j < spans.length; j++) if (clash(spans[i], spans[j])) { bad = true; break; }
      }
      if (bad) { skipped.push(o.fix); return; }
      spans.forEach(function (s) { taken.push(s); });
      chosen.push(o.fix);
    });
    return { chosen: chosen, skipped: skipped };
  }

  function chosenEdits(chosen) {
    const edits = [];
    chosen.forEach(function (f) { f.edits.forEach(function (e) { edits.push(e); }); });
    edits.sort(function (x, y) { return (x.start - y.start) || (x.end - y.end); });
    return edits;
  }

  function applyFixes(text, fixes) {
    const pick = chooseFixes(fixes);
    const table = cpIndex(text);
    const edits = chosenEdits(pick.chosen).reverse(); // right to left: earlier offsets stay valid
    let out = text;
    edits.forEach(function (e) {
      out = out.slice(0, table[e.start]) + e.replacement + out.slice(table[e.end]);
    });
    return { text: out, applied: pick.chosen, skipped: pick.skipped };
  }

  // ------------------------------------------------------------------------------------------
  // The patch: a unified diff (3 lines of context, difflib's hunk grouping and range format)
  // of exactly the chosen edits, computed from the lines those edits touch.

  function splitLines(s) { // keeps line ends; "\r\n" stays inside its line
    const out = [];
    let pos = 0;
    for (;;) {
      const j = s.indexOf("\n", pos);
      if (j < 0) break;
      out.push(s.slice(pos, j + 1));
      pos = j + 1;
    }
    if (pos < s.length) out.push(s.slice(pos));
    return out;
  }

  function formatRange(start, length) { // difflib._format_range_unified
    let beginning = start + 1;
    if (length === 1) return String(beginning);
    if (!length) beginning -= 1;
    return beginning + "," + length;
  }

  function unifiedPatch(orig, edits, fromName, toName) {
    // orig: the full file text; edits: [{s, e, r}] in UTF-16 indexes, ascending, not overlapping
    if (!edits.length) return "";
    const lines = splitLines(orig);
    const starts = [0];
    for (let i = 0; i < orig.length; i++) if (orig.charCodeAt(i) === 10) starts.push(i + 1);
    const lineOf = function (p) { // bisect_right(starts, p) - 1
      let lo = 0, hi = starts.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (starts[mid] <= p) lo = mid + 1; else hi = mid; }
      return lo - 1;
    };
    const lineStart = function (l) { return l < starts.length ? starts[l] : orig.length; };
    const lineEnd = function (l) { return l + 1 < starts.length ? starts[l + 1] : orig.length; };
    // blocks of touched lines, merged when they overlap or touch
    const blocks = [];
    edits.forEach(function (e) {
      const first = lineOf(e.s);
      const last = e.e > e.s ? lineOf(e.e - 1) : first;
      const b = blocks[blocks.length - 1];
      if (b && first <= b.last + 1) { b.last = Math.max(b.last, last); b.edits.push(e); }
      else blocks.push({ first: first, last: last, edits: [e] });
    });
    const changes = [];
    blocks.forEach(function (b) {
      const from = lineStart(b.first);
      const to = lineEnd(b.last);
      let seg = "";
      let pos = from;
      b.edits.forEach(function (e) { seg += orig.slice(pos, e.s) + e.r; pos = e.e; });
      seg += orig.slice(pos, to);
      const oldL = splitLines(orig.slice(from, to));
      const newL = splitLines(seg);
      let o = b.first;
      while (oldL.length && newL.length && oldL[0] === newL[0]) { oldL.shift(); newL.shift(); o += 1; }
      while (oldL.length && newL.length && oldL[oldL.length - 1] === newL[newL.length - 1]) { oldL.pop(); newL.pop(); }
      if (oldL.length || newL.length) changes.push({ o: o, old: oldL, neu: newL });
    });
    if (!changes.length) return "";
    const n = 3;
    const groups = [];
    changes.forEach(function (c) {
      const g = groups[groups.length - 1];
      if (g) {
        const prev = g[g.length - 1];
        if (c.o - (prev.o + prev.old.length) <= 2 * n) { g.push(c); return; }
      }
      groups.push([c]);
    });
    const noEol = "\n\\ No newline at end of file\n";
    const emit = function (prefix, line) { return prefix + line + (line.endsWith("\n") ? "" : noEol); };
    let out = "--- " + fromName + "\n+++ " + toName + "\n";
    let delta = 0; // new line index - old line index before the current hunk
    groups.forEach(function (g) {
      const first = g[0], last = g[g.length - 1];
      const oFrom = Math.max(0, first.o - n);
      const oTo = Math.min(lines.length, last.o + last.old.length + n);
      let inner = 0;
      g.forEach(function (c) { inner += c.neu.length - c.old.length; });
      out += "@@ -" + formatRange(oFrom, oTo - oFrom) + " +" + formatRange(oFrom + delta, oTo - oFrom + inner) + " @@\n";
      let l = oFrom;
      g.forEach(function (c) {
        for (; l < c.o; l++) out += emit(" ", lines[l]);
        c.old.forEach(function (x) { out += emit("-", x); });
        c.neu.forEach(function (x) { out += emit("+", x); });
        l = c.o + c.old.length;
      });
      for (; l < oTo; l++) out += emit(" ", lines[l]);
      delta += inner;
    });
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // Data

  // for tests: the page's edit application, to hold it to editor/fixes.py on many inputs
  Object.defineProperty(window, "cleanupEdits", {
    value: Object.freeze({ applyFixes: applyFixes, patchFor: patchFor }),
  });

  const data = JSON.parse(document.getElementById("report-data").textContent);
  const text = data.text;
  const table = cpIndex(text);
  const slice = function (a, b) { return text.slice(table[a], table[b]); };
  const findings = data.findings;
  const SEV = { error: "✖", warning: "▲", info: "ℹ" };
  const STATE = { accepted: "✓", rejected: "✗", undecided: "?" };
  const STATE_TEXT = { accepted: "accepted", rejected: "rejected", undecided: "to review" };
  const seen = {};
  findings.forEach(function (f) {
    f.alts = [];
    f.fixes.forEach(function (fx, k) { if (fx.applicability !== "display-only" && fx.edits.length) f.alts.push(k); });
    f.isChange = f.alts.length > 0;
    let key = f.rule + "@" + f.start + "-" + f.end;
    if (seen[key]) key += "#" + f.id;
    seen[key] = true;
    f.key = key;
    f.engines = f.sources && f.sources.length ? f.sources : [f.source];
  });
  const changes = findings.filter(function (f) { return f.isChange; });

  // ------------------------------------------------------------------------------------------
  // Review state, kept in localStorage under the article's content hash

  const storeKey = "cleanup-review:v1:" + data.hash;
  const state = { decisions: {}, choice: {}, view: "inline" };
  let skippedIds = new Set();

  function loadState() {
    let saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(storeKey) || "null"); } catch (e) { saved = null; }
    if (!saved || typeof saved !== "object") return;
    changes.forEach(function (f) {
      const d = saved.decisions && saved.decisions[f.key];
      if (d === "accepted" || d === "rejected") state.decisions[f.key] = d;
      const c = saved.choice && saved.choice[f.key];
      if (typeof c === "number" && f.alts.indexOf(c) >= 0) state.choice[f.key] = c;
    });
    if (saved.view === "side") state.view = "side";
  }

  function saveState() {
    try { window.localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* storage off: still works */ }
  }

  function decision(f) { return state.decisions[f.key] || "undecided"; }
  function alt(f) { const c = state.choice[f.key]; return typeof c === "number" ? c : f.alts[0]; }
  function chosenFix(f) { return f.fixes[alt(f)]; }

  function acceptedFixes() {
    // in finding order, exactly as editor.fixes.apply_fixes is given them
    return changes.filter(function (f) { return decision(f) === "accepted"; }).map(function (f) {
      const fx = chosenFix(f);
      return { edits: fx.edits, finding: f };
    });
  }

  function reviewed() {
    return applyFixes(text, acceptedFixes());
  }

  // the patch that turns the file (BOM included) into the file with `fixes` applied
  function patchFor(source, bom, fixes, path) {
    const pick = chooseFixes(fixes);
    const idx = cpIndex(source);
    const b = bom ? "\ufeff" : "";
    const edits = chosenEdits(pick.chosen).map(function (e) {
      return { s: b.length + idx[e.start], e: b.length + idx[e.end], r: e.replacement };
    });
    return unifiedPatch(b + source, edits, "a/" + path, "b/" + path);
  }

  function patchText() {
    return patchFor(text, data.bom, acceptedFixes(), data.path);
  }

  // ------------------------------------------------------------------------------------------
  // DOM helpers: text only, never HTML

  function el(tag, attrs) {
    const e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        const v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === "class") e.className = v;
        else if (k === "text") e.textContent = v;
        else e.setAttribute(k, v === true ? "" : String(v));
      });
    }
    for (let i = 2; i < arguments.length; i++) {
      const c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      e.append(c); // strings become text nodes
    }
    return e;
  }

  const $ = function (id) { return document.getElementById(id); };
  const inlineView = $("inline-view");
  const sideView = $("side-view");
  const list = $("finding-list");
  const mainEl = $("main");
  const statusEl = $("review-status");
  const views = {}; // id -> {inline, ref, card, side: {left, right}}

  function diffNodes(f, side) {
    // side: "both" (inline), "old" or "new"
    const ops = f.diffs[alt(f)];
    const frag = document.createDocumentFragment();
    ops.forEach(function (op) {
      const kind = op[0], t = op[1];
      if (kind === "=") frag.append(t);
      else if (kind === "-" && side !== "new") frag.append(el("del", null, t));
      else if (kind === "+" && side !== "old") frag.append(el("ins", null, t));
    });
    return frag;
  }

  function refLabel(f) {
    if (!f.isChange) return "finding " + (f.id + 1) + ", " + f.severity + ", no automatic fix";
    const st = skippedIds.has(f.id) ? "accepted but overlaps an earlier change" : STATE_TEXT[decision(f)];
    return "change " + (f.id + 1) + ", " + f.severity + ", " + st;
  }

  function refText(f) {
    return String(f.id + 1) + (f.isChange ? STATE[decision(f)] : "");
  }

  // the article, in source order; a finding overlapping one already drawn is listed only
  function layout() {
    const order = findings.slice().sort(function (x, y) { return (x.range[0] - y.range[0]) || (x.id - y.id); });
    const pieces = [];
    let pos = 0;
    let last = null;
    order.forEach(function (f) {
      const s = f.range[0], e = f.range[1];
      if (s < pos) { f.hiddenBy = last; return; } // shown by the drawn finding it overlaps
      if (s > pos) pieces.push({ text: slice(pos, s) });
      pieces.push({ f: f });
      pos = e;
      last = f;
    });
    if (pos < table.length - 1) pieces.push({ text: slice(pos, table.length - 1) });
    return pieces;
  }
  const pieces = layout();

  function makeInline(f) {
    let node;
    if (f.isChange) {
      node = el("span", { class: "chg sev-" + f.severity, id: "c" + f.id, "data-id": f.id, title: f.rule + ": " + f.message });
      node.append(diffNodes(f, "both"));
    } else {
      const t = slice(f.range[0], f.range[1]);
      node = el("mark", { class: "flag sev-" + f.severity, id: "c" + f.id, "data-id": f.id, title: f.rule + ": " + f.message }, t || "‸");
    }
    const ref = el("sup", { class: "ref", "data-id": f.id, "aria-label": refLabel(f) }, refText(f));
    return [node, ref];
  }

  function buildInline() {
    const frag = document.createDocumentFragment();
    pieces.forEach(function (p) {
      if (p.text !== undefined) { frag.append(p.text); return; }
      const made = makeInline(p.f);
      views[p.f.id].inline = made[0];
      views[p.f.id].ref = made[1];
      frag.append(made[0], made[1]);
    });
    inlineView.append(frag);
  }

  let sideBuilt = false;
  function fillSide(f) {
    const v = views[f.id].side;
    if (!v) return;
    v.left.replaceChildren(f.isChange ? diffNodes(f, "old") : (slice(f.range[0], f.range[1]) || "‸"));
    if (!f.isChange) v.right.replaceChildren(slice(f.range[0], f.range[1]) || "‸");
    else if (decision(f) === "rejected") v.right.replaceChildren(slice(f.range[0], f.range[1]));
    else v.right.replaceChildren(diffNodes(f, "new"));
    v.rref.textContent = refText(f);
    v.rref.setAttribute("aria-label", refLabel(f));
  }

  function buildSide() {
    if (sideBuilt) return;
    sideBuilt = true;
    const tbl = el("table", null,
      el("caption", { text: "Left: the original. Right: the article with every change applied except the rejected ones (✓ accepted, ? undecided, ✗ rejected)." }),
      el("thead", null, el("tr", null, el("th", { scope: "col", text: "Original" }), el("th", { scope: "col", text: "Proposed" }))));
    const body = el("tbody");
    let left = null, right = null, needRow = true;
    const cells = function () {
      if (needRow) {
        left = el("td"); right = el("td");
        body.append(el("tr", null, left, right));
        needRow = false;
      }
    };
    const para = /(\r?\n[ \t]*(?:\r?\n)+)/; // a blank line ends a row (paragraphs side by side)
    pieces.forEach(function (p) {
      if (p.text !== undefined) {
        p.text.split(para).forEach(function (s, i) {
          if (i % 2 === 1) { needRow = true; return; }
          if (s) { cells(); left.append(s); right.append(s); }
        });
        return;
      }
      cells();
      const f = p.f;
      const cls = (f.isChange ? "chg" : "flag") + " sev-" + f.severity;
      const l = el(f.isChange ? "span" : "mark", { class: cls, "data-id": f.id });
      const r = el(f.isChange ? "span" : "mark", { class: cls, "data-id": f.id });
      const rref = el("sup", { class: "ref", "data-id": f.id });
      left.append(l, el("sup", { class: "ref", "data-id": f.id, "aria-hidden": "true" }, String(f.id + 1)));
      right.append(r, rref);
      views[f.id].side = { left: l, right: r, rref: rref };
      fillSide(f);
      paint(f);
    });
    tbl.append(body);
    sideView.append(tbl);
  }

  function safetyTag(level) {
    const label = level === "safe" ? "safe" : level === "unsafe" ? "unsafe: review" : "display only";
    return el("span", { class: "safety " + level }, label);
  }

  function buildCard(f) {
    const li = el("li", { id: "f" + f.id, class: "card sev-" + f.severity, tabindex: "-1", "data-id": f.id,
      "aria-labelledby": "fh" + f.id });
    const where = "line " + f.line + ", column " + f.column;
    const engines = f.engines.join(", ");
    const stateEl = el("span", { class: "state", "aria-live": "off" });
    li.append(el("div", { class: "card-head", id: "fh" + f.id },
      el("span", { class: "num" }, (f.isChange ? "Change " : "Finding ") + (f.id + 1)),
      el("span", { class: "sev sev-" + f.severity }, el("span", { class: "sym", "aria-hidden": "true" }, SEV[f.severity] || "•"), " " + f.severity),
      el("strong", null, f.rule), f.name ? el("span", null, f.name) : null,
      el("span", { class: "meta" }, f.category + " · " + where + " · engine: " + engines),
      stateEl));
    li.append(el("p", { class: "msg" }, f.message));
    li.append(el("p", { class: "flagged" }, "Flagged: ", el("q", null, f.text || "(an insertion point)")));
    const note = el("p", { class: "note skip-note", hidden: true });
    let radios = [];
    if (f.isChange && f.alts.length > 1) {
      const fs = el("fieldset", { class: "alts" }, el("legend", { text: "Choose a suggestion (" + f.alts.length + " alternatives)" }));
      f.alts.forEach(function (k, n) {
        const input = el("input", { type: "radio", name: "alt-" + f.id, value: k, id: "alt-" + f.id + "-" + k });
        input.addEventListener("change", function () { chooseAlt(f, k); });
        radios.push(input);
        fs.append(el("label", { for: "alt-" + f.id + "-" + k }, input, " " + (n + 1) + ". ",
          el("span", { class: "alt-text" }, f.replacements[k] === "" ? "(delete)" : f.replacements[k]),
          safetyTag(f.fixes[k].applicability)));
      });
      li.append(fs);
    } else if (f.isChange) {
      const k = f.alts[0];
      li.append(el("p", { class: "alts" }, "Suggestion: ",
        el("span", { class: "alt-text" }, f.replacements[k] === "" ? "(delete)" : f.replacements[k]), safetyTag(f.fixes[k].applicability)));
    }
    const shown = f.fixes.map(function (fx, k) { return k; }).filter(function (k) { return f.alts.indexOf(k) < 0; });
    if (shown.length) {
      const p = el("p", { class: "alts" }, "To do by hand: ");
      shown.forEach(function (k, n) {
        if (n) p.append("; ");
        p.append(el("span", { class: "alt-text" }, f.replacements[k] === "" ? "(delete)" : f.replacements[k]), safetyTag(f.fixes[k].applicability));
      });
      li.append(p);
    }
    let accept = null, reject = null;
    const actions = el("div", { class: "actions" });
    if (f.isChange) {
      accept = el("button", { type: "button", class: "accept", "aria-pressed": "false", "aria-keyshortcuts": "a" }, "✓ Accept");
      reject = el("button", { type: "button", class: "reject", "aria-pressed": "false", "aria-keyshortcuts": "r" }, "✗ Reject");
      accept.addEventListener("click", function () { select(f, false); decide(f, decision(f) === "accepted" ? "undecided" : "accepted"); });
      reject.addEventListener("click", function () { select(f, false); decide(f, decision(f) === "rejected" ? "undecided" : "rejected"); });
      actions.append(accept, reject);
    }
    const show = el("button", { type: "button", class: "show" }, "Show in article");
    show.addEventListener("click", function () { select(f, true); });
    actions.append(show);
    li.append(note, actions);
    if (f.hiddenBy) li.append(el("p", { class: "note" }, "Overlaps finding " + (f.hiddenBy.id + 1) + " in the article, which is drawn there instead."));
    const docs = data.docs[f.rule];
    if (docs) {
      const d = el("details", { class: "docs" }, el("summary", { text: "Why" }));
      if (docs.what) d.append(el("p", null, docs.what));
      if (docs.why) d.append(el("p", null, docs.why));
      if (docs.fix) d.append(el("p", null, "Fix: " + docs.fix));
      li.append(d);
    }
    li.addEventListener("focusin", function () { setCurrent(f); });
    views[f.id] = { card: li, state: stateEl, accept: accept, reject: reject, note: note, radios: radios };
    return li;
  }

  // ------------------------------------------------------------------------------------------
  // Painting one finding's state everywhere it shows

  function paint(f) {
    const v = views[f.id];
    const d = f.isChange ? decision(f) : null;
    const skipped = skippedIds.has(f.id);
    const cls = function (node) {
      if (!node) return;
      ["st-accepted", "st-rejected", "st-undecided", "st-skipped"].forEach(function (c) { node.classList.remove(c); });
      if (d) node.classList.add("st-" + d);
      if (skipped) node.classList.add("st-skipped");
    };
    [v.card, v.inline, v.ref].forEach(cls);
    if (v.side) { cls(v.side.left); cls(v.side.right); cls(v.side.rref); }
    if (v.ref) { v.ref.textContent = refText(f); v.ref.setAttribute("aria-label", refLabel(f)); }
    if (f.isChange) {
      v.state.textContent = STATE[d] + " " + STATE_TEXT[d];
      v.state.className = "state st-" + d;
      v.accept.setAttribute("aria-pressed", String(d === "accepted"));
      v.reject.setAttribute("aria-pressed", String(d === "rejected"));
      v.radios.forEach(function (r) { r.checked = Number(r.value) === alt(f); });
      v.note.hidden = !skipped;
      v.note.textContent = skipped ? "⚠ Accepted, but it overlaps an accepted change earlier in the text: it will not be applied. Reject one of them." : "";
    } else {
      v.state.textContent = "no automatic fix";
      v.state.className = "state";
    }
    v.card.setAttribute("data-state", d || "none");
  }

  function refreshSkipped() {
    const pick = chooseFixes(acceptedFixes());
    const now = new Set(pick.skipped.map(function (x) { return x.finding.id; }));
    const changed = [];
    findings.forEach(function (f) { if (now.has(f.id) !== skippedIds.has(f.id)) changed.push(f); });
    skippedIds = now;
    changed.forEach(paint);
  }

  function counts() {
    let acc = 0, rej = 0, und = 0;
    changes.forEach(function (f) {
      const d = decision(f);
      if (d === "accepted") acc += 1; else if (d === "rejected") rej += 1; else und += 1;
    });
    const marks = findings.length - changes.length;
    let s = changes.length + " change" + (changes.length === 1 ? "" : "s") + ": " + acc + " accepted, " + rej +
      " rejected, " + und + " to review.";
    if (skippedIds.size) s += " " + skippedIds.size + " accepted change" + (skippedIds.size === 1 ? " overlaps" : "s overlap") + " an earlier one and will not be applied.";
    if (marks) s += " " + marks + " finding" + (marks === 1 ? "" : "s") + " without an automatic fix.";
    statusEl.textContent = s;
    statusEl.dataset.accepted = acc;
    statusEl.dataset.rejected = rej;
    statusEl.dataset.undecided = und;
  }

  function decide(f, d) {
    if (!f.isChange) { flash("Finding " + (f.id + 1) + " has no automatic fix: edit it by hand."); return; }
    if (d === "undecided") delete state.decisions[f.key]; else state.decisions[f.key] = d;
    saveState();
    paint(f);
    if (views[f.id].side) fillSide(f);
    refreshSkipped();
    applyFilters();
    counts();
  }

  function chooseAlt(f, k) {
    if (f.alts.indexOf(k) < 0) return;
    state.choice[f.key] = k;
    saveState();
    const v = views[f.id];
    if (v.inline) { v.inline.replaceChildren(diffNodes(f, "both")); }
    if (v.side) fillSide(f);
    paint(f);
    refreshSkipped();
    counts();
  }

  let flashTimer = null;
  function flash(msg) {
    counts();
    statusEl.textContent = statusEl.textContent + " " + msg;
    clearTimeout(flashTimer);
    flashTimer = setTimeout(counts, 4000);
  }

  // ------------------------------------------------------------------------------------------
  // Filters: category, severity, engine, review state

  const filters = {};
  function buildFilters() {
    const groups = [
      ["category", "Category", function (f) { return [f.category]; }],
      ["severity", "Severity", function (f) { return [f.severity]; }],
      ["engine", "Engine", function (f) { return f.engines; }],
      ["status", "Review", function (f) { return [f.isChange ? decision(f) : "none"]; }],
    ];
    const host = $("filter-groups");
    groups.forEach(function (g) {
      const name = g[0], values = {};
      findings.forEach(function (f) { g[2](f).forEach(function (v) { values[v] = (values[v] || 0) + 1; }); });
      let keys = Object.keys(values).sort();
      if (name === "severity") keys = ["error", "warning", "info"].filter(function (k) { return values[k]; });
      if (name === "status") keys = ["undecided", "accepted", "rejected", "none"];
      filters[name] = { get: g[2], on: {} };
      const fs = el("fieldset", null, el("legend", { text: g[1] }));
      keys.forEach(function (k) {
        filters[name].on[k] = true;
        const id = "filter-" + name + "-" + k.replace(/[^A-Za-z0-9_-]/g, "_");
        const box = el("input", { type: "checkbox", id: id, checked: true, "data-filter": name, "data-value": k });
        box.addEventListener("change", function () { filters[name].on[k] = box.checked; applyFilters(); });
        const label = name === "status" ? { undecided: "to review", accepted: "accepted", rejected: "rejected", none: "no automatic fix" }[k] : k;
        fs.append(el("label", { for: id }, box, " " + label + (name === "status" ? "" : " (" + values[k] + ")")));
      });
      host.append(fs);
    });
  }

  function visible(f) {
    return Object.keys(filters).every(function (name) {
      const fl = filters[name];
      return fl.get(f).some(function (v) { return fl.on[v] !== false; });
    });
  }

  function applyFilters() {
    let shown = 0;
    findings.forEach(function (f) {
      const vis = visible(f);
      const v = views[f.id];
      if (vis) shown += 1;
      v.card.hidden = !vis;
      [v.inline, v.side && v.side.left, v.side && v.side.right].forEach(function (n) { if (n) n.classList.toggle("muted", !vis); });
    });
    $("filter-summary").textContent = shown === findings.length ? "(showing all)" : "(showing " + shown + " of " + findings.length + ")";
    $("no-findings").hidden = shown > 0;
    if (!findings.length) $("no-findings").textContent = "No findings.";
    else if (!shown) $("no-findings").textContent = "No finding matches the filters.";
  }

  // ------------------------------------------------------------------------------------------
  // Navigation and keyboard

  let current = null;
  function marked(f) { // the card, and where the finding shows in the article
    const v = views[f.id];
    const shown = f.hiddenBy ? views[f.hiddenBy.id] : v;
    return [v.card, shown.inline, shown.side && shown.side.right];
  }

  function setCurrent(f) {
    if (current) marked(current).forEach(function (n) { if (n) n.classList.remove("current"); });
    current = f;
    marked(f).forEach(function (n) { if (n) n.classList.add("current"); });
    document.documentElement.dataset.current = String(f.id);
  }

  function select(f, focusCard) {
    setCurrent(f);
    const v = views[f.id];
    const pane = $("findings");
    if (pane.scrollHeight > pane.clientHeight + 1) {
      const top = v.card.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
      pane.scrollTop = Math.max(0, top - 40);
    }
    const m = marked(f);
    const anchor = state.view === "side" ? m[2] : m[1];
    if (anchor && anchor.scrollIntoView) anchor.scrollIntoView({ block: "center" });
    if (focusCard) v.card.focus({ preventScroll: true });
  }

  function step(dir) {
    const shown = findings.filter(visible);
    if (!shown.length) { flash("No finding matches the filters."); return; }
    let i = current ? shown.indexOf(current) : -1;
    if (i < 0 && current) { // current is filtered out: continue from its place
      i = dir > 0 ? shown.filter(function (f) { return f.id < current.id; }).length - 1
        : shown.filter(function (f) { return f.id < current.id; }).length;
    }
    let j = i + dir;
    if (i < 0 && dir < 0) j = shown.length - 1;
    if (j < 0 || j >= shown.length) { flash(dir > 0 ? "That was the last finding." : "That was the first finding."); return; }
    select(shown[j], true);
  }

  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    const tag = t && t.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || (tag === "INPUT" && !/^(checkbox|radio|button)$/.test(t.type)) || (t && t.isContentEditable)) return;
    const k = e.key;
    if (k === "j" || k === "n") step(1);
    else if (k === "k" || k === "p") step(-1);
    else if (k === "a" || k === "r" || k === "u") {
      if (!current) { step(1); if (!current) return; }
      decide(current, k === "a" ? "accepted" : k === "r" ? "rejected" : "undecided");
    } else if (/^[1-9]$/.test(k)) {
      if (current && current.isChange) {
        const n = Number(k) - 1;
        if (n < current.alts.length) chooseAlt(current, current.alts[n]);
      }
    } else if (k === "s") setView(state.view === "side" ? "inline" : "side");
    else if (k === "?") { const d = document.querySelector("details.keys"); d.open = !d.open; }
    else return;
    e.preventDefault();
  }

  function setView(v) {
    state.view = v;
    saveState();
    if (v === "side") buildSide();
    inlineView.hidden = v === "side";
    sideView.hidden = v !== "side";
    mainEl.classList.toggle("side-mode", v === "side");
    $("view-inline").setAttribute("aria-pressed", String(v !== "side"));
    $("view-side").setAttribute("aria-pressed", String(v === "side"));
    $("article-h").textContent = v === "side" ? "Article: original and proposed, side by side" : "Article with proposed changes";
    applyFilters();
    if (current) setCurrent(current);
  }

  // ------------------------------------------------------------------------------------------
  // Downloads: a Blob built in the page; nothing leaves the computer

  function download(name, content, type) {
    const blob = new Blob([content], { type: type });
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name });
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function downloadArticle() {
    const r = reviewed();
    const type = data.fmt === "md" ? "text/markdown;charset=utf-8" : "text/plain;charset=utf-8";
    download(data.name, (data.bom ? "\ufeff" : "") + r.text, type);
    flash("Downloaded " + data.name + " with " + r.applied.length + " accepted change" + (r.applied.length === 1 ? "" : "s") + ".");
  }

  function downloadPatch() {
    const p = patchText();
    download(data.name + ".patch", p, "text/x-diff;charset=utf-8");
    flash(p ? "Downloaded " + data.name + ".patch." : "No accepted change: the patch is empty.");
  }

  function acceptAllSafe() {
    let n = 0;
    changes.forEach(function (f) {
      if (visible(f) && decision(f) === "undecided" && chosenFix(f).applicability === "safe") {
        state.decisions[f.key] = "accepted";
        n += 1;
      }
    });
    saveState();
    changes.forEach(function (f) { paint(f); if (views[f.id].side) fillSide(f); });
    refreshSkipped();
    applyFilters();
    flash(n ? "Accepted " + n + " safe change" + (n === 1 ? "" : "s") + "." : "No undecided safe change to accept.");
  }

  // ------------------------------------------------------------------------------------------
  // Start

  function start() {
    loadState();
    const frag = document.createDocumentFragment();
    findings.forEach(function (f) { frag.append(buildCard(f)); });
    list.append(frag);
    buildInline();
    buildFilters();
    skippedIds = new Set(chooseFixes(acceptedFixes()).skipped.map(function (x) { return x.finding.id; }));
    findings.forEach(paint);
    const pick = function (ev) {
      const t = ev.target.closest ? ev.target.closest("[data-id]") : null;
      if (!t || t.classList.contains("card")) return;
      const f = findings[Number(t.getAttribute("data-id"))];
      if (f) select(f, true);
    };
    inlineView.addEventListener("click", pick);
    sideView.addEventListener("click", pick);
    $("accept-safe").addEventListener("click", acceptAllSafe);
    $("download-article").addEventListener("click", downloadArticle);
    $("download-patch").addEventListener("click", downloadPatch);
    $("view-inline").addEventListener("click", function () { setView("inline"); });
    $("view-side").addEventListener("click", function () { setView("side"); });
    $("accept-safe").disabled = !changes.some(function (f) { return f.fixes[f.alts[0]].applicability === "safe"; });
    $("toolbar").hidden = false;
    document.addEventListener("keydown", onKey);
    setView(state.view);
    counts();
    document.documentElement.dataset.ready = "true";
    if (window.performance && performance.mark) performance.mark("cleanup-ready");
  }

  start();
})();
