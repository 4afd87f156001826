"""The indicator catalogue (sitroom/data/indicators.yaml): signals, weights, cue phrases, and
the analysis word lists (sitroom/data/analysis.yaml).

Cues are matched on lemmas, not substrings: the text and each cue are cut into words and every
word is reduced to its lemma (the Porter stem, after the irregular forms of analysis.yaml), so
"withdrew" and "withdrawal" match the cue "withdraw", "left" matches "leave", and "war" never
matches inside "warning". When two cues overlap, the longer one wins ("cyber attack" is a
cyber-attack, not also an attack).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|\*")


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    weight: float
    plover: str
    cues: tuple[tuple[str, ...], ...]  # each cue as a sequence of lemmas ("*" = any word)
    opposite: str | None = None  # the signal this one reverses (withdrawal <-> build-up)
    kind: str = "event"  # "event", or "denial"/"warning"/"accusation": what a claim is
    broader: str | None = None  # the broader signal this is a kind of (cyber-attack: attack)
    positions: bool = False  # actors take positions on it: a demand for it takes a side
    narrows: str | None = None  # the signal whose claims this one narrows (who takes part)
    qualifiers: frozenset[str] = frozenset()  # lemmas that narrow a claim to this signal
    excluding: frozenset[str] = frozenset()  # qualifiers that leave a party out ("without")
    directed: bool = False  # who does it to whom is part of the proposition


@dataclass(frozen=True)
class CueMatch:
    indicator: Indicator
    start: int  # character offsets in the text
    end: int


def _data_text(name: str) -> str:
    return resources.files("sitroom.data").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def analysis_words() -> dict[str, Any]:
    """sitroom/data/analysis.yaml: thresholds and word lists of the analysis."""
    return yaml.safe_load(_data_text("analysis.yaml"))


@lru_cache(maxsize=1)
def _stemmer():
    # lazy: importing nltk takes seconds, and a saved analysis is served without it
    from nltk.stem import PorterStemmer

    return PorterStemmer()


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    word = word.lower().replace("’", "'")
    word = analysis_words()["irregular_forms"].get(word, word)
    if word in ("*", "n't") or "'" in word:
        return word
    return _stemmer().stem(word)


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[tuple[str, int, int], ...]:
    """(lemma, start, end) of each word of `text`. Cached: a claim's words are read by
    several steps (cues, signals, stance), and a record repeats its sentences."""
    return tuple((lemma(m.group()), m.start(), m.end()) for m in WORD_RE.finditer(text.lower()))


def lemma_set(phrases: list[str]) -> set[tuple[str, ...]]:
    return {tuple(w for w, _, _ in words(p)) for p in phrases}


@lru_cache(maxsize=4)
def _catalogue_text(path: str | None) -> str:
    return Path(path).read_text(encoding="utf-8") if path else _data_text("indicators.yaml")


def catalogue_hash(path: str | None = None) -> str:
    """A digest of the catalogue and word lists: saved analysis made with others is stale."""
    digest = hashlib.sha1(_catalogue_text(path).encode())
    digest.update(_data_text("analysis.yaml").encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=4)
def load_catalogue(path: str | None = None) -> tuple[Indicator, ...]:
    data = yaml.safe_load(_catalogue_text(path))
    return tuple(
        Indicator(
            id=entry["id"],
            label=entry["label"],
            weight=float(entry["weight"]),
            plover=entry.get("plover", "OTHER"),
            cues=tuple(tuple(w for w, _, _ in words(c)) for c in entry.get("cues", [])),
            opposite=entry.get("opposite"),
            kind=entry.get("kind", "event"),
            broader=entry.get("broader"),
            positions=bool(entry.get("positions", False)),
            narrows=entry.get("narrows"),
            qualifiers=frozenset(lemma(w) for w in entry.get("qualifiers", [])),
            excluding=frozenset(lemma(w) for w in entry.get("excluding", [])),
            directed=bool(entry.get("directed", False)),
        )
        for entry in data["indicators"]
    )


def indicator(signal_id: str) -> Indicator | None:
    return _indicators_by_id(load_catalogue()).get(signal_id)


@lru_cache(maxsize=4)
def _indicators_by_id(catalogue: tuple[Indicator, ...]) -> dict[str, Indicator]:
    by_id: dict[str, Indicator] = {}
    for i in catalogue:
        by_id.setdefault(i.id, i)  # the first of an id, as a search in order finds it
    return by_id


def _match_at(lemmas: list[str], i: int, cue: tuple[str, ...]) -> bool:
    if i + len(cue) > len(lemmas):
        return False
    return all(c == "*" or c == lemmas[i + k] for k, c in enumerate(cue))


@lru_cache(maxsize=4)
def _cues_by_first_word(
    catalogue: tuple[Indicator, ...],
) -> dict[str, list[tuple[tuple[str, ...], Indicator]]]:
    index: dict[str, list[tuple[tuple[str, ...], Indicator]]] = {}
    for ind in catalogue:
        if ind.kind == "event":
            for cue in ind.cues:
                index.setdefault(cue[0], []).append((cue, ind))
    return index


def cue_matches(text: str, catalogue: tuple[Indicator, ...] | None = None) -> list[CueMatch]:
    """Every event cue found in `text`, longest first where two overlap, in text order."""
    return list(_cue_matches(text, catalogue or load_catalogue()))


@lru_cache(maxsize=16384)
def _cue_matches(text: str, catalogue: tuple[Indicator, ...]) -> tuple[CueMatch, ...]:
    tokens = words(text)
    lemmas = [w for w, _, _ in tokens]
    index = _cues_by_first_word(catalogue)
    found: list[tuple[int, int, Indicator]] = []  # (first word, word count, indicator)
    for i, word in enumerate(lemmas):
        for cue, ind in index.get(word, ()):
            if _match_at(lemmas, i, cue):
                found.append((i, len(cue), ind))
    found.sort(key=lambda f: (-f[1], f[0]))
    taken: set[int] = set()
    kept = []
    for i, n, ind in found:
        span = set(range(i, i + n))
        if span & taken:
            continue
        taken |= span
        kept.append(CueMatch(ind, tokens[i][1], tokens[i + n - 1][2]))
    return tuple(sorted(kept, key=lambda m: m.start))


def signals_in(text: str, catalogue: tuple[Indicator, ...] | None = None) -> list[Indicator]:
    """The catalogue's event signals a sentence speaks of (each once, in text order)."""
    seen: dict[str, Indicator] = {}
    for m in cue_matches(text, catalogue):
        seen.setdefault(m.indicator.id, m.indicator)
    return list(seen.values())
