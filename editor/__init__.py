"""cleanup: finds and fixes machine-translation artifacts in English articles."""

__version__ = "0.1.0"
