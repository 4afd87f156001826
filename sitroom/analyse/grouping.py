"""Which claims are about the same proposition: nearest neighbours within time blocks.

Claims are cut into blocks of `group_days` (sitroom/data/analysis.yaml), each block with the
claims of the block before it, so two claims at most `group_days` apart always meet. Within a
block, each claim's `neighbours` nearest claims (cosine of sentence embeddings, from a
scikit-learn NearestNeighbors index) are candidates; a pair joins when both are about the same event (the signal or
its opposite) and somewhat close (`signal_cosine`), or when neither names an event and they
are close (`group_cosine`) and share content words (`group_overlap`). Memory and time grow with n·k, never n×n.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.neighbors import NearestNeighbors

from sitroom.analyse.catalogue import analysis_words, indicator
from sitroom.analyse.matching import lexical
from sitroom.records import Claim

UNDATED = -1


def frame(signal: str | None) -> str | None:
    """A signal and its opposite are one frame (named by the first of the two ids)."""
    if signal is None:
        return None
    ind = indicator(signal)
    if ind is not None and ind.opposite:
        return min(signal, ind.opposite)
    return signal


def _blocks(times: list[datetime | None], days: int) -> dict[int, list[int]]:
    blocks: dict[int, list[int]] = defaultdict(list)
    for n, t in enumerate(times):
        blocks[t.toordinal() // days if t else UNDATED].append(n)
    return blocks


def _link(a: Claim, b: Claim, cosine: float, words: dict) -> bool:
    """Claims about one event (signal or its opposite) join when somewhat close; claims
    about no catalogue event join when close and sharing content words; never across."""
    fa = frame(a.signals[0]) if a.signals else None
    fb = frame(b.signals[0]) if b.signals else None
    if fa is not None or fb is not None:
        return fa == fb and cosine >= words["signal_cosine"]
    if cosine < words["group_cosine"] or lexical(a.text, b.text) < words["group_overlap"]:
        return False
    # Close claims on one topic may still say different things of it ("the dam is safe",
    # "the floodgates were opened"): they must say it with the same verb, or be very close.
    return _predicate(a) == _predicate(b) or cosine >= words["same_cosine"]


def _predicate(claim: Claim) -> str | None:
    return claim.predicate.split()[-1] if claim.predicate else None


def _close_in_time(a: datetime | None, b: datetime | None, days: int) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs((a - b).total_seconds()) <= days * 86400


def group_claims(
    claims: list[Claim],
    vectors: np.ndarray,
    progress: Callable[[int, int], None] | None = None,
    undated: dict[str, datetime] | None = None,
) -> list[list[Claim]]:
    """Groups of claims about one proposition; `vectors` holds the claims' embeddings. A claim
    without a time (a page's summary block) is placed at `undated[claim id]` (its page's
    latest update) when given."""
    words = analysis_words()
    days = int(words["group_days"])
    sub, vecs = claims, vectors
    times = [c.time or (undated or {}).get(c.id) for c in sub]
    edges: list[tuple[int, int]] = []
    blocks = _blocks(times, days)
    for step, (block, members) in enumerate(sorted(blocks.items())):
        pool = members + (blocks.get(block - 1, []) if block != UNDATED else [])
        if len(pool) < 2:
            continue
        k = min(int(words["neighbours"]) + 1, len(pool))
        index = NearestNeighbors(n_neighbors=k, metric="cosine").fit(vecs[pool])
        distances, neighbours = index.kneighbors(vecs[members])
        for row, i in enumerate(members):
            for dist, col in zip(distances[row], neighbours[row], strict=True):
                j = pool[col]
                if j == i or not _close_in_time(times[i], times[j], days):
                    continue
                if _link(sub[i], sub[j], 1.0 - float(dist), words):
                    edges.append((i, j))
        if progress:
            progress(step + 1, len(blocks))
    groups: dict[int, list[Claim]] = defaultdict(list)
    for c, label in zip(sub, _components(len(sub), edges), strict=True):
        groups[int(label)].append(c)
    return list(groups.values())


def _components(n: int, edges: list[tuple[int, int]]) -> np.ndarray:
    """The connected component of each of `n` claims linked by `edges`."""
    rows = [i for i, _ in edges]
    cols = [j for _, j in edges]
    graph = coo_matrix((np.ones(len(edges)), (rows, cols)), shape=(n, n))
    return connected_components(graph, directed=False)[1]
