"""The language server (``cleanup server --stdio``), built on pygls.

- Diagnostics for Markdown and plain-text documents when they are opened, changed (debounced:
  a check starts once typing pauses) and saved; results for an older version of a document are
  never published.
- Code actions: one quick fix per suggested fix (its safety in the title: safe, or unsafe to
  review; display-only fixes are not offered), and "fix all safe" (kind ``source.fixAll.cleanup``,
  also in the quick-fix menu next to a safely fixable finding).
- Hover on a finding: the message, what the rule flags, why, how safe its fix is, the suggestions.
- Configuration: the nearest ``.cleanup.toml``/``cleanup.toml``/``pyproject.toml`` with
  ``[tool.cleanup]`` to each document (as ``cleanup check``), read again when it changes; open
  documents are checked again when a configuration file is saved or changes on disk.
  ``exclude`` patterns apply: an excluded document gets no diagnostics.
- Positions: UTF-16 code units (LSP's default) unless the client offers UTF-8 or UTF-32.

Checks run one at a time in a worker process (editor/lsp/checks.py), started with the server and
loading the spaCy model once, so the server keeps answering (hover, code actions) while a long
document is checked, and a native crash in an engine is one error message, not a dead server: the
worker is replaced and the next edit is checked. ``--in-process`` checks in a thread of the server.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types as lsp
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from editor import __version__
from editor.config import CONFIG_NAMES
from editor.document import ARTICLE_SUFFIXES, MARKDOWN_SUFFIXES
from editor.findings import Applicability, Finding
from editor.lsp.checks import (
    CheckFailed,
    CheckStopped,
    IsolatedChecks,
    check_for_editor,
)
from editor.lsp.positions import PositionMap, apply_change
from editor.lsp.transport import CleanupProtocol, FrameReader, serve
from editor.session import Session

log = logging.getLogger("cleanup.lsp")

FIX_ALL_KIND = "source.fixAll.cleanup"
MARKDOWN_IDS = {"markdown", "md", "mdx"}
TEXT_IDS = {"plaintext", "text", "txt"}
SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning,
            "info": lsp.DiagnosticSeverity.Information}
ENCODING = {lsp.PositionEncodingKind.Utf16: "utf-16", lsp.PositionEncodingKind.Utf8: "utf-8",
            lsp.PositionEncodingKind.Utf32: "utf-32"}


@dataclass
class OpenDocument:
    uri: str
    text: str
    version: int | None
    language_id: str
    path: str | None  # on disk, for file: URIs
    checked: "Checked | None" = None
    pending: asyncio.Task | None = None
    generation: int = 0  # bumped on every change: a check of an older text is dropped


@dataclass
class Checked:
    version: int | None
    text: str
    findings: list[Finding] = field(default_factory=list)
    _positions: PositionMap | None = field(default=None, repr=False, compare=False)

    def positions(self, encoding: str) -> PositionMap:
        """The text's position map (built once: publishing, hovers and code actions share it)."""
        if self._positions is None or self._positions.encoding != encoding:
            self._positions = PositionMap(self.text, encoding)
        return self._positions


def fmt_of(language_id: str, path: str | None) -> str | None:
    """'md', 'txt', or None for a document we do not check."""
    lid = (language_id or "").lower()
    if lid in MARKDOWN_IDS:
        return "md"
    if lid in TEXT_IDS:
        return "txt"
    if path and path.lower().endswith(ARTICLE_SUFFIXES):
        return "md" if path.lower().endswith(MARKDOWN_SUFFIXES) else "txt"
    return None


