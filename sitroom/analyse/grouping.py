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
from sitroom.analyse.matching import conflicting_parties, lexical, parties
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


def _about_position(claim: Claim) -> bool:
    ind = indicator(claim.signals[0]) if claim.signals else None
    return bool(ind and ind.positions)


def _edges(
    sub: list[Claim],
    vecs: np.ndarray,
    times: list[datetime | None],
    indices: list[int],
    days: int,
    words: dict,
    progress: Callable[[int, int], None] | None,
) -> list[tuple[int, int]]:
    """Links among the claims `indices`, each looked for among its nearest neighbours in its
    block of `days` and the block before."""
    edges: list[tuple[int, int]] = []
    blocks = _blocks([times[i] for i in indices], days)
    for step, (block, positions) in enumerate(sorted(blocks.items())):
        members = [indices[p] for p in positions]
        pool = members + [indices[p] for p in blocks.get(block - 1, [])] * (block != UNDATED)
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
    return edges


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
    sub, vecs = claims, vectors
    times = [c.time or (undated or {}).get(c.id) for c in sub]
    # Claims about positions and the rest never link to each other (one frame per link), so
    # each set is blocked by its own window.
    held = [i for i, c in enumerate(sub) if _about_position(c)]
    rest = sorted(set(range(len(sub))) - set(held))
    edges = _edges(sub, vecs, times, held, int(words["position_days"]), words, None)
    edges += _edges(sub, vecs, times, rest, int(words["group_days"]), words, progress)
    members_of: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(_components(len(sub), edges)):
        members_of[int(label)].append(i)
    return [
        [sub[i] for i in part]
        for members in members_of.values()
        for part in split_by_direction(sub, members, vecs)
    ]


def split_by_direction(
    claims: list[Claim], members: list[int], vecs: np.ndarray
) -> list[list[int]]:
    """A group about a directed event (catalogue `directed`: who does it to whom) cut into
    one group per direction: claims that name the parties go with the claims they agree
    with; a claim that names none joins the part of its most similar claim that does."""
    signals = [claims[i].signals[0] for i in members if claims[i].signals]
    ind = indicator(signals[0]) if signals else None
    if ind is None or not ind.directed:
        return [members]
    keyed = {i: parties(claims[i]) for i in members}
    keyed = {i: p for i, p in keyed.items() if p[0] or p[1]}
    parts: list[list[int]] = []
    for i in keyed:
        home = next(
            (p for p in parts if not any(conflicting_parties(keyed[i], keyed[j]) for j in p)), None
        )
        if home is None:
            parts.append([i])
        else:
            home.append(i)
    if len(parts) < 2:
        return [members]
    for i in members:
        if i not in keyed:
            nearest = max(keyed, key=lambda j: float(vecs[i] @ vecs[j]))
            next(p for p in parts if nearest in p).append(i)
    return [sorted(p) for p in parts]


def _components(n: int, edges: list[tuple[int, int]]) -> np.ndarray:
    """The connected component of each of `n` claims linked by `edges`."""
    rows = [i for i, _ in edges]
    cols = [j for _, j in edges]
    graph = coo_matrix((np.ones(len(edges)), (rows, cols)), shape=(n, n))
    return connected_components(graph, directed=False)[1]
