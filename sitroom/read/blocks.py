"""The blocks of a text copy of a page: runs of non-blank lines, as readers of text take them."""

from __future__ import annotations


def text_blocks(text: str) -> list[list[str]]:
    """The text's blocks: runs of non-blank lines, each line stripped."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks
