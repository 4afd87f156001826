"""Choosing the briefing's sentences: extractive, so every word is a post's own.

Candidates are the sentences, list items and titles of the posts, minus meta-text (greetings,
sign-offs, "stay with us", clock talk, pointers to other coverage: the classes are patterns in
sitroom/data/briefing.yaml). A sentence that runs long is cut back to the clause that carries
the news (a verbatim prefix of it).

Importance comes from how much of the record speaks of the same thing, not from recency:
- centrality: TF-IDF cosine of the sentence and of its post to the centroid of all posts;
- repetition: how many other posts are about the same thing (counted block by block, so
  memory stays at `block_rows` x posts, never posts x posts);
- the page's own recap posts ("Headlines: ...", "What we know"): their words vote for the
  sentences they restate;
- Breaking / key-event labels, a post's news lead, list items; routine weather/travel posts and
  soft quotes weigh less.
Greedy selection then takes the best candidate not already said (similarity against the chosen
bullets only: n x k), so a story told in five posts yields one bullet citing all five.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources

import numpy as np
import yaml
from scipy import sparse

BULLET_PREFIX = "• "


@dataclass(frozen=True)
class BriefConfig:
    meta: dict[str, re.Pattern]
    any_meta: re.Pattern  # all the meta-text classes in one pattern (one search per sentence)
    meta_title: re.Pattern
    recap_title: re.Pattern
    routine_title: re.Pattern
    breaking_label: re.Pattern
    clause_break: re.Pattern  # where a long sentence can be cut
    weights: dict[str, float]
    limits: dict[str, float]


def _compile(pattern: str) -> re.Pattern:
    # A long pattern is written over several lines (a literal YAML block): join them.
    return re.compile(re.sub(r"\n\s*", "", pattern.strip()), re.IGNORECASE)


@lru_cache(maxsize=1)
def load_config() -> BriefConfig:
    text = resources.files("sitroom.data").joinpath("briefing.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    meta = {name: _compile(p) for name, p in data["meta_text"].items()}
    return BriefConfig(
        meta=meta,
        any_meta=re.compile("|".join(f"(?:{p.pattern})" for p in meta.values()), re.IGNORECASE),
        meta_title=_compile(data["meta_title"]),
        recap_title=_compile(data["recap_title"]),
        routine_title=_compile(data["routine_title"]),
        breaking_label=_compile(data["breaking_label"]),
        clause_break=_compile(data["clause_break"]),
        weights={k: float(v) for k, v in data["weights"].items()},
        limits={k: float(v) for k, v in data["limits"].items()},
    )


def meta_class(sentence: str) -> str | None:
    """The class of meta-text a sentence belongs to (greeting, sign_off, ...), or None when it
    may carry news."""
    for name, pattern in load_config().meta.items():
        if pattern.search(sentence):
            return name
    return None


def is_meta_title(title: str | None) -> bool:
    return bool(title) and bool(load_config().meta_title.search(title))


def is_recap_title(title: str | None) -> bool:
    return bool(title) and bool(load_config().recap_title.search(title))


def is_recap_post(title: str | None, body: str) -> bool:
    """A recap: a recap title, or a body that introduces a list of the latest lines
    ("here's a quick recap of today's main developments:")."""
    if is_recap_title(title):
        return True
    recap_intro = load_config().meta["recap_intro"]
    return any(
        recap_intro.search(sentence) and ":" in sentence
        for sentence in re.split(r"(?<=[.:!?])\s+|\n", body[:600])
    )


def is_routine_title(title: str | None) -> bool:
    return bool(title) and bool(load_config().routine_title.search(title))


def is_breaking(labels: Sequence[str], title: str | None = None) -> bool:
    pattern = load_config().breaking_label
    return any(pattern.search(label.strip()) for label in labels) or bool(
        title and pattern.search(title.strip())
    )


@dataclass
class PostView:
    """What selection needs to know of one post."""

    post_id: str
    title: str | None
    body: str
    published: datetime | None
    breaking: bool = False
    recap: bool = False
    routine: bool = False


@dataclass
class Candidate:
    text: str  # verbatim from the post (a slice of its body, or its title)
    post_id: str
    published: datetime | None
    post_index: int = 0
    lead: bool = False  # the post's first news sentence
    list_item: bool = False
    title: bool = False
    recap_item: bool = False  # an item of the page's own recap list
    has_quote: bool = False
    has_figure: bool = False
    score: float = 0.0
    also_in: list[str] = field(default_factory=list)  # other posts saying the same


# A sentence ends at . ! or ? (and any closing quote or bracket) followed by white space.
_SENTENCE_END_RE = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+\S)")


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    text = resources.files("sitroom.data").joinpath("briefing.yaml").read_text(encoding="utf-8")
    return frozenset(yaml.safe_load(text).get("abbreviations", "").lower().split())


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, verbatim (whitespace-trimmed slices of it). A full stop after
    a known abbreviation ("Mr.", "Gen.") or a single initial does not end a sentence."""
    sentences, start = [], 0
    for m in _SENTENCE_END_RE.finditer(text):
        word = text[max(0, text.rfind(" ", 0, m.start()) + 1) : m.start()].lower().lstrip("(\"'“‘")
        if text[m.start()] == "." and (word in _abbreviations() or len(word) == 1):
            continue
        piece = text[start : m.end()].strip()
        if piece:
            sentences.append(piece)
        start = m.end()
    rest = text[start:].strip()
    return sentences + ([rest] if rest else [])


def shorten(sentence: str) -> str:
    """The sentence, or the longest verbatim prefix of it that ends at a clause break and is
    between `min_clause_words` and `clause_words` long."""
    limits = load_config().limits
    if len(sentence.split()) <= limits["clause_words"]:
        return sentence
    best = None
    for m in load_config().clause_break.finditer(sentence):
        head = sentence[: m.start()].rstrip(" ,;:-–—")
        n = len(head.split())
        if n > limits["clause_words"]:
            break
        if n >= limits["min_clause_words"]:
            best = head
    return best or sentence


def _quote_share(sentence: str) -> float:
    quoted = sum(len(m.group(0)) for m in re.finditer(r"[\"“][^\"“”]*[\"”]", sentence))
    return quoted / max(1, len(sentence))


def _make(text: str, post: PostView, index: int, **flags) -> Candidate:
    return Candidate(
        text=text,
        post_id=post.post_id,
        published=post.published,
        post_index=index,
        has_quote=_quote_share(text) > 0.6,
        has_figure=bool(re.search(r"\d", text)),
        **flags,
    )


# An inline list (a flattened recap: "our top stories: - one - two"): items follow a colon and
# are separated by dashes, bullets or semicolons.
_INLINE_ITEM_RE = re.compile(r"(?:^|:|\s)[-–•;]\s+|;\s+")
_INLINE_LIST_RE = re.compile(r":\s+[-–•]\s+\S")


def _body_lines(body: str, recap: bool = False):
    """(text, is_list_item) for every line of a body; a recap post's inline lists are split
    into their items."""
    for paragraph in re.split(r"\n\s*\n", body):
        for line in paragraph.split("\n"):
            line = line.strip()
            if not line:
                continue
            if line.startswith(BULLET_PREFIX):
                yield line[len(BULLET_PREFIX) :].strip(), True
                continue
            inline = recap or bool(_INLINE_LIST_RE.search(line))
            pieces = [x.strip() for x in _INLINE_ITEM_RE.split(line)] if inline else [line]
            pieces = [x for x in pieces if x]
            if len(pieces) == 1:
                yield line, False
                continue
            yield pieces[0], False  # the introduction ("our top stories this evening:")
            for piece in pieces[1:]:
                yield piece, True


def _fits(sentence: str, item: bool) -> bool:
    limits = load_config().limits
    low = limits["min_item_words"] if item else limits["min_words"]
    return (
        low <= len(sentence.split()) <= limits["max_words"]
        and not sentence.rstrip().endswith(":")  # introduces what follows; says nothing itself
        and not sentence.rstrip().endswith("?")  # a question or a teaser, not a statement
        and not load_config().any_meta.search(sentence)
    )


