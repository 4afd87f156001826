"""A learned speaker ranker for the quotes the rules cannot attribute with certainty.

The rules (sitroom/enrich/quotes.py) decide who spoke wherever they can: a speech verb's
subject, a pronoun resolved to the person in focus, a quote continuing the last speaker.
Where they find no speaker at all, this ranker scores every person or organisation named
around the quote and picks the best.

The model is a logistic regression over features of each candidate (distance, position,
grammatical role, agreement with a pronoun, who spoke the quote before). Its weights ship as
sitroom/data/speaker_ranker.json; `python tools/train_speaker_ranker.py` rebuilds them from
the documents of ../shared/dev/polnear whose sorted index is even (fixed seed), and reports the
scores on the odd half it was not trained on. Inference is a dot product: no learning library
is needed to run it."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from spacy.tokens import Doc, Token

from sitroom.enrich.actors import DocContext
from sitroom.records import Mention, Quote

_DATA = Path(__file__).resolve().parent.parent / "data"
MODEL_FILE = _DATA / "speaker_ranker.json"
# The speech verbs of the rules (a subject of one is likely a speaker).
_WORDS = yaml.safe_load((_DATA / "quote_words.yaml").read_text(encoding="utf-8"))
_SPEECH_VERBS = frozenset(str(_WORDS["speech_verbs"]).split())
_ADDRESSEE_VERBS = frozenset(str(_WORDS["addressee_verbs"]).split())
_TO_VERBS = _SPEECH_VERBS | frozenset(str(_WORDS["talk_verbs"]).split())
# Common nouns that name a source (a capitalised "Officials" opening a sentence is no name).
_SOURCE_WORDS = frozenset(
    " ".join(
        str(_WORDS[k])
        for k in ("person_nouns", "source_nouns", "group_source_nouns", "finding_nouns")
    ).split()
)

FEATURES = (
    "is_prev_speaker",  # the speaker of the quote before this one
    "log_distance",  # characters between the nearest mention and the quote, log-scaled
    "nearest_before",  # the nearest actor named before the quote
    "nearest_after",  # the nearest actor named after the quote
    "rank",  # 1 / (1 + rank by distance among the candidates)
    "same_sentence",  # named in a sentence the quote stands in
    "same_paragraph",
    "previous_paragraph",
    "after_quote",  # the nearest mention follows the quote
    "subject",  # a mention is the subject of a clause
    "speech_subject",  # ...of a speech verb
    "possessive",  # a mention is a possessive ("Smith's aide")
    "in_other_quote",  # every mention stands inside quotation marks
    "person",
    "org",
    "log_count",  # mentions of the actor in the text up to the quote
    "gender_clash",  # "he"/"she" said it and the candidate is known to be the other
    "number_clash",  # "they" said it and the candidate is one person
    "kind_clash",  # "he"/"she" said it and the candidate is an organisation, or "it" a person
    "pronoun_cue",  # the quote's own cue has a pronoun subject (interaction below)
    "pronoun_x_subject",  # pronoun cue and the candidate was a clause subject
)

_PRONOUNS = {"he", "she", "him", "her", "they", "it"}
_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}


@dataclass
class Model:
    weights: dict[str, float]
    bias: float
    threshold: float  # least probability at which the ranker overrides the rules

    def probability(self, feats: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def load_model(path: Path = MODEL_FILE) -> Model | None:
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(dict(data["weights"]), float(data["bias"]), float(data["threshold"]))


@dataclass
class Ranker:
    model: Model | None
    # When a list, every eligible quote's candidates are appended to it (for training).
    collected: list[dict[str, object]] | None = None


_ACTIVE = Ranker(load_model())


@contextmanager
def collecting() -> Iterator[list[dict[str, object]]]:
    """Turn the model off and collect the candidates of every eligible quote instead."""
    global _ACTIVE
    saved, rows = _ACTIVE, []
    _ACTIVE = Ranker(None, rows)
    try:
        yield rows
    finally:
        _ACTIVE = saved


@contextmanager
def disabled() -> Iterator[None]:
    """Rules only (to measure what the ranker adds)."""
    global _ACTIVE
    saved = _ACTIVE
    _ACTIVE = Ranker(None)
    try:
        yield
    finally:
        _ACTIVE = saved


def eligible(q: Quote) -> bool:
    """A quote the rules left without a speaker. (Overriding the rules' guesses, a pronoun
    resolved or a quote continuing the last speaker, made no more speakers right on the
    held-out half of polnear and fewer on the seed pages.)"""
    return q.speaker is None


@dataclass
class _Cand:
    name: str
    mentions: list[Mention] = field(default_factory=list)


def _paragraph_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _window(text: str, q: Quote) -> tuple[int, int, int]:
    """(window start, quote paragraph start, window end): two paragraphs before the
    quote's paragraph to the end of the paragraph the quote ends in."""
    para_start, _ = _paragraph_bounds(text, q.start)
    _, para_end = _paragraph_bounds(text, max(q.start, q.end - 1))
    start, seen = para_start, 0
    while start > 0 and seen < 2:
        prev = text.rfind("\n", 0, max(0, start - 1))
        chunk = text[prev + 1 : start]
        start = prev + 1 if prev >= 0 else 0
        seen += bool(chunk.strip())
    return start, para_start, para_end


