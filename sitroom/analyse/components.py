"""Groups of claims: the connected components of their joins, kept between runs.

A run that judges again the joins of a few time blocks changes only the components those
joins touch (and those of claims made or gone in this run); every other component, and the
disputes found in it, stays as it was. So a new post costs its own components, not a pass
over every join of the record. A component's joins are kept with the block they were found
in, so that those of a block judged again can be replaced.
"""

from __future__ import annotations

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
    """Recompute the components that the blocks judged again (`new_edges` holds each of
    them, [] where a block has no joins left; `old_edges` their joins before) and the claims
    made or gone (`changed`) touch. `at`: every current claim's position. Returns the ids
    of the components made."""
    hit: set[int] = set()
    for found in (*(old_edges.get(name, []) for name in new_edges), *new_edges.values()):
        for a, b in found:
            hit.update(k for k in (comps.comp_of.get(a), comps.comp_of.get(b)) if k is not None)
    loose = set()
    for cid in changed:
        k = comps.comp_of.get(cid)
        if k is not None:
            hit.add(k)
        loose.add(cid)
    kept_joins = [j for k in hit for j in comps.joins.get(k, ()) if j[0] not in new_edges]
    for k in hit:
        loose.update(comps._drop(k))
    for cid in loose.difference(at):  # gone: no longer in any component
        comps.comp_of.pop(cid, None)
    claims = sorted(loose.intersection(at), key=at.__getitem__)
    joins = kept_joins + [(name, a, b) for name, found in new_edges.items() for a, b in found]
    return comps._add(claims, joins)


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