class CleanupServer(LanguageServer):
    def __init__(self, session: Session | None = None, debounce: float = 0.3, in_process: bool = False,
                 check_timeout: float = 120.0, **session_options):
        """Checks run in a worker process (started by ``start_io``) unless ``in_process`` or a
        ``session`` is given: then in a thread of this process, with that session."""
        super().__init__("cleanup", __version__, protocol_cls=CleanupProtocol)
        # in a worker process, this session only holds what the worker's needs (root, select, ignore)
        self.session = session or Session(**session_options)
        self.isolated = None if in_process or session is not None else IsolatedChecks(session_options, check_timeout)
        self.debounce = debounce
        self.docs: dict[str, OpenDocument] = {}
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cleanup-check")
        # the model loads while the client connects (a worker process: from start_io, see there)
        self.warm = self.worker.submit(self._warm_up if self.isolated is None else lambda: None)
        self.shown_errors: set[str] = set()
        self.running = 0  # checks under way in the worker thread

    # ------------------------------------------------------------------------------- plumbing

    @property
    def encoding(self) -> str:
        try:
            return ENCODING.get(self.workspace.position_encoding, "utf-16")
        except RuntimeError:  # before initialize
            return "utf-16"

    def _warm_up(self) -> None:
        try:
            self.session.warm_up()
        except Exception as e:  # reported again, to the user, at the first check
            log.warning("could not load the model: %s", e)

    def error_once(self, message: str) -> None:
        log.error(message)
        if message not in self.shown_errors:
            self.shown_errors.add(message)
            self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=f"cleanup: {message}"))

    def report_server_error(self, error: Exception, source) -> None:
        """A handler that failed (a bug): one line in the log; a failed notification handler is
        also shown to the user, once (a failed request is answered with the error already)."""
        from pygls.exceptions import FeatureRequestError

        if source is FeatureRequestError:
            log.error("a request failed: %s", error)
        else:
            self.error_once(f"internal error: {error}")

    def start_io(self, stdin=None, stdout=None) -> int:
        """Serve LSP over a byte stream pair until ``exit`` or the end of the input; the exit code
        (LSP: 0 after ``shutdown``, else 1)."""
        self._stop_event = threading.Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        if self.isolated is not None:  # started now, after `cleanup server` has taken descriptor 1 for
            self.isolated.start()       # the protocol: a worker's stray output goes to standard error
        code = None
        try:
            asyncio.run(serve(self.protocol, FrameReader(stdin or sys.stdin.buffer), self._stop_event))
        except SystemExit as e:  # the exit notification
            code = e.code if isinstance(e.code, int) else 0
        except BrokenPipeError:
            log.error("the client closed the connection")
        except KeyboardInterrupt:
            code = 130
        finally:
            self.worker.shutdown(wait=False, cancel_futures=True)
            if self.isolated is not None:
                self.isolated.close()
            self.shutdown()
        if code is None:
            code = 0 if self.protocol._shutdown else 1
            if code:
                log.warning("the input ended without shutdown and exit")
        return code

    def busy(self) -> bool:
        """Is the worker thread still loading the model or checking (it would hold the process at
        exit until done)?"""
        return self.running > 0 or not self.warm.done()

    def set_root(self, root: str | None) -> None:
        if root and self.session.explicit is None:
            self.session.root = Path(root).absolute()

    # ------------------------------------------------------------------------------- checking

    def schedule(self, doc: OpenDocument, delay: float) -> None:
        if doc.pending is not None and not doc.pending.done():
            doc.pending.cancel()
        doc.pending = asyncio.get_running_loop().create_task(self._check_later(doc, doc.generation, delay))

    async def _check_later(self, doc: OpenDocument, generation: int, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        fmt = fmt_of(doc.language_id, doc.path)
        if fmt is None:
            return
        text, version = doc.text, doc.version
        loop = asyncio.get_running_loop()
        try:
            findings, problems = await loop.run_in_executor(self.worker, self._check, text, fmt, doc.path)
        except asyncio.CancelledError:
            raise
        except Exception as e:  # a model that will not load, an engine that failed, a crash: say so
            self.check_failed(doc, e)
            return
        for problem in problems:
            self.error_once(problem)
        if self.docs.get(doc.uri) is not doc or doc.generation != generation:
            return  # changed or closed meanwhile: a newer check is on its way
        doc.checked = Checked(version, text, findings)
        try:
            self.publish(doc)
        except Exception as e:  # a bug turning findings into diagnostics: the server goes on
            self.check_failed(doc, e)

    def check_failed(self, doc: OpenDocument, error: Exception) -> None:
        """A check (or publishing it) raised: the traceback in the log at debug level, one line
        at error level and once to the user; the server goes on serving. A crashed or stopped
        check (the worker was replaced) is told every time it happens; nothing is published for
        that version: the diagnostics of the last check that ran stay."""
        name = doc.path or doc.uri
        if isinstance(error, CheckStopped):
            message = f"the check of {name} {error.what}; the checker was restarted"
            log.error(message)
            self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=f"cleanup: {message}"))
            return
        log.debug("check of %s failed", doc.uri, exc_info=True)
        detail = str(error) if isinstance(error, CheckFailed) else f"{type(error).__name__}: {error}"
        self.error_once(f"could not check {name}: {detail}")

    def _check(self, text: str, fmt: str, path: str | None) -> tuple[list[Finding], list[str]]:
        """(findings, problems to show the user); runs in the worker thread."""
        self.running += 1
        try:
            return self._check_now(text, fmt, path)
        finally:
            self.running -= 1

    def _check_now(self, text: str, fmt: str, path: str | None) -> tuple[list[Finding], list[str]]:
        if self.isolated is not None:
            return self.isolated.check(self.session, text, fmt, path)
        return check_for_editor(self.session, text, fmt, path)

    def publish(self, doc: OpenDocument) -> None:
        checked = doc.checked
        pm = checked.positions(self.encoding)
        diagnostics = [self.diagnostic(f, pm, checked.text) for f in checked.findings]
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=doc.uri, diagnostics=diagnostics, version=checked.version))

    def diagnostic(self, f: Finding, pm: PositionMap, text: str) -> lsp.Diagnostic:
        return lsp.Diagnostic(
            range=_range(pm, f.span.start, f.span.end),
            message=f.message,
            severity=SEVERITY[f.severity.value],
            code=f.rule,
            source="cleanup" if f.source == "cleanup" else f"cleanup ({f.source})",
            data={"rule": f.rule, "start": f.span.start, "end": f.span.end},
        )

    def recheck_all(self) -> None:
        for doc in list(self.docs.values()):
            self.schedule(doc, 0)

    def current(self, uri: str) -> tuple[OpenDocument, Checked] | None:
        """The document and its findings, if they are for the text the client has now."""
        doc = self.docs.get(uri)
        if doc is None or doc.checked is None or doc.checked.text != doc.text:
            return None
        return doc, doc.checked

    # -------------------------------------------------------------------------- code actions

    async def fresh_for_fix_all(self, params: lsp.CodeActionParams) -> None:
        """Fix all on save comes right after typing, before the debounced check: when only the
        fix-all is asked for and the findings are older than the text, check the text now."""
        only = params.context.only
        doc = self.docs.get(params.text_document.uri)
        if (doc is None or not only or self.current(doc.uri) is not None
                or not any(_kind_matches(FIX_ALL_KIND, k) for k in only)):
            return
        fmt = fmt_of(doc.language_id, doc.path)
        if fmt is None:
            return
        text, version, generation = doc.text, doc.version, doc.generation
        try:
            findings, _ = await asyncio.get_running_loop().run_in_executor(self.worker, self._check, text, fmt,
                                                                           doc.path)
        except Exception as e:  # the fix-all waits for the next check; the user hears of it once
            self.check_failed(doc, e)
            return
        if doc.generation == generation:
            doc.checked = Checked(version, text, findings)

    def code_actions(self, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        found = self.current(params.text_document.uri)
        if found is None:
            return []
        doc, checked = found
        only = params.context.only
        want_quick = only is None or any(_kind_matches(lsp.CodeActionKind.QuickFix, k) for k in only)
        want_all = only is None or any(_kind_matches(FIX_ALL_KIND, k) for k in only)
        pm = checked.positions(self.encoding)
        a = pm.offset(params.range.start.line, params.range.start.character)
        b = pm.offset(params.range.end.line, params.range.end.character)
        actions: list[lsp.CodeAction] = []
        safe_here = False
        if want_quick:
            for f in checked.findings:
                if not (f.span.start <= b and a <= f.span.end):
                    continue
                diag = self.diagnostic(f, pm, checked.text)
                first = True
                for fix in f.fixes:
                    if fix.applicability is Applicability.DISPLAY_ONLY or not fix.edits:
                        continue
                    safe = fix.applicability is Applicability.SAFE
                    safe_here = safe_here or safe
                    actions.append(lsp.CodeAction(
                        title=_fix_title(f, fix),
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=[diag],
                        is_preferred=first and safe,
                        edit=self.workspace_edit(doc, checked, [(e.span.start, e.span.end, e.replacement)
                                                                for e in fix.edits], pm),
                    ))
                    first = False
        if want_all or safe_here:
            fix_all = self.fix_all(doc, checked, pm)
            if fix_all is not None:
                if want_all:
                    actions.append(fix_all)
                if safe_here and want_quick:
                    actions.append(lsp.CodeAction(title=fix_all.title, kind=lsp.CodeActionKind.QuickFix,
                                                  edit=fix_all.edit))
        return actions

    def fix_all(self, doc: OpenDocument, checked: Checked, pm: PositionMap) -> lsp.CodeAction | None:
        """Every safe fix at once (the first fix of each finding when it is safe; a fix that
        overlaps one taken before it waits for the next check), as the report's "accept all safe"."""
        from editor.fixes import apply_fixes, first_fixes

        chosen = apply_fixes(checked.text, first_fixes(checked.findings, Applicability.SAFE)).applied
        if not chosen:
            return None
        edits = sorted(((e.span.start, e.span.end, e.replacement) for fix in chosen for e in fix.edits))
        n = len(chosen)
        return lsp.CodeAction(title=f"cleanup: fix all safe ({n} fix{'es' if n != 1 else ''})", kind=FIX_ALL_KIND,
                              edit=self.workspace_edit(doc, checked, edits, pm))

    def workspace_edit(self, doc: OpenDocument, checked: Checked, edits, pm: PositionMap) -> lsp.WorkspaceEdit:
        text_edits = [lsp.TextEdit(range=_range(pm, s, e), new_text=r) for s, e, r in edits]
        caps = self.client_capabilities
        versioned = bool(caps.workspace and caps.workspace.workspace_edit
                         and caps.workspace.workspace_edit.document_changes)
        if versioned and checked.version is not None:
            return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=checked.version),
                edits=text_edits)])
        return lsp.WorkspaceEdit(changes={doc.uri: text_edits})

    # --------------------------------------------------------------------------------- hover

    def hover(self, params: lsp.HoverParams) -> lsp.Hover | None:
        found = self.current(params.text_document.uri)
        if found is None:
            return None
        _, checked = found
        pm = checked.positions(self.encoding)
        off = pm.offset(params.position.line, params.position.character)
        here = [f for f in checked.findings if f.span.start <= off < f.span.end
                or f.span.start == f.span.end == off]
        if not here:
            return None
        parts = [hover_markdown(f, checked.text, self.session.rule_info(f.rule)) for f in here]
        start = min(f.span.start for f in here)
        end = max(f.span.end for f in here)
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)),
                         range=_range(pm, start, end))


