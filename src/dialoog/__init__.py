"""dialoog: run structured dialogue meetings and draft their report."""

__version__ = "0.1.0"