def candidates_of_post(post: PostView, index: int = 0) -> list[Candidate]:
    """The post's title, sentences and list items that may carry news, shortened where
    long."""
    found: list[Candidate] = []
    title_ok = post.title and len(post.title.split()) >= load_config().limits["min_title_words"]
    if title_ok and not post.recap and not is_meta_title(post.title) and _fits(post.title, False):
        found.append(_make(post.title.strip(), post, index, title=True))
    if post.recap and post.title and ":" in post.title:
        # A recap title that lists the headlines: "Headlines: one thing; another thing".
        for piece in _INLINE_ITEM_RE.split(post.title.split(":", 1)[1]):
            piece = piece.strip()
            if piece and _fits(piece, True):
                found.append(_make(piece, post, index, title=True, list_item=True, recap_item=True))
    lead_open = True
    for text, item in _body_lines(post.body, post.recap):
        for sentence in [text] if item else split_sentences(text):
            if not _fits(sentence, item):
                continue
            found.append(
                _make(
                    shorten(sentence),
                    post,
                    index,
                    lead=lead_open and not item,
                    list_item=item,
                    recap_item=item and post.recap,
                )
            )
            lead_open = lead_open and item
    return found


def _tfidf(texts: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # only stop words: nothing to weigh
        return None, None
    return vectorizer, matrix


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _repetition(matrix: sparse.csr_matrix, threshold: float, block: int) -> np.ndarray:
    """For each row, how many other rows have cosine above `threshold` (rows L2-normalised).
    Computed `block` rows at a time: memory block x rows, never rows x rows."""
    n = matrix.shape[0]
    counts = np.zeros(n)
    transposed = matrix.T.tocsc()
    for start in range(0, n, block):
        sims = (matrix[start : start + block] @ transposed).tocsr()  # sparse: only shared words
        sims.data = (sims.data > threshold).astype(np.float64)
        counts[start : start + block] = np.asarray(sims.sum(axis=1)).ravel() - 1  # not itself
    return np.clip(counts, 0, None)


@dataclass
class _PostScores:
    central: np.ndarray
    repeated: np.ndarray
    recap_vector: np.ndarray | None
    centroid: np.ndarray
    title_central: np.ndarray | None = None


def _post_scores(posts: Sequence[PostView], vectorizer, post_matrix) -> _PostScores:
    limits = load_config().limits
    news = [i for i, p in enumerate(posts) if not p.recap] or list(range(len(posts)))
    centroid = _unit(np.asarray(post_matrix[news].mean(axis=0)).ravel())
    recaps = [i for i, p in enumerate(posts) if p.recap]
    recap_vector = _unit(np.asarray(post_matrix[recaps].sum(axis=0)).ravel()) if recaps else None
    return _PostScores(
        central=np.asarray(post_matrix @ centroid).ravel(),
        repeated=_repetition(post_matrix, limits["same_story"], int(limits["block_rows"])),
        recap_vector=recap_vector,
        centroid=centroid,
    )


def _score(
    candidates: list[Candidate],
    posts: Sequence[PostView],
    cand_matrix,
    ps: _PostScores,
    headline: np.ndarray,
) -> None:
    w = load_config().weights
    central = np.asarray(cand_matrix @ ps.centroid).ravel()
    recap = (
        np.asarray(cand_matrix @ ps.recap_vector).ravel()
        if ps.recap_vector is not None
        else np.zeros(len(candidates))
    )
    for i, c in enumerate(candidates):
        post = posts[c.post_index]
        c.score = (
            w["centrality"] * (1 - w["post_share"]) * central[i]
            + w["centrality"] * w["post_share"] * ps.central[c.post_index]
            + w["title_central"] * ps.title_central[c.post_index]
            + w["repetition"] * min(ps.repeated[c.post_index], w["repetition_cap"])
            + (0.0 if post.recap else w["recap"] * recap[i])
            + w["breaking"] * post.breaking
            + w["lead"] * c.lead
            + (0.0 if c.title else w["headline"] * headline[i])
            + w["title"] * c.title
            + w["list_item"] * c.list_item
            + w["recap_item"] * c.recap_item
            + w["routine"] * post.routine
            + w["quote_only"] * c.has_quote
            + w["length"] * max(0, len(c.text.split()) - 20) / 20
        )


def _greedy(candidates: list[Candidate], cand_matrix, post_matrix, n: int) -> list[int]:
    """Maximal marginal relevance: each step takes the candidate whose importance, less its
    likeness to what is already chosen (its own words or its post's), is highest. A candidate
    that repeats a chosen bullet is cited on it instead. Similarity is computed against the
    chosen bullets only: memory O(n), work O(n k)."""
    limits, weights = load_config().limits, load_config().weights
    scores = np.array([c.score for c in candidates])
    post_of = np.array([c.post_index for c in candidates])
    nearest = np.zeros(len(candidates))  # highest similarity to a chosen bullet so far
    open_ = np.ones(len(candidates), dtype=bool)
    chosen: list[int] = []
    while len(chosen) < n and open_.any():
        value = np.where(open_, scores - weights["diversity"] * nearest, -np.inf)
        best = int(np.argmax(value))
        chosen.append(best)
        own = np.asarray((cand_matrix @ cand_matrix[best].T).todense()).ravel()
        post = np.asarray((post_matrix @ post_matrix[post_of[best]].T).todense()).ravel()
        nearest = np.maximum(nearest, np.maximum(own, post[post_of]))
        open_ &= (post_of != post_of[best]) & (own <= limits["same_story"])
    return chosen


def _cite_repeats(candidates: list[Candidate], cand_matrix, chosen: list[int]) -> None:
    """Posts whose sentences say nearly what a chosen bullet says are cited on it too."""
    if not chosen:
        return
    threshold = load_config().limits["cite_also"]
    sims = cand_matrix @ cand_matrix[chosen].T  # sparse, n x k
    rows, cols = (sims > threshold).nonzero()
    for i, k in sorted(zip(rows.tolist(), cols.tolist(), strict=True)):
        bullet = candidates[chosen[k]]
        pid = candidates[i].post_id
        if pid != bullet.post_id and pid not in bullet.also_in:
            bullet.also_in.append(pid)


def select(posts: Sequence[PostView], n: int) -> tuple[list[Candidate], list[Candidate]]:
    """(the chosen candidates, best first; every candidate, scored)."""
    candidates: list[Candidate] = []
    for index, post in enumerate(posts):
        candidates.extend(candidates_of_post(post, index))
    if not candidates:
        return [], []
    vectorizer, post_matrix = _tfidf([f"{p.title or ''}\n{p.body}" for p in posts])
    if vectorizer is None:
        return [], candidates
    cand_matrix = vectorizer.transform([c.text for c in candidates]).tocsr()
    title_matrix = vectorizer.transform([p.title or "" for p in posts]).tocsr()
    post_of = [c.post_index for c in candidates]
    # How far each sentence restates its own post's headline (row-wise cosine, sparse).
    headline = np.asarray(cand_matrix.multiply(title_matrix[post_of]).sum(axis=1)).ravel()
    scores = _post_scores(posts, vectorizer, post_matrix)
    # How central each post's headline is among the headlines: what the desk titled most.
    titled = [i for i, p in enumerate(posts) if p.title and not p.recap] or [0]
    title_centroid = _unit(np.asarray(title_matrix[titled].mean(axis=0)).ravel())
    scores.title_central = np.asarray(title_matrix @ title_centroid).ravel()
    _score(candidates, posts, cand_matrix, scores, headline)
    chosen = _greedy(candidates, cand_matrix, post_matrix.tocsr(), n)
    _cite_repeats(candidates, cand_matrix, chosen)
    return [candidates[i] for i in chosen], candidates
