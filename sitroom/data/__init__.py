"""Data files shipped with sitroom: word lists, registries, the indicator catalogue and the
sample live page."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SAMPLE = "sample_live_page.txt"


def data_path(name: str) -> Path:
    """The path of a data file shipped in this package."""
    return Path(str(resources.files(__name__).joinpath(name)))


def sample_path() -> Path:
    """Path of the bundled sample live page (written for the project, not real coverage)."""
    return data_path(SAMPLE)
