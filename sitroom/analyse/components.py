"""Groups of claims: the connected components of their joins, kept between runs.

A run that judges again the joins of a few time blocks changes only the components those
joins touch (and those of claims made or gone in this run); every other component, and the
disputes found in it, stays as it was. So a new post costs its own components, not a pass
over every join of the record. A component's joins are kept with the block they were found
in, so that those of a block judged again can be replaced.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from sitroom.analyse.disputes import strongest_first
from sitroom.records import Claim, Dispute

Join = tuple[str, str, str]  # (block, claim id, claim id)


@dataclass
class Components:
    comp_of: dict[str, int] = field(default_factory=dict)  # claim id -> its component
    members: dict[int, list[str]] = field(default_factory=dict)  # in claim order
    joins: dict[int, list[Join]] = field(default_factory=dict)
    disputes: dict[int, list[Dispute]] = field(default_factory=dict)  # empty: none found
    next_id: int = 0

    def _add(self, claims: list[str], joins: list[Join]) -> list[int]:
        """Components of `claims` (in claim order) joined by `joins`; returns their ids."""
        local = {cid: n for n, cid in enumerate(claims)}
        joins = [j for j in joins if j[1] in local and j[2] in local]
        labels = _labels(len(claims), [(local[a], local[b]) for _, a, b in joins])
        first = self.next_id
        if len(claims) and not labels.any():  # one group (a long story): no loop per claim
            self.comp_of.update(dict.fromkeys(claims, first))
            self.members[first], self.joins[first] = list(claims), joins
            self.next_id = first + 1
            return [first]
        for cid, label in zip(claims, labels, strict=True):
            k = first + int(label)
            self.comp_of[cid] = k
            self.members.setdefault(k, []).append(cid)
        for j in joins:
            self.joins.setdefault(self.comp_of[j[1]], []).append(j)
        self.next_id = first + (int(labels.max()) + 1 if len(claims) else 0)
        return sorted(set(int(x) + first for x in labels))

    def _merge(self, ka: int, kb: int, at: dict[str, int]) -> int:
        """Join two components into the larger (claims kept in claim order); its id."""
        keep, gone = (ka, kb) if len(self.members[ka]) >= len(self.members[kb]) else (kb, ka)
        moved = self.members.pop(gone)
        self.comp_of.update(dict.fromkeys(moved, keep))
        self.members[keep] = list(heapq.merge(self.members[keep], moved, key=at.__getitem__))
        self.joins.setdefault(keep, []).extend(self.joins.pop(gone, []))
        self.disputes.pop(gone, None)
        self.disputes.pop(keep, None)
        return keep

    def _drop(self, k: int) -> list[str]:
        """Forget component `k`; its claims' entries in comp_of are left to the caller."""
        self.joins.pop(k, None)
        self.disputes.pop(k, None)
        return self.members.pop(k, [])


def _labels(n: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    ends = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(ends), dtype=np.int8), (ends[:, 0], ends[:, 1])), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def build(claims: list[str], edges: dict[str, list]) -> tuple[Components, list[int]]:
    """The components of every claim (ids in claim order) from every block's joins."""
    comps = Components()
    joins = [(name, a, b) for name, found in edges.items() for a, b in found]
    return comps, comps._add(claims, joins)


def update(
    comps: Components,
    at: dict[str, int],
    old_edges: dict[str, list],
    new_edges: dict[str, list],
    changed: Iterable[str],
) -> list[int]:
    """Bring the components up to date after the blocks in `new_edges` were judged again
    (their joins now, [] where none is left; `old_edges`: their joins before) and the claims
    in `changed` were made, made again or gone. `at`: every current claim's position.
    A component that lost a join or a claim is made again from its joins (it may split);
    a join found anew merges the two it connects; nothing else is touched. Returns the ids
    of the components whose claims changed (their disputes are to be found again)."""
    old = {(a, b): name for name, found in old_edges.items() for a, b in found}
    new = {(a, b): name for name, found in new_edges.items() for a, b in found}
    removed = old.keys() - new.keys()
    changed = set(changed)
    split = {comps.comp_of[c] for pair in removed for c in pair if c in comps.comp_of}
    split |= {comps.comp_of[c] for c in changed.difference(at) if c in comps.comp_of}
    made: set[int] = set()
    if split:
        joins = [j for k in split for j in comps.joins.get(k, ()) if (j[1], j[2]) not in removed]
        loose: set[str] = set()
        for k in split:
            loose.update(comps._drop(k))
        for cid in loose.difference(at):  # gone: in no component any more
            comps.comp_of.pop(cid, None)
        made.update(comps._add(sorted(loose.intersection(at), key=at.__getitem__), joins))
    for cid in sorted((c for c in changed if c in at and c not in comps.comp_of), key=at.get):
        made.update(comps._add([cid], []))  # a new claim stands alone until a join takes it in
    for pair in new.keys() - old.keys():
        ka, kb = comps.comp_of.get(pair[0]), comps.comp_of.get(pair[1])
        if ka is None or kb is None:
            continue
        k = ka if ka == kb else comps._merge(ka, kb, at)
        comps.joins.setdefault(k, []).append((new[pair], *pair))
        if ka != kb:
            made.difference_update((ka, kb))
            made.add(k)
    made |= {comps.comp_of[c] for c in changed if c in at}  # made again: new words
    return sorted(k for k in made if k in comps.members)


def settle_disputes(
    comps: Components,
    made: list[int],
    spoken: list[Claim],
    at: dict[str, int],
    find: Callable[[list[list[Claim]]], list[Dispute]],
) -> list[Dispute]:
    """Find the disputes of the components made (each group on its own), and return every
    component's, in the order one pass over all groups gives: groups by their first claim
    (`at`: each claim's position in `spoken`), then as `find` orders them."""
    for k in made:
        ids = comps.members[k]
        comps.disputes[k] = find([[spoken[at[cid]] for cid in ids]]) if len(ids) > 1 else []
    with_some = sorted(
        (k for k, found in comps.disputes.items() if found), key=lambda k: at[comps.members[k][0]]
    )
    return strongest_first([d for k in with_some for d in comps.disputes[k]])
