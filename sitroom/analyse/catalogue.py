"""The indicator catalogue (sitroom/data/indicators.yaml): signals, weights, cue phrases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    weight: float
    plover: str
    patterns: tuple[re.Pattern[str], ...]


def _cue_pattern(cue: str) -> re.Pattern[str]:
    # Words match with any inflection ending ("withdraw" finds "withdrawing", "troop" finds
    # "troops"); "*" stands for one word.
    parts = []
    for word in cue.lower().split():
        parts.append(r"\w+" if word == "*" else re.escape(word) + r"\w*")
    return re.compile(r"\b" + r"[\s-]+".join(parts) + r"\b")


@lru_cache(maxsize=4)
def load_catalogue(path: str | None = None) -> tuple[Indicator, ...]:
    text = (
        Path(path).read_text(encoding="utf-8")
        if path
        else resources.files("sitroom.data").joinpath("indicators.yaml").read_text(encoding="utf-8")
    )
    data = yaml.safe_load(text)
    return tuple(
        Indicator(
            id=entry["id"],
            label=entry["label"],
            weight=float(entry["weight"]),
            plover=entry.get("plover", "OTHER"),
            patterns=tuple(_cue_pattern(c) for c in entry.get("cues", [])),
        )
        for entry in data["indicators"]
    )


def signals_in(text: str, catalogue: tuple[Indicator, ...] | None = None) -> list[Indicator]:
    """The catalogue's signals a sentence speaks of."""
    low = text.lower()
    return [
        ind for ind in catalogue or load_catalogue() if any(p.search(low) for p in ind.patterns)
    ]