class Features:
    """Features of the candidates of one text's quotes."""

    def __init__(
        self,
        sdoc: Doc,
        mentions: list[Mention],
        ctx: DocContext,
        gender: Callable[[str], str | None],
        quoted: list[tuple[int, int]],
    ) -> None:
        self.sdoc, self.ctx, self.gender, self.quoted = sdoc, ctx, gender, quoted
        self.text = sdoc.text  # spaCy rebuilds Doc.text on every access
        self.mentions = sorted(
            (m for m in mentions if self._kind(m.actor) is not None), key=lambda m: m.start
        )

    def _kind(self, name: str) -> str | None:
        actor = self.ctx.actor(name)
        return actor.type if actor is not None and actor.type in ("person", "org") else None

    def candidates(self, q: Quote, prev_speaker: str | None) -> dict[str, dict[str, float]]:
        lo, para_start, hi = _window(self.text, q)
        cands: dict[str, _Cand] = {}
        for m in self.mentions:
            if lo <= m.start < hi and not (q.start <= m.start < q.end):
                cands.setdefault(m.actor, _Cand(m.actor)).mentions.append(m)
        for extra in (q.speaker, prev_speaker):
            if extra and extra not in cands and self._kind(extra) is not None:
                cands[extra] = _Cand(extra)
        distances = {name: self._distance(c, q) for name, c in cands.items()}
        order = sorted(cands, key=lambda n: distances[n])
        return {
            name: self._features(c, q, prev_speaker, distances[name], order, para_start)
            for name, c in cands.items()
        }

    def _distance(self, c: _Cand, q: Quote) -> float:
        if not c.mentions:
            return 5000.0
        return float(
            min(q.start - m.end if m.end <= q.start else m.start - q.end for m in c.mentions)
        )

    def _features(
        self,
        c: _Cand,
        q: Quote,
        prev_speaker: str | None,
        distance: float,
        order: list[str],
        para_start: int,
    ) -> dict[str, float]:
        surface = (q.speaker_surface or "").lower()
        pronoun = surface in _PRONOUNS
        before = [m for m in c.mentions if m.end <= q.start]
        after = [m for m in c.mentions if m.start >= q.end]
        near = min(c.mentions, key=lambda m: abs(m.start - q.start)) if c.mentions else None
        roots = [self._root(m) for m in c.mentions]
        subject = any(r is not None and r.dep_ in ("nsubj", "nsubjpass") for r in roots)
        speech = any(
            r is not None and r.dep_ == "nsubj" and r.head.lemma_.lower() in _SPEECH_VERBS
            for r in roots
        )
        sents = self._sentences(q)
        kind = self._kind(c.name)
        want = _GENDER.get(surface)
        feats = {
            "is_prev_speaker": float(c.name == prev_speaker),
            "log_distance": math.log1p(max(0.0, distance)) / 10,
            "nearest_before": float(bool(before) and self._nearest(q, before, "before")),
            "nearest_after": float(bool(after) and self._nearest(q, after, "after")),
            "rank": 1.0 / (1 + order.index(c.name)),
            "same_sentence": float(any(a <= m.start < b for m in c.mentions for a, b in sents)),
            "same_paragraph": float(any(para_start <= m.start for m in c.mentions)),
            "previous_paragraph": float(any(m.start < para_start for m in c.mentions)),
            "after_quote": float(near is not None and near.start >= q.end),
            "subject": float(subject),
            "speech_subject": float(speech),
            "possessive": float(any(r is not None and r.dep_ == "poss" for r in roots)),
            "in_other_quote": float(
                bool(c.mentions)
                and all(any(a <= m.start < b for a, b in self.quoted) for m in c.mentions)
            ),
            "person": float(kind == "person"),
            "org": float(kind == "org"),
            "log_count": math.log1p(
                sum(1 for m in self.mentions if m.actor == c.name and m.start < q.start)
            )
            / 3,
            "gender_clash": float(want is not None and self.gender(c.name) not in (None, want)),
            "number_clash": float(surface == "they" and kind == "person"),
            "kind_clash": float(
                surface in _GENDER and kind == "org" or surface == "it" and kind == "person"
            ),
            "pronoun_cue": float(pronoun),
            "pronoun_x_subject": float(pronoun and subject),
            "listener": float(bool(roots) and all(_listens(r) for r in roots)),
        }
        return feats

    def _nearest(self, q: Quote, mine: list[Mention], side: str) -> bool:
        if side == "before":
            best = max(m.end for m in mine)
            return not any(best < m.end <= q.start for m in self.mentions)
        best = min(m.start for m in mine)
        return not any(q.end <= m.start < best for m in self.mentions)

    def _root(self, m: Mention) -> Token | None:
        span = self.sdoc.char_span(m.start, m.end, alignment_mode="expand")
        return span.root if span is not None else None

    def _sentences(self, q: Quote) -> list[tuple[int, int]]:
        span = self.sdoc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None:
            return []
        first, last = span[0].sent, span[-1].sent
        return [(first.start_char, last.end_char)]


