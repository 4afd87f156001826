"""Finding a story by what a URL names it with (shared by the routes and the views worker)."""

from __future__ import annotations

from sitroom.records import Story


def find_story(stories: list[Story], key: str) -> Story | None:
    """A story by id, name or label."""
    key = key.strip().lower()
    for s in stories:
        if key in (str(s.id), (s.name or "").lower(), s.label.lower()):
            return s
    return None
