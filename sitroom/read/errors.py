"""The errors of the read stage, in a module of their own so that every reader can raise them
without importing the package that imports the readers."""

from __future__ import annotations


class ReadError(Exception):
    """An input that cannot be read, with a message saying what and why."""


class OverBudget(ReadError):
    """An input that took longer to read than its time budget."""
