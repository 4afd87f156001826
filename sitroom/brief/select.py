"""Choosing the briefing's sentences: extractive, so every word is a post's own.

Candidates are the sentences and list items of the posts' bodies. Each is scored by how
central it is to the window's coverage (TF-IDF cosine to the centroid of all sentences), with
the signals live pages give about importance: a post's lead sentence, items of a recap list
(live desks post bulleted "what we know" recaps), quotes and figures, and recency (a live
page's own summary describes the latest state). Maximal marginal relevance then picks a
diverse set, so a claim repeated in five posts yields one bullet citing all five.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import numpy as np

BULLET_PREFIX = "• "
MIN_WORDS, MAX_WORDS = 6, 60
# Chatty desk sentences that summarise nothing ("Thanks for joining us", "Stay with us").
_DESK_TALK_RE = re.compile(
    r"\b(thanks for (following|joining|reading)|stay with us|we('ll| will) (bring|be bringing|keep)|"
    r"live page team|pausing our (live )?coverage|you can (read|watch|follow)|"
    r"click here|sign up|our live coverage)\b",
    re.IGNORECASE,
)


@dataclass
class Candidate:
    text: str  # verbatim from the post
    post_id: str
    published: datetime | None
    lead: bool = False  # first sentence of its post
    list_item: bool = False
    has_quote: bool = False
    has_figure: bool = False
    score: float = 0.0
    also_in: list[str] = field(default_factory=list)  # other posts saying the same


@lru_cache(maxsize=1)
def _sentencizer():
    import spacy  # lazy: importing spaCy takes seconds, and only briefing needs it here

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, verbatim (whitespace-trimmed slices of it)."""
    return [s.text.strip() for s in _sentencizer()(text).sents if s.text.strip()]


def candidates_of_post(post_id: str, body: str, published: datetime | None) -> list[Candidate]:
    found: list[Candidate] = []
    first = True
    for paragraph in re.split(r"\n\s*\n", body):
        for line in paragraph.split("\n"):
            line = line.strip()
            if not line:
                continue
            item = line.startswith(BULLET_PREFIX)
            text = line[len(BULLET_PREFIX) :].strip() if item else line
            pieces = [text] if item else split_sentences(text)
            for sentence in pieces:
                n_words = len(sentence.split())
                if n_words < MIN_WORDS or n_words > MAX_WORDS or _DESK_TALK_RE.search(sentence):
                    first = first and item
                    continue
                found.append(
                    Candidate(
                        text=sentence,
                        post_id=post_id,
                        published=published,
                        lead=first and not item,
                        list_item=item,
                        has_quote=bool(re.search(r"[\"“”‘’]", sentence)),
                        has_figure=bool(re.search(r"\d", sentence)),
                    )
                )
                first = False
    return found


def _tfidf(texts: list[str]):
    # lazy: scikit-learn takes seconds to import
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        stop_words="english", ngram_range=(1, 2), sublinear_tf=True, min_df=1
    )
    return vectorizer.fit_transform(texts)


def select(
    candidates: list[Candidate],
    n: int,
    *,
    newest: datetime | None = None,
    oldest: datetime | None = None,
    redundancy: float = 0.7,
) -> list[Candidate]:
    """The `n` best candidates by centrality and importance signals, made diverse by MMR."""
    if not candidates:
        return []
    matrix = _tfidf([c.text for c in candidates])
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid) or 1.0
    centrality = (matrix @ centroid) / norm  # rows are L2-normalised already
    span = (newest - oldest).total_seconds() if newest and oldest and newest > oldest else 0.0
    for c, central in zip(candidates, np.asarray(centrality).ravel(), strict=True):
        recency = 0.0
        if span and c.published is not None:
            recency = (c.published - oldest).total_seconds() / span
        c.score = (
            float(central)
            + 0.08 * c.lead
            + 0.10 * c.list_item
            + 0.03 * c.has_quote
            + 0.02 * c.has_figure
            + 0.06 * recency
        )
    similarity = (matrix @ matrix.T).toarray()
    chosen: list[int] = []
    order = sorted(range(len(candidates)), key=lambda i: -candidates[i].score)
    while len(chosen) < n and order:
        best, best_value = None, -1e9
        for i in order:
            overlap = max((similarity[i, j] for j in chosen), default=0.0)
            value = candidates[i].score - redundancy * overlap * candidates[i].score
            if value > best_value:
                best, best_value = i, value
        order.remove(best)
        if chosen and max(similarity[best, j] for j in chosen) > 0.6:
            # Same claim again: cite the extra post on the bullet already chosen.
            twin = max(chosen, key=lambda j: similarity[best, j])
            if candidates[best].post_id not in candidates[twin].also_in + [
                candidates[twin].post_id
            ]:
                candidates[twin].also_in.append(candidates[best].post_id)
            continue
        chosen.append(best)
    # Sentences elsewhere that say nearly the same as a chosen one are cited too.
    for j in chosen:
        for i in range(len(candidates)):
            pid = candidates[i].post_id
            if (
                i != j
                and similarity[i, j] > 0.6
                and pid != candidates[j].post_id
                and pid not in candidates[j].also_in
            ):
                candidates[j].also_in.append(pid)
    return [candidates[i] for i in chosen]
