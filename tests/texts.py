"""Small articles and helpers shared by the command-line tests (starter rules: see conftest)."""

from __future__ import annotations

import subprocess

BAD = "The pump can not start.\n"  # ST101, warning, safe fix
INFO = "It was very very cold.\n"  # ST102, info, safe fix
GOOD = "All is well here.\n"

# git with a fixed identity and defaults, whatever the user's configuration
GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false",
       "-c", "init.defaultBranch=main"]


def git(*args: str, cwd=".") -> str:
    return subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout
