#!/usr/bin/env python
"""The longest functions of a folder's Python files, by lines (``def`` line to last line).

    python benchmarks/longest_functions.py [FOLDER ...] [--top N] [--max LINES]

Prints the ``--top`` (default 15) longest functions and methods of every ``*.py`` file under each
FOLDER (default ``editor``), longest first, as ``LINES  PATH:LINE  NAME`` (nested functions count
on their own and inside their parent; decorators are not counted).  With ``--max LINES`` it
exits 1 when any function is longer than LINES and lists every such function on stderr, so CI
can hold the package to a limit (issue 15: under 80 lines):

    python benchmarks/longest_functions.py editor benchmarks --max 80

Exit status: 0, or 1 when a function is over ``--max``, or 2 when a file does not parse.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Function:
    lines: int
    path: str
    line: int
    name: str

    def __str__(self) -> str:
        return f"{self.lines:5d}  {self.path}:{self.line}  {self.name}"


def functions_in(source: str, path: str) -> Iterator[Function]:
    """Every function and method of one file's source, with its qualified name."""
    def walk(node: ast.AST, prefix: str) -> Iterator[Function]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                yield Function(child.end_lineno - child.lineno + 1, path, child.lineno, name)
                yield from walk(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, prefix + child.name + ".")
            else:
                yield from walk(child, prefix)

    yield from walk(ast.parse(source, filename=path), "")


def longest(folders: Iterable[Path]) -> list[Function]:
    """Every function under the folders (a folder may be one file), longest first."""
    found: list[Function] = []
    for folder in folders:
        files = [folder] if folder.is_file() else sorted(folder.rglob("*.py"))
        for file in files:
            if ".venv" in file.parts or "__pycache__" in file.parts:
                continue
            found.extend(functions_in(file.read_text("utf-8"), str(file)))
    return sorted(found, key=lambda f: (-f.lines, f.path, f.line))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/longest_functions.py", description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[Path("editor")])
    parser.add_argument("--top", type=int, default=15, help="how many to print (default 15)")
    parser.add_argument("--max", type=int, default=None, help="exit 1 when a function is longer than this")
    args = parser.parse_args(argv)
    try:
        found = longest(args.folders)
    except (OSError, SyntaxError, UnicodeDecodeError) as exc:
        print(f"longest_functions: {exc}", file=sys.stderr)
        return 2
    for function in found[: args.top]:
        print(function)
    if args.max is None:
        return 0
    over = [f for f in found if f.lines > args.max]
    for function in over:
        print(f"over {args.max} lines: {function}", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
