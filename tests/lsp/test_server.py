"""The language server driven by a real LSP client (pytest-lsp, over pygls) through stdio:
``cleanup server --stdio`` in a subprocess, started once for the module (the model loads once)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from editor.lsp.positions import PositionMap

# A line with an emoji (two UTF-16 code units, one code point) before each finding, so that a
# server counting code points instead of UTF-16 units is caught.
ARTICLE = "# Swimming 😀\n\n😀 He is also need to go. She has alot of books -- it is broken.\n"
WORKSPACE = "cleanup-lsp-workspace"


def _record(ls, params: lsp.PublishDiagnosticsParams):
    ls.diagnostics[params.uri] = params.diagnostics
    ls.published.append(params)


def _register(ls, params: lsp.RegistrationParams):
    ls.registrations.extend(params.registrations)


def make_client() -> LanguageClient:
    from pygls.protocol import default_converter
    from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

    client = LanguageClient(converter_factory=default_converter)
    client.published = []
    client.registrations = []
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _record
    features[lsp.CLIENT_REGISTER_CAPABILITY] = _register
    register_lsp_features(client, features)
    return client


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp(WORKSPACE)
    (root / "docs").mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "site"\n\n[tool.cleanup]\nexclude = ["drafts/"]\n'
        'extend-select = ["TY101"]\n\n'  # opt-in since issue 21: its safe fix is what fix-all applies
        '[tool.cleanup.substitutions]\n"e-mail" = "email"\n', encoding="utf-8")
    return root


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(
        server_command=[sys.executable, "-m", "editor", "server", "--stdio", "--debounce", "0.2"],
        client_factory=make_client,
    ),
)
async def client(lsp_client: LanguageClient, workspace: Path):
    caps = client_capabilities("visual-studio-code")
    result = await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=caps, root_uri=from_fs_path(str(workspace)),
        workspace_folders=[lsp.WorkspaceFolder(uri=from_fs_path(str(workspace)), name="site")]))
    lsp_client.init_result = result
    yield
    await lsp_client.shutdown_session()


async def published(client: LanguageClient, uri: str, version: int | None = None, timeout: float = 60.0):
    """The diagnostics published for ``uri`` (for ``version``, when given)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        for p in reversed(client.published):
            if p.uri == uri and (version is None or p.version == version):
                return p.diagnostics
        await asyncio.sleep(0.02)
    raise AssertionError(f"no diagnostics for {uri} version {version} within {timeout} s")


def open_doc(client: LanguageClient, path: Path, text: str, language_id: str = "markdown", version: int = 1) -> str:
    uri = from_fs_path(str(path))
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id=language_id, version=version, text=text)))
    return uri


def apply_edits(text: str, edits: list[lsp.TextEdit]) -> str:
    """Apply LSP text edits the way a client does (UTF-16 positions, all against the old text)."""
    pm = PositionMap(text, "utf-16")
    spans = sorted(((pm.offset(e.range.start.line, e.range.start.character),
                     pm.offset(e.range.end.line, e.range.end.character), e.new_text) for e in edits), reverse=True)
    for a, b, new in spans:
        text = text[:a] + new + text[b:]
    return text


def edits_of(action: lsp.CodeAction, uri: str) -> list[lsp.TextEdit]:
    edit = action.edit
    if edit.document_changes:
        (change,) = edit.document_changes
        assert change.text_document.uri == uri
        return list(change.edits)
    return list(edit.changes[uri])


def by_code(diagnostics) -> dict:
    return {d.code: d for d in diagnostics}


@pytest.mark.asyncio(loop_scope="module")
async def test_utf16_is_negotiated_and_diagnostics_arrive_on_open(client: LanguageClient, workspace: Path):
    assert client.init_result.capabilities.position_encoding in (None, lsp.PositionEncodingKind.Utf16)
    uri = open_doc(client, workspace / "docs" / "open.md", ARTICLE)
    diags = by_code(await published(client, uri, 1))
    assert {"MT201", "ST105", "TY101"} <= set(diags)
    mt = diags["MT201"]
    # "😀 He is also need": the emoji is 2 UTF-16 units, so "is" starts at character 6 (5 code points)
    assert (mt.range.start.line, mt.range.start.character, mt.range.end.character) == (2, 6, 18)
    assert mt.severity == lsp.DiagnosticSeverity.Warning and mt.source == "cleanup"  # a warning since issue 21
    assert diags["TY101"].severity == lsp.DiagnosticSeverity.Information
    assert diags["ST105"].severity == lsp.DiagnosticSeverity.Warning
    line = ARTICLE.splitlines()[2]
    start = diags["ST105"].range.start.character
    assert line.encode("utf-16-le")[2 * start: 2 * diags["ST105"].range.end.character].decode("utf-16-le") == "alot"
    # an error-severity rule (MT207) arrives as an LSP error
    uri = open_doc(client, workspace / "docs" / "error.md", "Although the shop is small, but it sells everything.\n")
    assert by_code(await published(client, uri, 1))["MT207"].severity == lsp.DiagnosticSeverity.Error