def _range(pm: PositionMap, start: int, end: int) -> lsp.Range:
    sl, sc = pm.position(start)
    el, ec = pm.position(end)
    return lsp.Range(start=lsp.Position(line=sl, character=sc), end=lsp.Position(line=el, character=ec))


def _kind_matches(kind: str, requested: str) -> bool:
    """Is an action of ``kind`` wanted when the client asks for ``requested`` (a prefix, LSP's
    hierarchical kinds: ``source`` covers ``source.fixAll.cleanup``)?"""
    return kind == requested or kind.startswith(requested + ".")


def _fix_title(f: Finding, fix) -> str:
    title = fix.title or "apply the suggested fix"
    safety = "safe" if fix.applicability is Applicability.SAFE else "unsafe: review it"
    return f"{title[0].upper()}{title[1:]} ({safety}) [{f.rule}]"


def _md(s: str) -> str:
    """Plain text for Markdown: characters that would format are escaped."""
    out = []
    for c in s:
        if c in "\\`*_{}[]()<>#+-.!|~":
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


def hover_markdown(f: Finding, text: str, info: dict | None) -> str:
    head = f"**{_md(f.rule)}**"
    if f.name:
        head += f" {_md(f.name)}"
    head += f" · {f.category} · {f.severity.value}"
    if f.source != "cleanup":
        head += f" · {_md(f.source)}"
    lines = [head, "", _md(f.message)]
    docs = (info or {}).get("docs") or {}
    for key, label in (("what", "What"), ("why", "Why"), ("fix", "Fix")):
        if docs.get(key):
            lines += ["", f"*{label}:* {_md(' '.join(str(docs[key]).split()))}"]
    if f.fixes:
        lines.append("")
        for fix in f.fixes:
            new = fix.replacement_text(text, f.span)
            shown = f"“{_md(new)}”" if new else "(delete)"
            lines.append(f"- {shown} ({fix.applicability.value})")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------ handlers


