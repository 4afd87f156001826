"""How long work reports progress without printing: a callback the caller renders.

Library code calls `progress(done, total, what)` as it goes; the CLI passes one that draws a
rich progress bar (`sitroom.cli.output.progress_bar`), tests and the web app pass nothing.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int, str], None]
"""(items done so far, items in all, a short description of the current item)."""


def no_progress(done: int, total: int, what: str = "") -> None:
    """The callback that reports nothing."""