@pytest.mark.asyncio(loop_scope="module")
async def test_change_is_checked_again_and_old_findings_go(client: LanguageClient, workspace: Path):
    uri = open_doc(client, workspace / "docs" / "change.md", ARTICLE)
    await published(client, uri, 1)
    # an incremental change: "alot" -> "a lot" (line 2, UTF-16 characters)
    line = ARTICLE.splitlines()[2]
    col = len(line[: line.index("alot")].encode("utf-16-le")) // 2
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=lsp.Position(line=2, character=col), end=lsp.Position(line=2, character=col + 4)),
            text="a lot")]))
    diags = by_code(await published(client, uri, 2))
    assert "ST105" not in diags and {"MT201", "TY101"} <= set(diags)


@pytest.mark.asyncio(loop_scope="module")
async def test_changes_are_debounced_only_the_last_version_is_published(client: LanguageClient, workspace: Path):
    uri = open_doc(client, workspace / "docs" / "typing.md", "Start.\n")
    await published(client, uri, 1)
    text = "Start.\n"
    for v, word in enumerate(["She ", "has ", "alot ", "of ", "books."], start=2):
        text += word
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=v),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))
    diags = by_code(await published(client, uri, 6))
    assert "ST105" in diags
    versions = [p.version for p in client.published if p.uri == uri]
    assert versions == [1, 6]  # the keystrokes in between were never checked on their own


@pytest.mark.asyncio(loop_scope="module")
async def test_quick_fixes_mark_safety_and_applying_one_gives_the_expected_text(client: LanguageClient, workspace: Path):
    uri = open_doc(client, workspace / "docs" / "fix.md", ARTICLE)
    diags = by_code(await published(client, uri, 1))
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=diags["ST105"].range,
        context=lsp.CodeActionContext(diagnostics=[diags["ST105"]])))
    quick = [a for a in actions if a.kind == lsp.CodeActionKind.QuickFix and a.diagnostics]
    (a_lot,) = [a for a in quick if "[ST105]" in a.title]
    assert "(safe)" in a_lot.title and a_lot.is_preferred
    assert apply_edits(ARTICLE, edits_of(a_lot, uri)) == ARTICLE.replace("alot", "a lot")
    # the unsafe rewrite is offered, marked as such, never preferred
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=diags["MT201"].range,
        context=lsp.CodeActionContext(diagnostics=[diags["MT201"]])))
    (rewrite,) = [a for a in actions if "[MT201]" in a.title]
    assert "unsafe" in rewrite.title and not rewrite.is_preferred
    assert apply_edits(ARTICLE, edits_of(rewrite, uri)) == ARTICLE.replace("is also need", "also needs")
    # the edit is tied to the version it was computed for
    assert rewrite.edit.document_changes[0].text_document.version == 1


@pytest.mark.asyncio(loop_scope="module")
async def test_fix_all_safe_applies_every_safe_fix_and_nothing_unsafe(client: LanguageClient, workspace: Path):
    uri = open_doc(client, workspace / "docs" / "fixall.md", ARTICLE)
    await published(client, uri, 1)
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
        context=lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.SourceFixAll])))
    (fix_all,) = actions
    assert fix_all.kind == "source.fixAll.cleanup" and "fix all safe" in fix_all.title
    fixed = apply_edits(ARTICLE, edits_of(fix_all, uri))
    assert fixed == ARTICLE.replace("alot", "a lot").replace(" -- ", " — ")
    assert "is also need" in fixed  # the unsafe rewrite is left to the editor
    # only= quickfix: no source action
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
        context=lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.QuickFix])))
    assert not [a for a in actions if a.kind == "source.fixAll.cleanup"]


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_explains_the_rule(client: LanguageClient, workspace: Path):
    uri = open_doc(client, workspace / "docs" / "hover.md", ARTICLE)
    diags = by_code(await published(client, uri, 1))
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=diags["ST105"].range.start))
    assert hover.contents.kind == lsp.MarkupKind.Markdown
    text = hover.contents.value
    assert "**ST105**" in text and "*What:*" in text and "*Why:*" in text and "(safe)" in text
    assert hover.range == diags["ST105"].range
    nothing = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=1, character=0)))
    assert nothing is None