def _initialize(ls: CleanupServer, params: lsp.InitializeParams):
    root = None
    if params.workspace_folders:
        root = to_fs_path(params.workspace_folders[0].uri)
    elif params.root_uri:
        root = to_fs_path(params.root_uri)
    elif params.root_path:
        root = params.root_path
    ls.set_root(root)


async def _initialized(ls: CleanupServer, params: lsp.InitializedParams):
    caps = ls.client_capabilities
    dynamic = (caps.workspace and caps.workspace.did_change_watched_files
               and caps.workspace.did_change_watched_files.dynamic_registration)
    if dynamic:
        watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
        try:
            await ls.client_register_capability_async(lsp.RegistrationParams(registrations=[lsp.Registration(
                id="cleanup-config-files", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))
        except Exception as e:  # the client said no: configuration is still read at every check
            log.info("file watching not registered: %s", e)


def _did_open(ls: CleanupServer, params: lsp.DidOpenTextDocumentParams):
    item = params.text_document
    path = to_fs_path(item.uri) if item.uri.startswith("file:") else None
    doc = OpenDocument(item.uri, item.text, item.version, item.language_id, path)
    ls.docs[item.uri] = doc
    ls.schedule(doc, 0)


def _did_change(ls: CleanupServer, params: lsp.DidChangeTextDocumentParams):
    doc = ls.docs.get(params.text_document.uri)
    if doc is None:
        return
    for change in params.content_changes:
        if isinstance(change, lsp.TextDocumentContentChangePartial):
            r = change.range
            doc.text = apply_change(doc.text, (r.start.line, r.start.character), (r.end.line, r.end.character),
                                    change.text, ls.encoding)
        else:
            doc.text = change.text
    doc.version = params.text_document.version
    doc.generation += 1
    ls.schedule(doc, ls.debounce)


def _did_save(ls: CleanupServer, params: lsp.DidSaveTextDocumentParams):
    uri = params.text_document.uri
    if uri.rsplit("/", 1)[-1] in CONFIG_NAMES:
        ls.recheck_all()


def _did_close(ls: CleanupServer, params: lsp.DidCloseTextDocumentParams):
    doc = ls.docs.pop(params.text_document.uri, None)
    if doc is not None and doc.pending is not None:
        doc.pending.cancel()
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=params.text_document.uri,
                                                                      diagnostics=[]))


