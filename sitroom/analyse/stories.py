"""Stories: the record's documents grouped into developing stories.

A story is a set of documents (live pages, articles, feed entries) about the same thing at
about the same time: two documents are linked when their time spans come within
`window_days` of each other and their words (titles first, then bodies: the actors, places
and claims they name) are alike (TF-IDF cosine over `min_similarity`); a story is a connected
group of linked documents. A document is one story with itself (the same live page stays
whole). What a user filed by hand (`sitroom follow --story`, `sitroom stories merge`) is kept:
documents filed under different stories are never joined.

Thresholds: sitroom/data/stories.yaml. Comparisons run only between documents within the time
window of each other (a sweep over documents sorted by time), one row at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources

import numpy as np
import yaml

from sitroom.records import Document, Story
from sitroom.store import Store


@lru_cache(maxsize=1)
def _settings_file() -> dict:
    text = resources.files("sitroom.data").joinpath("stories.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def story_settings() -> dict[str, float]:
    return {k: float(v) for k, v in _settings_file().items() if not isinstance(v, list)}


def settings_words(key: str) -> list[str]:
    return [str(w) for w in _settings_file().get(key, [])]


@dataclass
class StoryDoc:
    """What grouping needs of one document."""

    document_id: int
    first: datetime | None
    last: datetime | None
    text: str
    filed: int | None = None  # the story a user filed it under


def document_text(doc: Document, limit: int | None = None) -> str:
    """A document's words for grouping: its title and post titles, then its bodies."""
    limit = limit or int(story_settings()["text_chars"])
    titles = [doc.title or ""] + [p.title or "" for p in doc.posts if p.kind != "summary"]
    bodies = [p.body for p in doc.posts if p.kind != "summary"]
    return "\n".join(titles + bodies)[:limit]


class _Groups:
    """Union-find over documents that refuses to join two different filed stories."""

    def __init__(self, docs: Sequence[StoryDoc]) -> None:
        self.parent = list(range(len(docs)))
        self.filed = [d.filed for d in docs]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a == b:
            return
        fa, fb = self.filed[a], self.filed[b]
        if fa is not None and fb is not None and fa != fb:
            return
        self.parent[b] = a
        self.filed[a] = fa if fa is not None else fb


def _near_in_time(a: StoryDoc, b: StoryDoc, window: timedelta) -> bool:
    if a.first is None or b.first is None:
        return False
    a_last, b_last = a.last or a.first, b.last or b.first
    gap = max(a.first, b.first) - min(a_last, b_last)
    return gap <= window


def group_documents(docs: Sequence[StoryDoc]) -> list[list[int]]:
    """Groups of document ids, one per story, each in time order."""
    if not docs:
        return []
    settings = story_settings()
    window = timedelta(days=settings["window_days"])
    groups = _Groups(docs)
    for story in {d.filed for d in docs if d.filed is not None}:
        members = [i for i, d in enumerate(docs) if d.filed == story]
        for i in members[1:]:
            groups.join(members[0], i)
    matrix = _vectors([d.text for d in docs])
    order = sorted(range(len(docs)), key=lambda i: (docs[i].first is None, docs[i].first or 0))
    for pos, i in enumerate(order):
        # Only documents that start before this one ends (plus the window) can be near it.
        for j in order[pos + 1 :]:
            if docs[j].first is None or docs[i].first is None:
                break
            if docs[j].first - (docs[i].last or docs[i].first) > window:
                break
            if not _near_in_time(docs[i], docs[j], window):
                continue
            if (
                matrix is not None
                and float(matrix[i].multiply(matrix[j]).sum()) >= settings["min_similarity"]
            ):
                groups.join(i, j)
    by_root: dict[int, list[int]] = {}
    for i in order:
        by_root.setdefault(groups.find(i), []).append(docs[i].document_id)
    return list(by_root.values())


def _vectors(texts: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer  # lazy: slow import

    try:
        return TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).tocsr()
    except ValueError:  # nothing but stop words
        return None


def story_labels(
    groups: Sequence[Sequence[int]], texts: dict[int, str], last: dict[int, datetime | None]
) -> list[str]:
    """Each story's most telling words (weighed against the whole record) and the month it ran
    to: "nato, troops, border · Feb 2022"."""
    from sklearn.feature_extraction.text import (  # lazy: slow import
        ENGLISH_STOP_WORDS,
        TfidfVectorizer,
    )

    settings = story_settings()
    stop = sorted(ENGLISH_STOP_WORDS | set(settings_words("label_stop_words")))
    ids = [d for group in groups for d in group]
    vocab, matrix = None, None
    try:
        vectorizer = TfidfVectorizer(stop_words=stop, sublinear_tf=True, max_features=20000)
        matrix = vectorizer.fit_transform([texts[d] for d in ids]).tocsr()
        vocab = vectorizer.get_feature_names_out()
    except ValueError:  # nothing but stop words
        pass
    row = {d: i for i, d in enumerate(ids)}
    labels = []
    for group in groups:
        words: list[str] = []
        if matrix is not None:
            weights = np.asarray(matrix[[row[d] for d in group]].sum(axis=0)).ravel()
            ranked = (vocab[i] for i in np.argsort(-weights) if weights[i] > 0)
            words = [w for w in ranked if not w.isdigit()][: int(settings["label_words"])]
        end = max((last[d] for d in group if last[d]), default=None)
        labels.append(", ".join(words) + (f" · {end:%b %Y}" if end else ""))
    return labels


Progress = Callable[[int, int, str], None]


def refresh_stories(store: Store, progress: Progress | None = None) -> list[Story]:
    """Regroup the record's documents into stories, store the grouping, and return the
    stories, most recent first. Documents filed by a user stay where they were filed."""
    summaries = store.documents()
    assigned = store.story_assignments()
    filings = store.story_filings()
    docs: list[StoryDoc] = []
    texts: dict[int, str] = {}
    for n, summary in enumerate(summaries, 1):
        record = store.document_record(summary.id)
        texts[summary.id] = document_text(record)
        filed = assigned[summary.id][0] if assigned.get(summary.id, (0, False))[1] else None
        filed = filings.get(summary.source, filed)
        docs.append(
            StoryDoc(
                document_id=summary.id,
                first=summary.first_post or summary.published,
                last=summary.last_post or summary.published,
                text=texts[summary.id],
                filed=filed,
            )
        )
        if progress:
            progress(n, len(summaries), summary.source)
    by_id = {d.document_id: d for d in docs}
    for d in docs:
        if d.filed is not None and assigned.get(d.document_id) != (d.filed, True):
            store.file_document(d.document_id, d.filed)
    groups = group_documents(docs)
    labels = story_labels(groups, texts, {d: by_id[d].last for d in by_id})
    store.save_story_groups(list(zip(groups, labels, strict=True)))
    return store.stories()