@pytest.mark.asyncio(loop_scope="module")
async def test_workspace_configuration_is_read_and_followed_when_it_changes(client: LanguageClient, workspace: Path):
    text = "Send an e-mail to the office.\n"
    uri = open_doc(client, workspace / "docs" / "config.md", text)
    diags = by_code(await published(client, uri, 1))
    assert "CU101" in diags  # [tool.cleanup.substitutions] of the workspace's pyproject.toml
    # the server asked to be told when configuration files change
    (watch,) = [r for r in client.registrations if r.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    assert {w["globPattern"] for w in watch.register_options["watchers"]} >= {"**/pyproject.toml", "**/cleanup.toml"}
    # the configuration changes on disk: a nearer cleanup.toml ignores CU101
    (workspace / "docs" / "cleanup.toml").write_text('ignore = ["CU101"]\n', encoding="utf-8")
    try:
        before = len(client.published)
        client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(
            uri=from_fs_path(str(workspace / "docs" / "cleanup.toml")), type=lsp.FileChangeType.Created)]))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while loop.time() < deadline and not [p for p in client.published[before:] if p.uri == uri]:
            await asyncio.sleep(0.02)
        (again,) = [p for p in client.published[before:] if p.uri == uri]
        assert "CU101" not in by_code(again.diagnostics)
    finally:
        (workspace / "docs" / "cleanup.toml").unlink()


@pytest.mark.asyncio(loop_scope="module")
async def test_excluded_documents_get_no_findings(client: LanguageClient, workspace: Path):
    uri = open_doc(client, workspace / "drafts" / "wip.md", ARTICLE)
    assert list(await published(client, uri, 1)) == []


@pytest.mark.asyncio(loop_scope="module")
async def test_plain_text_is_checked_and_other_languages_are_not(client: LanguageClient, workspace: Path):
    uri = open_doc(client, workspace / "docs" / "notes.txt", "She has alot of books.\n", language_id="plaintext")
    assert "ST105" in by_code(await published(client, uri, 1))
    py = open_doc(client, workspace / "docs" / "tool.py", "# She has alot of books.\n", language_id="python")
    txt = open_doc(client, workspace / "docs" / "after.txt", "She has alot of books.\n", language_id="plaintext")
    await published(client, txt, 1)  # checked after the Python file was opened
    assert not [p for p in client.published if p.uri == py]


@pytest.mark.asyncio(loop_scope="module")
async def test_close_clears_the_diagnostics(client: LanguageClient, workspace: Path):
    uri = open_doc(client, workspace / "docs" / "close.md", ARTICLE)
    assert await published(client, uri, 1)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while loop.time() < deadline and client.diagnostics.get(uri):
        await asyncio.sleep(0.02)
    assert list(client.diagnostics[uri]) == []


@pytest.mark.asyncio(loop_scope="module")
async def test_fix_all_on_save_right_after_typing_uses_the_text_as_it_is_now(client: LanguageClient, workspace: Path):
    """codeActionsOnSave asks for source.fixAll the moment the user saves, before the debounced
    check of the last keystrokes: the fix-all must be computed for the current text."""
    uri = open_doc(client, workspace / "docs" / "save.md", "All is well.\n")
    await published(client, uri, 1)
    text = "All is well.\nShe has alot of books.\n"
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
        context=lsp.CodeActionContext(diagnostics=[], only=["source.fixAll.cleanup"])))
    (fix_all,) = actions
    assert edits_of(fix_all, uri) and fix_all.edit.document_changes[0].text_document.version == 2
    assert apply_edits(text, edits_of(fix_all, uri)) == text.replace("alot", "a lot")