def _did_change_watched(ls: CleanupServer, params: lsp.DidChangeWatchedFilesParams):
    if any(c.uri.rsplit("/", 1)[-1] in CONFIG_NAMES for c in params.changes):
        ls.recheck_all()


async def _code_action(ls: CleanupServer, params: lsp.CodeActionParams):
    await ls.fresh_for_fix_all(params)
    return ls.code_actions(params)


def _hover(ls: CleanupServer, params: lsp.HoverParams):
    return ls.hover(params)


# (LSP method, its registration options, handler)
_HANDLERS = (
    (lsp.INITIALIZE, None, _initialize),
    (lsp.INITIALIZED, None, _initialized),
    (lsp.TEXT_DOCUMENT_DID_OPEN, None, _did_open),
    (lsp.TEXT_DOCUMENT_DID_CHANGE, None, _did_change),
    (lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=False), _did_save),
    (lsp.TEXT_DOCUMENT_DID_CLOSE, None, _did_close),
    (lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES, None, _did_change_watched),
    (lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=False), _code_action),
    (lsp.TEXT_DOCUMENT_HOVER, None, _hover),
)


def build_server(debounce: float = 0.3, in_process: bool = False, check_timeout: float = 120.0,
                 **session_options) -> CleanupServer:
    """A language server whose handlers are the functions above (each registered for its method)."""
    server = CleanupServer(debounce=debounce, in_process=in_process, check_timeout=check_timeout,
                           **session_options)
    for method, options, handler in _HANDLERS:
        server.feature(method, options)(handler)
    return server


def uri_of(path: str | os.PathLike) -> str:
    return from_fs_path(str(Path(path).absolute()))