def rerank(
    quotes: list[Quote],
    sdoc: Doc,
    mentions: list[Mention],
    ctx: DocContext,
    gender: Callable[[str], str | None],
) -> None:
    """Give each eligible quote (in text order) the ranker's best candidate when the model
    is sure enough; in collecting mode, record the candidates instead."""
    ranker = _ACTIVE
    if ranker.model is None and ranker.collected is None:
        return
    quoted = [(q.start, q.end) for q in quotes if q.kind == "direct"]
    feats = Features(sdoc, mentions, ctx, gender, quoted)
    prev: str | None = None
    chosen: Quote | None = None  # the last direct quote the ranker gave a speaker
    text = sdoc.text
    for q in sorted(quotes, key=lambda q: q.start):
        if chosen is not None and _goes_on(chosen, q, text):
            # '"A," <ranked speaker>. "B."': a quotation with no cue of its own in the same
            # paragraph continues the one before; the rules gave it the speaker of the post
            # before they knew who said that one.
            q.speaker, q.confidence = chosen.speaker, chosen.confidence
        elif eligible(q):
            cands = feats.candidates(q, prev)
            if ranker.collected is not None:
                ranker.collected.append(
                    {"text": q.text, "kind": q.kind, "field": q.field, "rule": q.speaker,
                     "surface": q.speaker_surface, "candidates": cands}
                )  # fmt: skip
            elif cands and ranker.model is not None:
                _choose(q, cands, ranker.model)
                chosen = q if q.speaker and q.kind == "direct" else None
                continue
        if q.kind == "direct":
            chosen = None
        if q.speaker:
            prev = q.speaker


def _goes_on(before: Quote, q: Quote, text: str) -> bool:
    """Whether direct quote `q` has no cue of its own and follows `before` in its paragraph.
    A quote whose own sentence names who says it ("Reid has been pounding Trump as a 'con
    artist'": the rules read the subject) does not go on with anyone."""
    return (
        q.kind == "direct"
        and q.cue is None
        and q.speaker_surface is None
        and before.field == q.field
        and before.end <= q.start
        and "\n" not in text[before.end : q.start]
    )


CLASHES = ("gender_clash", "number_clash", "kind_clash")
# Never the speaker either, and no feature of the model: an actor named only as who was
# spoken to ("Butz told The Huffington Post.", "said to reporters").
RULED_OUT = (*CLASHES, "listener")


def _listens(root: Token | None) -> bool:
    """Whether a mention is who a verb of saying addresses: the object of "told" and its
    like ("told the Post"), or the object of "to" ("said to the Post")."""
    if root is None:
        return False
    verb = root.head
    if root.dep_ == "pobj" and verb.lower_ == "to":
        verb = verb.head
        verbs = _TO_VERBS
    elif root.dep_ in ("dobj", "dative"):
        verbs = _ADDRESSEE_VERBS
    else:
        return False
    return verb.pos_ == "VERB" and verb.lemma_.lower() in verbs


def _subject_name(surface: str | None) -> str | None:
    """The last word of the subject the rules found, lower case, when it is a name (every
    word capitalised, not a pronoun, not a common noun that names a source)."""
    words = (surface or "").split()
    if not words or not all(w[:1].isupper() for w in words):
        return None
    last = words[-1].lower().strip(".,'’")
    if last in _PRONOUNS or last in _SOURCE_WORDS or last.rstrip("s") in _SOURCE_WORDS:
        return None
    return last


def best_candidate(
    cands: dict[str, dict[str, float]], model: Model, surface: str | None
) -> tuple[float, str] | None:
    """(probability, name) of the best candidate, never one the quote's pronoun rules out
    ("they" is not one person, "she" not a man, "it" not a person), never one only spoken to,
    nor, when the rules met a
    name they could not place ("Berg" fitting two people), one whose name does not end with
    it. The training tool picks with this too."""
    fitting = {n: f for n, f in cands.items() if not any(f.get(c) for c in RULED_OUT)}
    name = _subject_name(surface)
    if name is not None:
        fitting = {n: f for n, f in fitting.items() if n.lower().split()[-1:] == [name]}
    if not fitting:
        return None
    return max((model.probability(f), n) for n, f in fitting.items())


def _choose(q: Quote, cands: dict[str, dict[str, float]], model: Model) -> None:
    """The best candidate, when the model is sure enough."""
    best = best_candidate(cands, model, q.speaker_surface)
    if best is not None and best[0] >= model.threshold:
        q.speaker, q.confidence = best[1], round(min(0.7, best[0]), 3)


__all__ = [
    "CLASHES",
    "RULED_OUT",
    "FEATURES",
    "Model",
    "best_candidate",
    "collecting",
    "disabled",
    "eligible",
    "load_model",
    "rerank",
]
