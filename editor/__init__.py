"""cleanup: finds and fixes machine-translation artifacts in English articles.

The Python API (docs/api.md)::

    from editor import check_text, check_file, apply_fixes

is imported on first use, so that ``import editor`` stays cheap for the command line.
"""

__version__ = "0.1.0"

_API = ("check_text", "check_file", "apply_fixes", "Session", "CheckResult", "FixOutcome", "Location",
        "Finding", "Fix", "Edit", "Span", "Severity", "Applicability", "InputError", "ConfigError")

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        from editor import session

        return getattr(session, name)
    raise AttributeError(f"module 'editor' has no attribute {name!r}")
