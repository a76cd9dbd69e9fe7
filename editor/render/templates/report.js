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
    const taken = new Taken();
    const chosen = [];
    const skipped = [];
    ordered.forEach(function (o) {
      const spans = o.fix.edits.map(function (e) { return [e.start, e.end]; });
      let bad = spans.some(function (s) { return taken.clashes(s); });
      for (let i = 0; !bad && i < spans.length; i++) {
        for (let j = i + 1; j < spans.length; j++) if (clash(spans[i], spans[j])) { bad = true; break; }
      }
      if (bad) { skipped.push(o.fix); return; }
      spans.forEach(function (s) { taken.add(s); });
      chosen.push(o.fix);
    });
    return { chosen: chosen, skipped: skipped };
  }

  // The spans already taken, sorted by (start, end). They never clash with one another, so no
  // non-empty one holds another's start and their ends rise with their starts: the spans that can
  // clash with [a, b] are the run from the first whose end reaches a to the last that starts by b,
  // found by binary search (a scan of every taken span per fix made 20,000 fixes quadratic).
  function Taken() { this.spans = []; }
  Taken.prototype.lowerBound = function (test) { // first index whose span passes test (monotone)
    let lo = 0, hi = this.spans.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (test(this.spans[mid])) hi = mid; else lo = mid + 1; }
    return lo;
  };
  Taken.prototype.clashes = function (s) {
    for (let i = this.lowerBound(function (t) { return t[1] >= s[0]; }); i < this.spans.length && this.spans[i][0] <= s[1]; i++) {
      if (clash(s, this.spans[i])) return true;
    }
    return false;
  };
  Taken.prototype.add = function (s) {
    this.spans.splice(this.lowerBound(function (t) { return t[0] > s[0] || (t[0] === s[0] && t[1] > s[1]); }), 0, s);
  };

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
  // Data: findings, grouped into cards. Findings with the same span are one card whose
  // alternatives are all their fixes (identical fixes once, naming every rule that proposed it).

  const data = JSON.parse(document.getElementById("report-data").textContent);
  const text = data.text;
  const table = cpIndex(text);
  const END = table.length - 1; // the text's length in code points
  const slice = function (a, b) { return text.slice(table[a], table[b]); };
  const findings = data.findings;
  const SEV = { error: "✖", warning: "▲", info: "ℹ" };
  const SEV_RANK = { error: 3, warning: 2, info: 1 };
  const STATE = { accepted: "✓", rejected: "✗", undecided: "?" };
  const STATE_TEXT = { accepted: "accepted", rejected: "rejected", undecided: "to review" };

  function editsKey(edits) {
    return JSON.stringify(edits.map(function (e) { return [e.start, e.end, e.replacement]; }));
  }

  const seen = {};
  findings.forEach(function (f) {
    let key = f.rule + "@" + f.start + "-" + f.end;
    if (seen[key]) key += "#" + f.id;
    seen[key] = true;
    f.key = key;
    f.engines = f.sources && f.sources.length ? f.sources : [f.source];
  });

  const cards = []; // {id, lead, members, key, options, range, severity, kind: "finding"|"edit"}
  const cardOf = {}; // finding id -> card
  (function group() {
    const bySpan = {};
    findings.forEach(function (f) {
      const span = f.start + "-" + f.end;
      let c = bySpan[span];
      if (!c) {
        c = bySpan[span] = { id: f.id, lead: f, members: [], key: f.key, kind: "finding", fixed: [], shown: [] };
        cards.push(c);
      }
      c.members.push(f);
      cardOf[f.id] = c;
    });
    cards.forEach(function (c) {
      const byEdits = {};
      c.members.forEach(function (f) {
        f.fixes.forEach(function (fx, k) {
          const applicable = fx.applicability !== "display-only" && fx.edits.length > 0;
          const ek = (applicable ? "a" : "d") + editsKey(fx.edits);
          const same = byEdits[ek];
          if (same) { if (same.rules.indexOf(f.rule) < 0) same.rules.push(f.rule); return; }
          const o = { id: f.id + ":" + k, fid: f.id, k: k, fix: fx, edits: fx.edits, applicability: fx.applicability,
            label: f.replacements[k], diff: f.diffs[k], rules: [f.rule] };
          byEdits[ek] = o;
          (applicable ? c.fixed : c.shown).push(o);
        });
      });
      c.range = [Math.min.apply(null, c.members.map(function (f) { return f.range[0]; })),
        Math.max.apply(null, c.members.map(function (f) { return f.range[1]; }))];
      c.severity = c.members.reduce(function (s, f) { return SEV_RANK[f.severity] > SEV_RANK[s] ? f.severity : s; }, "info");
      c.rules = c.members.map(function (f) { return f.rule; });
      c.category = c.lead.category;
      // the learned detector's calibrated precision: the highest of the card's findings (null: none)
      c.confidence = c.members.reduce(function (m, f) {
        return typeof f.confidence === "number" && (m === null || f.confidence > m) ? f.confidence : m;
      }, null);
      c.engines = [];
      c.members.forEach(function (f) { f.engines.forEach(function (e) { if (c.engines.indexOf(e) < 0) c.engines.push(e); }); });
    });
  })();

  // ------------------------------------------------------------------------------------------
  // Review state, kept in localStorage under the article's content hash:
  //   decisions[key] accepted|rejected; choice[key] "fid:k" or "custom"; custom[key] the
  //   editor's own rewrite of the card's range; edits: rewrites of text the editor selected.

  const storeKey = "cleanup-review:v1:" + data.hash;
  const state = { decisions: {}, choice: {}, custom: {}, edits: [], view: "inline" };
  let skippedIds = new Set();
  let nextEdit = 1;

  function findingCards() { return cards.filter(function (c) { return c.kind === "finding"; }); }

  function validEdit(e) {
    return e && typeof e.start === "number" && typeof e.end === "number" && typeof e.replacement === "string" &&
      e.start >= 0 && e.start <= e.end && e.end <= END && Math.floor(e.start) === e.start && Math.floor(e.end) === e.end;
  }

  function shownAs(c) { // what a card's choices and diff are drawn from: its chosen option and own text
    const o = isChange(c) ? chosen(c) : null;
    return (o ? o.id : "") + "\u0000" + state.custom[c.key];
  }

  function restore(saved, replace, touched) {
    // decisions of another review (saved state or an imported file) onto this page; returns how many.
    // The cards whose choice or own text changed are pushed onto `touched` (when given).
    let n = 0;
    if (!saved || typeof saved !== "object") return 0;
    findingCards().forEach(function (c) {
      const was = touched ? shownAs(c) : null;
      const d = saved.decisions && saved.decisions[c.key];
      const ch = saved.choice && saved.choice[c.key];
      const cu = saved.custom && saved.custom[c.key];
      if (typeof cu === "string") state.custom[c.key] = cu;
      if (typeof ch === "number" && c.fixed.some(function (o) { return o.id === c.id + ":" + ch; })) state.choice[c.key] = c.id + ":" + ch;
      else if (typeof ch === "string" && (ch === "custom" ? typeof state.custom[c.key] === "string" : c.fixed.some(function (o) { return o.id === ch; }))) state.choice[c.key] = ch;
      if (d === "accepted" || d === "rejected") { state.decisions[c.key] = d; n += 1; }
      else if (replace && (d === "undecided")) { delete state.decisions[c.key]; n += 1; }
      if (touched && was !== shownAs(c)) touched.push(c);
    });
    const editKey = function (e) { return e.start + ":" + e.end + ":" + e.replacement; };
    const have = new Set(state.edits.map(editKey));
    (Array.isArray(saved.edits) ? saved.edits : []).forEach(function (e) {
      if (!validEdit(e) || have.has(editKey(e))) return;
      have.add(editKey(e));
      state.edits.push({ start: e.start, end: e.end, replacement: e.replacement,
        decision: e.decision === "rejected" ? "rejected" : "accepted" });
      n += 1;
    });
    return n;
  }

  function loadState() {
    let saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(storeKey) || "null"); } catch (e) { saved = null; }
    if (!saved || typeof saved !== "object") return;
    restore(saved, false);
    if (saved.view === "side") state.view = "side";
  }

  function saveState() {
    try { window.localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* storage off: still works */ }
  }

  // the options a card offers: its applicable fixes, and the editor's rewrite when there is one
  function options(c) {
    if (c.kind === "edit") return [c.option];
    const out = c.fixed.slice();
    if (typeof state.custom[c.key] === "string") {
      out.push({ id: "custom", custom: true, edits: [{ start: c.range[0], end: c.range[1], replacement: state.custom[c.key] }],
        applicability: "custom", label: state.custom[c.key], rules: ["you"] });
    }
    return out;
  }
  function isChange(c) { return options(c).length > 0; }
  function decision(c) {
    if (c.kind === "edit") return c.edit.decision;
    return state.decisions[c.key] || "undecided";
  }
  function chosen(c) {
    const opts = options(c);
    const want = c.kind === "edit" ? null : state.choice[c.key];
    return opts.filter(function (o) { return o.id === want; })[0] || opts[0];
  }

  function acceptedFixes() {
    // cards in finding order, then the editor's own edits in the order made: exactly the list
    // editor.review.review_fixes gives editor.fixes.apply_fixes for the exported review
    const out = [];
    cards.forEach(function (c) {
      if (isChange(c) && decision(c) === "accepted") out.push({ edits: chosen(c).edits, card: c });
    });
    return out;
  }

  function reviewed() { return applyFixes(text, acceptedFixes()); }

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

  function patchText() { return patchFor(text, data.bom, acceptedFixes(), data.path); }

  // for tests: the page's edit application, to hold it to editor/fixes.py on many inputs
  Object.defineProperty(window, "cleanupEdits", {
    value: Object.freeze({ applyFixes: applyFixes, patchFor: patchFor }),
  });

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
  const views = {}; // card id -> {inline, ref, card, side: {left, right, rref}}

  function customDiff(c, o) {
    // a word diff is computed in Python for the rule's fixes; the editor's own text shows whole
    const old = slice(c.range[0], c.range[1]);
    const r = o.edits[0].replacement;
    const ops = [];
    if (old) ops.push(["-", old]);
    if (r) ops.push(["+", r]);
    return ops;
  }

  function diffOps(c) {
    const o = chosen(c);
    if (!o) return [["=", slice(c.range[0], c.range[1])]];
    if (o.custom || c.kind === "edit") return customDiff(c, o);
    // a rule's fix: its word diff (from Python) covers its finding's range, the card's may be wider
    const f = findings[o.fid];
    const ops = [];
    if (f.range[0] > c.range[0]) ops.push(["=", slice(c.range[0], f.range[0])]);
    o.diff.forEach(function (x) { ops.push(x); });
    if (c.range[1] > f.range[1]) ops.push(["=", slice(f.range[1], c.range[1])]);
    return ops;
  }

  function diffNodes(c, side) {
    // side: "both" (inline), "old" or "new"
    const frag = document.createDocumentFragment();
    diffOps(c).forEach(function (op) {
      const kind = op[0], t = op[1];
      if (kind === "=") frag.append(t);
      else if (kind === "-" && side !== "new") frag.append(el("del", null, t));
      else if (kind === "+" && side !== "old") frag.append(el("ins", null, t));
    });
    return frag;
  }

  function refLabel(c) {
    const what = c.kind === "edit" ? "your edit " + c.edit.n : (isChange(c) ? "change " : "finding ") + (c.id + 1);
    if (!isChange(c)) return what + ", " + c.severity + ", no automatic fix";
    const st = skippedIds.has(c.id) ? "accepted but overlaps an earlier change" : STATE_TEXT[decision(c)];
    return what + ", " + c.severity + ", " + st;
  }

  function refText(c) {
    return (c.kind === "edit" ? "E" + c.edit.n : String(c.id + 1)) + (isChange(c) ? STATE[decision(c)] : "");
  }

  // the article, in source order; a card overlapping one already drawn is listed only
  let pieces = [];
  function layout() {
    const order = cards.slice().sort(function (x, y) {
      return (x.range[0] - y.range[0]) || ((x.kind === "edit") - (y.kind === "edit")) || (x.id - y.id);
    });
    const out = [];
    let pos = 0;
    let last = null;
    order.forEach(function (c) {
      c.hiddenBy = null;
      const s = c.range[0], e = c.range[1];
      if (s < pos || (last && s === pos && s === e && last.range[1] === pos && last.range[0] === pos)) {
        c.hiddenBy = last; return; // shown by the drawn card it overlaps
      }
      if (s > pos) out.push({ text: slice(pos, s), start: pos });
      out.push({ c: c });
      pos = e;
      last = c;
    });
    if (pos < END) out.push({ text: slice(pos, END), start: pos });
    return out;
  }

  function makeInline(c) {
    let node;
    const title = c.kind === "edit" ? "your edit" : c.lead.rule + ": " + c.lead.message;
    if (isChange(c)) {
      node = el("span", { class: "chg sev-" + c.severity, id: "c" + c.id, "data-id": c.id, "data-s": c.range[0], "data-e": c.range[1], title: title });
      node.append(diffNodes(c, "both"));
    } else {
      const t = slice(c.range[0], c.range[1]);
      node = el("mark", { class: "flag sev-" + c.severity, id: "c" + c.id, "data-id": c.id, "data-s": c.range[0], "data-e": c.range[1], title: title }, t || "‸");
    }
    const ref = el("sup", { class: "ref", "data-id": c.id, "aria-label": refLabel(c) }, refText(c));
    return [node, ref];
  }

  function buildInline() {
    pieces = layout();
    const frag = document.createDocumentFragment();
    pieces.forEach(function (p) {
      if (p.text !== undefined) { frag.append(el("span", { class: "t", "data-s": p.start }, p.text)); return; }
      const made = makeInline(p.c);
      views[p.c.id].inline = made[0];
      views[p.c.id].ref = made[1];
      frag.append(made[0], made[1]);
    });
    inlineView.replaceChildren(frag);
  }

  let sideBuilt = false;
  function fillSide(c) {
    const v = views[c.id].side;
    if (!v) return;
    const orig = slice(c.range[0], c.range[1]);
    v.left.replaceChildren(isChange(c) ? diffNodes(c, "old") : (orig || "‸"));
    if (!isChange(c)) v.right.replaceChildren(orig || "‸");
    else if (decision(c) === "rejected") v.right.replaceChildren(orig);
    else v.right.replaceChildren(diffNodes(c, "new"));
    v.rref.textContent = refText(c);
    v.rref.setAttribute("aria-label", refLabel(c));
  }

  function buildSide() {
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
      const c = p.c;
      const cls = (isChange(c) ? "chg" : "flag") + " sev-" + c.severity;
      const l = el(isChange(c) ? "span" : "mark", { class: cls, "data-id": c.id });
      const r = el(isChange(c) ? "span" : "mark", { class: cls, "data-id": c.id });
      const rref = el("sup", { class: "ref", "data-id": c.id });
      left.append(l, el("sup", { class: "ref", "data-id": c.id, "aria-hidden": "true" }, c.kind === "edit" ? "E" + c.edit.n : String(c.id + 1)));
      right.append(r, rref);
      views[c.id].side = { left: l, right: r, rref: rref };
      fillSide(c);
      paint(c);
    });
    tbl.append(body);
    sideView.replaceChildren(tbl);
  }

  function redrawArticle() {
    cards.forEach(function (c) { if (views[c.id]) { views[c.id].inline = null; views[c.id].ref = null; views[c.id].side = null; } });
    buildInline();
    if (sideBuilt || state.view === "side") buildSide();
    cards.forEach(function (c) { paint(c); overlapNote(c); });
    applyFilters();
    if (current) setCurrent(current);
  }

  function safetyTag(level) {
    const label = level === "safe" ? "safe" : level === "unsafe" ? "unsafe: review" : level === "custom" ? "your text" : "display only";
    return el("span", { class: "safety " + level }, label);
  }

  function altText(o) { return o.label === "" ? "(delete)" : o.label; }

  function radioId(c, o) {
    if (o.custom) return "alt-" + c.id + "-custom";
    return o.fid === c.id ? "alt-" + c.id + "-" + o.k : "alt-" + c.id + "-" + o.fid + "-" + o.k;
  }

  function fillChoices(c) {
    // the alternatives of a card (radio buttons when there are several), redrawn when a rewrite is saved
    const v = views[c.id];
    const box = v.choices;
    box.replaceChildren();
    v.radios = [];
    const opts = options(c);
    const many = c.members.length > 1;
    const by = function (o) { return many && !o.custom ? el("small", { class: "by" }, " (" + o.rules.join(", ") + ")") : null; };
    if (opts.length > 1) {
      const fs = el("fieldset", { class: "alts" }, el("legend", { text: "Choose a suggestion (" + opts.length + " alternatives)" }));
      opts.forEach(function (o, n) {
        const id = radioId(c, o);
        const input = el("input", { type: "radio", name: "alt-" + c.id, value: o.id, id: id });
        input.addEventListener("change", function () { chooseAlt(c, o.id); });
        v.radios.push(input);
        fs.append(el("label", { for: id }, input, " " + (n + 1) + ". ", el("span", { class: "alt-text" }, altText(o)),
          safetyTag(o.applicability), by(o)));
      });
      box.append(fs);
    } else if (opts.length === 1) {
      box.append(el("p", { class: "alts" }, c.kind === "edit" ? "Your text: " : "Suggestion: ",
        el("span", { class: "alt-text" }, altText(opts[0])), safetyTag(opts[0].applicability), by(opts[0])));
    }
    if (c.shown.length) {
      const p = el("p", { class: "alts" }, "To do by hand: ");
      c.shown.forEach(function (o, n) {
        if (n) p.append("; ");
        p.append(el("span", { class: "alt-text" }, altText(o)), safetyTag(o.applicability), by(o));
      });
      box.append(p);
    }
  }

  function rewriteBox(c) {
    // "Your rewrite": the editor's own text for the card's range, an alternative like the others.
    // Its text area is made when the box is first opened: thousands of them made every card
    // (and an imported review of thousands of edits) slow to draw.
    const d = el("details", { class: "rewrite" }, el("summary", { text: c.kind === "edit" ? "Change your text" : "Write your own" }));
    d.addEventListener("toggle", function () { if (d.open) fillRewrite(c, d); });
    return d;
  }

  function fillRewrite(c, d) {
    if (d.querySelector("textarea")) return;
    const id = "rw-" + c.id;
    const current = c.kind === "edit" ? c.edit.replacement :
      (typeof state.custom[c.key] === "string" ? state.custom[c.key] : slice(c.range[0], c.range[1]));
    const area = el("textarea", { id: id, rows: 3, "aria-label": "Your text in place of the flagged passage" });
    area.value = current;
    const save = el("button", { type: "button", class: "save-rewrite" }, "Use my text");
    save.addEventListener("click", function () { saveRewrite(c, area.value); });
    const actions = el("div", { class: "actions" }, save);
    if (c.kind === "finding") {
      const drop = el("button", { type: "button", class: "drop-rewrite" }, "Remove my text");
      drop.addEventListener("click", function () { dropRewrite(c); });
      actions.append(drop);
    } else {
      const del = el("button", { type: "button", class: "delete-edit" }, "Delete this edit");
      del.addEventListener("click", function () { deleteEdit(c); });
      actions.append(del);
    }
    d.append(el("label", { for: id, class: "visually-hidden" }, "Your text"), area, actions);
  }

  function buildCard(c) {
    const f = c.lead;
    const li = el("li", { id: "f" + c.id, class: "card sev-" + c.severity, tabindex: "-1", "data-id": c.id,
      "aria-labelledby": "fh" + c.id });
    const line = c.kind === "edit" ? c.edit.line : f.line, col = c.kind === "edit" ? c.edit.column : f.column;
    const where = "line " + line + ", column " + col;
    const stateEl = el("span", { class: "state", "aria-live": "off" });
    const num = el("span", { class: "num" });
    if (c.kind === "edit") {
      li.append(el("div", { class: "card-head", id: "fh" + c.id }, num,
        el("span", { class: "meta" }, "your edit · " + where), stateEl));
      li.append(el("p", { class: "flagged" }, "Replaces: ", el("q", null, slice(c.range[0], c.range[1]) || "(an insertion point)")));
    } else {
      li.append(el("div", { class: "card-head", id: "fh" + c.id }, num,
        el("span", { class: "sev sev-" + c.severity }, el("span", { class: "sym", "aria-hidden": "true" }, SEV[c.severity] || "•"), " " + c.severity),
        el("strong", null, f.rule), f.name ? el("span", null, f.name) : null,
        el("span", { class: "meta" }, f.category + " · " + where + " · engine: " + c.engines.join(", ") +
          (c.confidence !== null ? " · confidence " + c.confidence.toFixed(2) : "")),
        stateEl));
      li.append(el("p", { class: "msg" }, f.message));
      c.members.slice(1).forEach(function (m) {
        li.append(el("p", { class: "msg also" }, "Also ", el("strong", null, m.rule), " (" + m.severity + ", " + m.engines.join(", ") + "): " + m.message));
      });
      li.append(el("p", { class: "flagged" }, "Flagged: ", el("q", null, f.text || "(an insertion point)")));
    }
    const choices = el("div", { class: "choices" });
    const note = el("p", { class: "note skip-note", hidden: true });
    const overlap = el("p", { class: "note overlap-note", hidden: true });
    const accept = el("button", { type: "button", class: "accept", "aria-pressed": "false", "aria-keyshortcuts": "a" }, "✓ Accept");
    const reject = el("button", { type: "button", class: "reject", "aria-pressed": "false", "aria-keyshortcuts": "r" }, "✗ Reject");
    accept.addEventListener("click", function () { select(c, false); decide(c, decision(c) === "accepted" ? "undecided" : "accepted"); });
    reject.addEventListener("click", function () { select(c, false); decide(c, decision(c) === "rejected" ? "undecided" : "rejected"); });
    const show = el("button", { type: "button", class: "show" }, "Show in article");
    show.addEventListener("click", function () { select(c, true); });
    const actions = el("div", { class: "actions" }, accept, reject, show);
    li.append(choices, note, actions, rewriteBox(c), overlap);
    const docs = c.kind === "finding" ? data.docs[f.rule] : null;
    if (docs) {
      const d = el("details", { class: "docs" }, el("summary", { text: "Why" }));
      if (docs.what) d.append(el("p", null, docs.what));
      if (docs.why) d.append(el("p", null, docs.why));
      if (docs.fix) d.append(el("p", null, "Fix: " + docs.fix));
      li.append(d);
    }
    li.addEventListener("focusin", function () { setCurrent(c); });
    views[c.id] = { card: li, state: stateEl, num: num, accept: accept, reject: reject, note: note, overlap: overlap,
      choices: choices, radios: [] };
    fillChoices(c);
    return li;
  }

  function overlapNote(c) {
    const v = views[c.id];
    v.overlap.hidden = !c.hiddenBy;
    v.overlap.textContent = c.hiddenBy ? "Overlaps " + (c.hiddenBy.kind === "edit" ? "your edit " + c.hiddenBy.edit.n : "finding " + (c.hiddenBy.id + 1)) + " in the article, which is drawn there instead." : "";
  }

  // ------------------------------------------------------------------------------------------
  // Painting one card's state everywhere it shows

  function paint(c) {
    const v = views[c.id];
    const change = isChange(c);
    const d = change ? decision(c) : null;
    const skipped = skippedIds.has(c.id);
    const cls = function (node) {
      if (!node) return;
      ["st-accepted", "st-rejected", "st-undecided", "st-skipped"].forEach(function (k) { node.classList.remove(k); });
      if (d) node.classList.add("st-" + d);
      if (skipped) node.classList.add("st-skipped");
    };
    [v.card, v.inline, v.ref].forEach(cls);
    if (v.side) { cls(v.side.left); cls(v.side.right); cls(v.side.rref); }
    if (v.ref) { v.ref.textContent = refText(c); v.ref.setAttribute("aria-label", refLabel(c)); }
    v.num.textContent = c.kind === "edit" ? "Your edit " + c.edit.n : (change ? "Change " : "Finding ") + (c.id + 1);
    v.accept.hidden = !change;
    v.reject.hidden = !change;
    if (change) {
      v.state.textContent = STATE[d] + " " + STATE_TEXT[d];
      v.state.className = "state st-" + d;
      v.accept.setAttribute("aria-pressed", String(d === "accepted"));
      v.reject.setAttribute("aria-pressed", String(d === "rejected"));
      const o = chosen(c);
      v.radios.forEach(function (r) { r.checked = r.value === o.id; });
      v.note.hidden = !skipped;
      v.note.textContent = skipped ? "⚠ Accepted, but it overlaps an accepted change earlier in the text: it will not be applied. Reject one of them." : "";
    } else {
      v.state.textContent = "no automatic fix";
      v.state.className = "state";
      v.note.hidden = true;
    }
    v.card.setAttribute("data-state", d || "none");
  }

  function repaintChange(c) {
    const v = views[c.id];
    if (v.inline) {
      const made = makeInline(c);
      v.inline.replaceWith(made[0]);
      v.inline = made[0];
      if (current === c || (current && current.hiddenBy === c)) v.inline.classList.add("current");
    }
    if (v.side) fillSide(c);
    paint(c);
  }

  function refreshSkipped() {
    const pick = chooseFixes(acceptedFixes());
    const now = new Set(pick.skipped.map(function (x) { return x.card.id; }));
    const changed = [];
    cards.forEach(function (c) { if (now.has(c.id) !== skippedIds.has(c.id)) changed.push(c); });
    skippedIds = now;
    changed.forEach(paint);
  }

  function counts() {
    let acc = 0, rej = 0, und = 0, marks = 0, n = 0;
    cards.forEach(function (c) {
      if (!isChange(c)) { marks += 1; return; }
      n += 1;
      const d = decision(c);
      if (d === "accepted") acc += 1; else if (d === "rejected") rej += 1; else und += 1;
    });
    let s = n + " change" + (n === 1 ? "" : "s") + ": " + acc + " accepted, " + rej + " rejected, " + und + " to review.";
    if (skippedIds.size) s += " " + skippedIds.size + " accepted change" + (skippedIds.size === 1 ? " overlaps" : "s overlap") + " an earlier one and will not be applied.";
    if (marks) s += " " + marks + " finding" + (marks === 1 ? "" : "s") + " without an automatic fix.";
    statusEl.textContent = s;
    statusEl.dataset.accepted = acc;
    statusEl.dataset.rejected = rej;
    statusEl.dataset.undecided = und;
  }

  function setDecision(c, d) {
    if (c.kind === "edit") { c.edit.decision = d === "rejected" ? "rejected" : "accepted"; return; }
    if (d === "undecided") delete state.decisions[c.key]; else state.decisions[c.key] = d;
  }

  function decide(c, d) {
    if (!isChange(c)) { flash("Finding " + (c.id + 1) + " has no automatic fix: write your own text for it."); return; }
    if (c.kind === "edit" && d === "undecided") d = "accepted"; // your own edit is accepted or rejected
    setDecision(c, d);
    saveState();
    paint(c);
    if (views[c.id].side) fillSide(c);
    refreshSkipped();
    applyFilters();
    counts();
  }

  function chooseAlt(c, oid) {
    if (!options(c).some(function (o) { return o.id === oid; })) return;
    state.choice[c.key] = oid;
    saveState();
    repaintChange(c);
    refreshSkipped();
    counts();
  }

  function saveRewrite(c, value) {
    if (c.kind === "edit") {
      c.edit.replacement = value;
      c.option.edits = [{ start: c.edit.start, end: c.edit.end, replacement: value }];
      c.option.label = value;
    } else {
      state.custom[c.key] = value;
      state.choice[c.key] = "custom";
      state.decisions[c.key] = "accepted";
    }
    saveState();
    fillChoices(c);
    const wasMark = views[c.id].inline && views[c.id].inline.tagName === "MARK";
    if (wasMark) redrawArticle(); else repaintChange(c);
    refreshSkipped();
    applyFilters();
    counts();
    flash("Your text is used for " + (c.kind === "edit" ? "your edit " + c.edit.n : "finding " + (c.id + 1)) + " (accepted).");
  }

  function dropRewrite(c) {
    if (typeof state.custom[c.key] !== "string") return;
    delete state.custom[c.key];
    if (state.choice[c.key] === "custom") delete state.choice[c.key];
    if (!c.fixed.length) delete state.decisions[c.key];
    saveState();
    fillChoices(c);
    if (!isChange(c)) redrawArticle(); else repaintChange(c);
    refreshSkipped();
    applyFilters();
    counts();
  }

  // ------------------------------------------------------------------------------------------
  // Your own edits of any text you select in the article

  let lineStarts = null; // code-point offsets where each line starts, built once
  function lineColumn(cp) {
    if (!lineStarts) {
      lineStarts = [0];
      for (let k = 0; k < END; k++) if (text.charCodeAt(table[k]) === 10) lineStarts.push(k + 1);
    }
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid] <= cp) lo = mid; else hi = mid - 1; }
    return [lo + 1, cp - lineStarts[lo] + 1];
  }

  function editCard(e) {
    const lc = lineColumn(e.start);
    e.line = lc[0]; e.column = lc[1];
    const c = { id: "e" + e.n, kind: "edit", edit: e, key: "edit:" + e.n, members: [], fixed: [], shown: [],
      range: [e.start, e.end], severity: "info", rules: ["edit"], category: "your edits", engines: ["you"] };
    c.option = { id: "edit", edits: [{ start: e.start, end: e.end, replacement: e.replacement }], applicability: "custom",
      label: e.replacement, rules: ["you"] };
    return c;
  }

  function addEdit(e, isNew, into) {
    // one of state.edits (isNew: not yet) as a card, appended to the list (or to the fragment `into`)
    e.n = nextEdit++;
    if (isNew === true) state.edits.push(e);
    const c = editCard(e);
    cards.push(c);
    (into || list).append(buildCard(c));
    return c;
  }

  function addEdits(edits) { // many at once: one fragment, one insertion into the page
    const frag = document.createDocumentFragment();
    edits.forEach(function (e) { addEdit(e, false, frag); });
    list.append(frag);
  }

  function deleteEdit(c) {
    state.edits.splice(state.edits.indexOf(c.edit), 1);
    cards.splice(cards.indexOf(c), 1);
    views[c.id].card.remove();
    delete views[c.id];
    if (current === c) current = null;
    saveState();
    redrawArticle();
    refreshSkipped();
    counts();
  }

  function cpOffset(node, offset) {
    // a DOM position in the inline view -> a code-point offset into the article (null outside it)
    let n = node.nodeType === 3 ? node.parentNode : node;
    let k = node.nodeType === 3 ? offset : 0;
    if (node.nodeType !== 3 && node.childNodes.length) {
      // a position between children: the start of the child after it, or the end of the last
      const child = node.childNodes[Math.min(offset, node.childNodes.length - 1)];
      if (offset >= node.childNodes.length) return endOf(child);
      return startOf(child);
    }
    while (n && n !== inlineView) {
      if (n.classList && n.classList.contains("t")) {
        return Number(n.getAttribute("data-s")) + Array.from(n.textContent.slice(0, k)).length;
      }
      if (n.hasAttribute && n.hasAttribute("data-s")) return null; // inside a change: snapped by the caller
      n = n.parentNode;
    }
    return null;
  }
  function host(node) {
    let n = node.nodeType === 3 ? node.parentNode : node;
    while (n && n !== inlineView) {
      if (n.hasAttribute && n.hasAttribute("data-s")) return n;
      n = n.parentNode;
    }
    return null;
  }
  function startOf(node) {
    const h = host(node) || (node.querySelector && node.querySelector("[data-s]"));
    if (!h) return null;
    return h.classList.contains("t") ? Number(h.getAttribute("data-s")) : Number(h.getAttribute("data-s"));
  }
  function endOf(node) {
    const h = host(node);
    if (!h) return null;
    return h.classList.contains("t") ? Number(h.getAttribute("data-s")) + Array.from(h.textContent).length : Number(h.getAttribute("data-e"));
  }

  function selectionRange() {
    // the selected article text as [start, end): a selection that starts or ends inside a
    // change grows to take the whole change (its text is not the article's)
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const r = sel.getRangeAt(0);
    if (!inlineView.contains(r.startContainer) || !inlineView.contains(r.endContainer)) return null;
    let s = cpOffset(r.startContainer, r.startOffset);
    let e = cpOffset(r.endContainer, r.endOffset);
    const hs = host(r.startContainer), he = host(r.endContainer);
    if (s === null && hs && !hs.classList.contains("t")) s = Number(hs.getAttribute("data-s"));
    if (e === null && he && !he.classList.contains("t")) e = Number(he.getAttribute("data-e"));
    if (s === null || e === null || e < s) return null;
    return [s, e];
  }

  function editSelection() {
    const rng = selectionRange();
    const box = $("edit-selection-box");
    if (!rng) { flash("Select some text in the article (inline view) first."); return; }
    box.hidden = false;
    box.dataset.s = rng[0];
    box.dataset.e = rng[1];
    $("edit-selection-quote").textContent = slice(rng[0], rng[1]);
    const area = $("edit-selection-text");
    area.value = slice(rng[0], rng[1]);
    area.focus();
  }

  function saveSelectionEdit() {
    const box = $("edit-selection-box");
    const e = { start: Number(box.dataset.s), end: Number(box.dataset.e), replacement: $("edit-selection-text").value, decision: "accepted" };
    box.hidden = true;
    if (!validEdit(e)) return;
    const c = addEdit(e, true);
    saveState();
    redrawArticle();
    refreshSkipped();
    counts();
    select(c, true);
    flash("Your edit " + e.n + " is accepted.");
  }

  // ------------------------------------------------------------------------------------------
  // Filters: category, severity, engine, review state

  const filters = {};
  function buildFilters() {
    const groups = [
      ["category", "Category", function (c) { return [c.category]; }],
      ["severity", "Severity", function (c) { return [c.severity]; }],
      ["engine", "Engine", function (c) { return c.engines; }],
      ["status", "Review", function (c) { return [isChange(c) ? decision(c) : "none"]; }],
    ];
    if (findingCards().some(function (c) { return c.confidence !== null; })) {
      groups.splice(3, 0, ["confidence", "Confidence", function (c) { return [confidenceBand(c)]; }]);
    }
    const host = $("filter-groups");
    groups.forEach(function (g) {
      const name = g[0], values = {};
      findingCards().forEach(function (c) { g[2](c).forEach(function (v) { values[v] = (values[v] || 0) + 1; }); });
      let keys = Object.keys(values).sort();
      if (name === "severity") keys = ["error", "warning", "info"].filter(function (k) { return values[k]; });
      if (name === "status") keys = ["undecided", "accepted", "rejected", "none"];
      if (name === "confidence") keys = ["high", "medium", "low", "none"].filter(function (k) { return values[k]; });
      filters[name] = { get: g[2], on: {} };
      const fs = el("fieldset", null, el("legend", { text: g[1] }));
      keys.forEach(function (k) {
        filters[name].on[k] = true;
        const id = "filter-" + name + "-" + k.replace(/[^A-Za-z0-9_-]/g, "_");
        const box = el("input", { type: "checkbox", id: id, checked: true, "data-filter": name, "data-value": k });
        box.addEventListener("change", function () { filters[name].on[k] = box.checked; applyFilters(); });
        const label = name === "status" ? { undecided: "to review", accepted: "accepted", rejected: "rejected", none: "no automatic fix" }[k]
          : name === "confidence" ? CONFIDENCE_BANDS[k] : k;
        fs.append(el("label", { for: id }, box, " " + label + (name === "status" ? "" : " (" + values[k] + ")")));
      });
      host.append(fs);
    });
  }

  // the learned detector's confidence in bands (error needs 0.85, editor/backends/detector.py)
  const CONFIDENCE_BANDS = { high: "0.85 and above", medium: "0.50 to 0.85", low: "under 0.50", none: "no confidence (rules only)" };
  function confidenceBand(c) {
    if (c.confidence === null) return "none";
    return c.confidence >= 0.85 ? "high" : c.confidence >= 0.5 ? "medium" : "low";
  }

  function visible(c) {
    if (c.kind === "edit") return true; // your own edits always show
    return Object.keys(filters).every(function (name) {
      const fl = filters[name];
      return fl.get(c).some(function (v) { return fl.on[v] !== false; });
    });
  }

  function applyFilters() {
    let shown = 0;
    cards.forEach(function (c) {
      const vis = visible(c);
      const v = views[c.id];
      if (vis) shown += 1;
      v.card.hidden = !vis;
      [v.inline, v.side && v.side.left, v.side && v.side.right].forEach(function (n) { if (n) n.classList.toggle("muted", !vis); });
    });
    $("filter-summary").textContent = shown === cards.length ? "(showing all)" : "(showing " + shown + " of " + cards.length + ")";
    $("no-findings").hidden = shown > 0;
    if (!cards.length) $("no-findings").textContent = "No findings.";
    else if (!shown) $("no-findings").textContent = "No finding matches the filters.";
  }

  // ------------------------------------------------------------------------------------------
  // Navigation and keyboard

  let current = null;
  function marked(c) { // the card, and where the card shows in the article
    const v = views[c.id];
    const shown = c.hiddenBy && views[c.hiddenBy.id] ? views[c.hiddenBy.id] : v;
    return [v.card, shown.inline, shown.side && shown.side.right];
  }

  function setCurrent(c) {
    document.querySelectorAll(".current").forEach(function (n) { n.classList.remove("current"); });
    current = c;
    marked(c).forEach(function (n) { if (n) n.classList.add("current"); });
    document.documentElement.dataset.current = String(c.id);
  }

  function select(c, focusCard) {
    setCurrent(c);
    const v = views[c.id];
    const pane = $("findings");
    if (pane.scrollHeight > pane.clientHeight + 1) {
      const top = v.card.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
      pane.scrollTop = Math.max(0, top - 40);
    }
    const m = marked(c);
    const anchor = state.view === "side" ? m[2] : m[1];
    if (anchor && anchor.scrollIntoView) anchor.scrollIntoView({ block: "center" });
    if (focusCard) v.card.focus({ preventScroll: true });
  }

  let sortOrder = "article"; // or "confidence": the highest first, findings without one last
  function ordered() { // the list's order: findings by id (or by confidence), then your edits
    const byConfidence = function (c) { return c.confidence === null ? -1 : c.confidence; };
    return cards.filter(function (c) { return c.kind === "finding"; }).sort(function (x, y) {
      return (sortOrder === "confidence" ? byConfidence(y) - byConfidence(x) : 0) || x.id - y.id;
    }).concat(cards.filter(function (c) { return c.kind === "edit"; }));
  }

  function sortList(order) {
    sortOrder = order;
    const frag = document.createDocumentFragment();
    ordered().forEach(function (c) { frag.append(views[c.id].card); });
    list.append(frag);
  }

  function step(dir) {
    const all = ordered();
    const shown = all.filter(visible);
    if (!shown.length) { flash("No finding matches the filters."); return; }
    let i = current ? shown.indexOf(current) : -1;
    if (i < 0 && current) { // current is filtered out: continue from its place
      const at = all.indexOf(current);
      const before = shown.filter(function (c) { return all.indexOf(c) < at; }).length;
      i = dir > 0 ? before - 1 : before;
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
      if (current && isChange(current)) {
        const n = Number(k) - 1;
        const opts = options(current);
        if (n < opts.length) chooseAlt(current, opts[n].id);
      }
    } else if (k === "e") editSelection();
    else if (k === "w") {
      if (!current) return;
      const d = views[current.id].card.querySelector("details.rewrite");
      d.open = true;
      fillRewrite(current, d);
      d.querySelector("textarea").focus();
    } else if (k === "s") setView(state.view === "side" ? "inline" : "side");
    else if (k === "?") { const d = document.querySelector("details.keys"); d.open = !d.open; }
    else return;
    e.preventDefault();
  }

  function setView(v) {
    state.view = v;
    saveState();
    if (v === "side" && !sideBuilt) buildSide();
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

  // ------------------------------------------------------------------------------------------
  // Accepting many at once: every safe change, or every change of one rule or one category

  function acceptWhere(test, what) {
    let n = 0;
    cards.forEach(function (c) {
      if (c.kind === "finding" && isChange(c) && visible(c) && decision(c) === "undecided" && test(c)) {
        state.decisions[c.key] = "accepted";
        n += 1;
      }
    });
    saveState();
    cards.forEach(function (c) { paint(c); if (views[c.id].side) fillSide(c); });
    refreshSkipped();
    applyFilters();
    counts();
    flash(n ? "Accepted " + n + " " + what + " change" + (n === 1 ? "" : "s") + "." : "No undecided " + what + " change to accept.");
    return n;
  }

  function acceptAllSafe() {
    acceptWhere(function (c) { return chosen(c).applicability === "safe"; }, "safe");
  }

  function buildBulk() {
    const pick = $("accept-scope");
    const rules = {}, cats = {};
    findingCards().forEach(function (c) {
      if (!isChange(c)) return;
      c.rules.forEach(function (r) { rules[r] = (rules[r] || 0) + 1; });
      cats[c.category] = (cats[c.category] || 0) + 1;
    });
    const og1 = el("optgroup", { label: "Rule" });
    Object.keys(rules).sort().forEach(function (r) {
      og1.append(el("option", { value: "rule:" + r }, r + " (" + rules[r] + ")"));
    });
    const og2 = el("optgroup", { label: "Category" });
    Object.keys(cats).sort().forEach(function (k) {
      og2.append(el("option", { value: "category:" + k }, k + " (" + cats[k] + ")"));
    });
    pick.append(og1, og2);
    const none = !Object.keys(rules).length;
    pick.disabled = none;
    $("accept-scope-go").disabled = none;
    $("accept-scope-go").addEventListener("click", function () {
      const v = pick.value;
      const i = v.indexOf(":");
      const kind = v.slice(0, i), name = v.slice(i + 1);
      if (kind === "rule") acceptWhere(function (c) { return c.rules.indexOf(name) >= 0; }, name);
      else if (kind === "category") acceptWhere(function (c) { return c.category === name; }, name);
    });
  }

  // ------------------------------------------------------------------------------------------
  // Export and import of the review (JSON), so that two editors can share one

  function exportReview() {
    const out = { format: "cleanup-review", version: 1, tool: data.tool, path: data.path, hash: data.hash,
      decisions: [], edits: [] };
    findingCards().forEach(function (c) {
      const d = isChange(c) ? decision(c) : "undecided";
      const cu = state.custom[c.key];
      if (d === "undecided" && typeof cu !== "string" && state.choice[c.key] === undefined) return;
      const o = isChange(c) ? chosen(c) : null;
      const item = { key: c.key, id: c.id, rule: c.lead.rule, start: c.lead.start, end: c.lead.end,
        text: slice(c.lead.start, c.lead.end), decision: d };
      if (o && o.custom) item.choice = "custom";
      else if (o) { item.choice = { id: o.fid, rule: findings[o.fid].rule, fix: o.k }; }
      if (typeof cu === "string") item.custom = { start: c.range[0], end: c.range[1], replacement: cu };
      out.decisions.push(item);
    });
    state.edits.forEach(function (e) {
      out.edits.push({ start: e.start, end: e.end, text: slice(e.start, e.end), replacement: e.replacement, decision: e.decision });
    });
    download(data.name + ".review.json", JSON.stringify(out, null, 2) + "\n", "application/json;charset=utf-8");
    flash("Exported " + out.decisions.length + " decision" + (out.decisions.length === 1 ? "" : "s") + " and " +
      out.edits.length + " edit" + (out.edits.length === 1 ? "" : "s") + " to " + data.name + ".review.json.");
  }

  function fromExport(doc) {
    // the exported shape back into the saved-state shape restore() reads
    const saved = { decisions: {}, choice: {}, custom: {}, edits: [] };
    (Array.isArray(doc.decisions) ? doc.decisions : []).forEach(function (d) {
      if (!d || typeof d.key !== "string") return;
      saved.decisions[d.key] = d.decision;
      if (d.custom && typeof d.custom.replacement === "string") saved.custom[d.key] = d.custom.replacement;
      if (d.choice === "custom") saved.choice[d.key] = "custom";
      else if (d.choice && typeof d.choice.id === "number" && typeof d.choice.fix === "number") saved.choice[d.key] = d.choice.id + ":" + d.choice.fix;
    });
    saved.edits = Array.isArray(doc.edits) ? doc.edits : [];
    return saved;
  }

  function importReview(file) {
    const reader = new FileReader();
    reader.onload = function () {
      let doc = null;
      try { doc = JSON.parse(String(reader.result)); } catch (e) { doc = null; }
      if (!doc || doc.format !== "cleanup-review") { flash("Not a cleanup review file: nothing imported."); return; }
      if (doc.hash !== data.hash) {
        flash("That review is of another version of this article (its text differs): nothing imported.");
        return;
      }
      const before = state.edits.length;
      const touched = [];
      const n = restore(fromExport(doc), true, touched);
      const added = state.edits.slice(before);
      addEdits(added);
      saveState();
      // the choices of the cards whose option or own text changed, then the article drawn afresh
      // in one piece (faster in Chromium than restyling thousands of its marks one by one)
      touched.forEach(fillChoices);
      redrawArticle();
      refreshSkipped();
      counts();
      flash("Imported " + n + " decision" + (n === 1 ? "" : "s") + " from " + file.name + ".");
    };
    reader.readAsText(file);
  }

  // ------------------------------------------------------------------------------------------
  // Start

  let flashTimer = null;
  function flash(msg) {
    counts();
    statusEl.textContent = statusEl.textContent + " " + msg;
    clearTimeout(flashTimer);
    flashTimer = setTimeout(counts, 4000);
  }

  function start() {
    loadState();
    const frag = document.createDocumentFragment();
    cards.forEach(function (c) { frag.append(buildCard(c)); });
    list.append(frag);
    addEdits(state.edits.slice());
    buildInline();
    buildFilters();
    buildBulk();
    skippedIds = new Set(chooseFixes(acceptedFixes()).skipped.map(function (x) { return x.card.id; }));
    cards.forEach(function (c) { paint(c); overlapNote(c); });
    const pick = function (ev) {
      const t = ev.target.closest ? ev.target.closest("[data-id]") : null;
      if (!t || t.classList.contains("card")) return;
      const id = t.getAttribute("data-id");
      const c = cards.filter(function (x) { return String(x.id) === id; })[0];
      if (c && window.getSelection().isCollapsed) select(c, true);
    };
    inlineView.addEventListener("click", pick);
    sideView.addEventListener("click", pick);
    $("accept-safe").addEventListener("click", acceptAllSafe);
    $("download-article").addEventListener("click", downloadArticle);
    $("download-patch").addEventListener("click", downloadPatch);
    $("export-review").addEventListener("click", exportReview);
    $("import-review").addEventListener("change", function (ev) {
      const f = ev.target.files && ev.target.files[0];
      if (f) importReview(f);
      ev.target.value = "";
    });
    $("edit-selection").addEventListener("click", editSelection);
    $("edit-selection-save").addEventListener("click", saveSelectionEdit);
    $("edit-selection-cancel").addEventListener("click", function () { $("edit-selection-box").hidden = true; });
    $("view-inline").addEventListener("click", function () { setView("inline"); });
    $("view-side").addEventListener("click", function () { setView("side"); });
    [["article", "article order"], ["confidence", "confidence, highest first"]].forEach(function (o) {
      $("sort-order").append(el("option", { value: o[0] }, o[1]));
    });
    $("sort-order").addEventListener("change", function (ev) { sortList(ev.target.value); });
    $("sort-label").hidden = !findingCards().some(function (c) { return c.confidence !== null; });
    $("accept-safe").disabled = !findingCards().some(function (c) { return c.fixed.length && c.fixed[0].applicability === "safe"; });
    $("toolbar").hidden = false;
    document.addEventListener("keydown", onKey);
    setView(state.view);
    counts();
    document.documentElement.dataset.ready = "true";
    if (window.performance && performance.mark) performance.mark("cleanup-ready");
  }

  start();
})();
