"""House substitutions (CU101): an ordinary rule fed by the file's settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.config import Config


@pytest.fixture(scope="module")
def check():
    from editor.checkers import CheckerFactory

    factory = CheckerFactory(harper=False)

    def run(text: str, fmt: str = "md", **settings):
        return factory.checker(Config(**settings)).detect(text, fmt)

    return run


def test_case_and_prose_only(check):
    subs = {"e-mail": "email", "Github": "GitHub", "log in to": "sign in to"}
    text = ("# E-mail us\n\nSend an e-mail or an E-MAIL. See `e-mail` and [Github](https://github.com/e-mail).\n\n"
            "Please log in to the site. Re-e-mail.\n")
    found = [f for f in check(text, substitutions=subs, select=["CU"]) if f.rule == "CU101"]
    got = [(text[f.span.start:f.span.end], f.fixes[0].edits[0].replacement) for f in found]
    assert sorted(got) == sorted([("E-mail", "Email"), ("e-mail", "email"), ("E-MAIL", "EMAIL"),
                                  ("Github", "GitHub"), ("log in to", "sign in to")])
    assert all(f.fixes[0].applicability.value == "safe" for f in found)


def test_the_message_names_the_configuration_file(check):
    found = check("Send an e-mail.\n", substitutions={"e-mail": "email"}, source=Path("/x/cleanup.toml"))
    assert [f.message for f in found if f.rule == "CU101"] == [
        "house style: write “email”, not “e-mail” (configured in cleanup.toml)"]


def test_a_case_sensitive_entry_does_not_flag_the_right_spelling(check):
    assert not [f for f in check("GitHub and github are here.", "txt", substitutions={"Github": "GitHub"})
                if f.rule == "CU101"]


def test_selection_and_severity_apply_as_to_every_rule(check):
    text = "Send an e-mail.\n"
    assert not [f for f in check(text, substitutions={"e-mail": "email"}, select=["MT"]) if f.rule == "CU101"]
    [f] = [f for f in check(text, substitutions={"e-mail": "email"}, severity={"CU1": "error"}) if f.rule == "CU101"]
    assert f.severity.value == "error"


def test_without_substitutions_nothing_is_found(check):
    assert not [f for f in check("Send an e-mail.\n") if f.rule == "CU101"]
