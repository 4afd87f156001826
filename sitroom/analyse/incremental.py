"""The stored record's analysis, redone only where the record changed.

A post's claims, figures and place are kept with the stamp of what they were made from (its
latest version, that version's enrichment, its page's newest time for claims without one):
a post whose stamp is unchanged is not read, parsed or embedded again. Grouping keeps, per
time block, each claim's nearest neighbours and whether each pair joined; a new or removed
claim in block b changes the neighbours of the claims of blocks b and b+1 only (their pools
hold it), so only those are queried again, and only pairs not judged before are judged.
Groups are the connected components of all kept joins; disputes are recomputed for groups
of two or more claims, events and the daily and hourly index from the claims' events.

The result equals a from-scratch `analyse_documents` over the record in the store's order
(documents by id, posts by position): the same claims, groups, disputes, events, indicator
points and series (tests/test_analyse_incremental.py analyses post by post and at once).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.neighbors import NearestNeighbors

from sitroom.analyse.catalogue import analysis_words
from sitroom.analyse.claims import extract_claims, reading_key
from sitroom.analyse.disputes import find_disputes
from sitroom.analyse.grouping import UNDATED, _blocks, _close_in_time, _link
from sitroom.analyse.indicators import find_events, indicator_index
from sitroom.analyse.quantities import FigureAt, document_figures, quantity_series
from sitroom.records import Analysis, Claim, Dispute, Figure
from sitroom.store import Store
from sitroom.store.analysis import RunState
from sitroom.util.jsonable import from_iso, to_iso
from sitroom.util.progress import Progress

# Characters of a figure's post text kept either side of it: what its series label reads.
CONTEXT_CHARS = 240


@dataclass
class _Plan:
    """What this run redoes: posts whose claims are made again, claims that went away."""

    base: str  # key prefix of this analyser's kept state
    rows: dict[str, Any]  # post id -> its row (document_id, position, published, stamp)
    latest: dict[int, datetime]  # document id -> its newest post time
    kept: dict[str, dict]  # post id -> kept state of the post
    changed: set[str] = field(default_factory=set)
    old_claims: dict[str, list[Claim]] = field(default_factory=dict)  # post id -> claims
    edges: dict[str, list] | None = None  # block -> its joined pairs, when held in memory
    quiet: set[tuple] = field(default_factory=set)  # groups known to give no dispute


@dataclass
class Memo:
    """A run's state as the process that made it holds it (a server, `follow`): its next
    run there reads none of it back from the store, only what changed."""

    base: str
    kept: dict[str, dict]  # post id -> kept state of the post
    claims: dict[str, list[Claim]]  # post id -> its claims
    edges: dict[str, list]  # block -> its joined pairs
    quiet: set[tuple]  # groups (their claims' ids) that give no dispute

    def keep(self, store: Store, key: str) -> None:
        """Hold this state for `store`, saved at analysis key `key`."""
        _MEMO[str(store.path)] = (key, self)


# The last run's state per store, while the analysis saved in the store is that run's.
_MEMO: dict[str, tuple[str, Memo]] = {}


def _remembered(store: Store, base: str) -> Memo | None:
    key, memo = _MEMO.get(str(store.path), ("", None))
    if memo is None or memo.base != base or store.analysis_run_key() != key:
        return None  # another process saved since, or another analyser
    return memo


def run_id(prefix: str) -> str:
    return hashlib.sha1(prefix.encode()).hexdigest()[:10]


def _block(t: datetime | None, days: int) -> int:
    return t.toordinal() // days if t else UNDATED


def _plan(store: Store, prefix: str) -> _Plan:
    base = f"run:{run_id(prefix)}:"
    rows = {r["id"]: r for r in store.analysed_posts()}
    latest: dict[int, datetime] = {}
    for r in rows.values():
        t = from_iso(r["published"]) if r["published"] else None
        if t and (r["document_id"] not in latest or t > latest[r["document_id"]]):
            latest[r["document_id"]] = t
    memo = _remembered(store, base)
    if memo is not None:
        plan = _Plan(base, rows, latest, memo.kept, old_claims=memo.claims)
        plan.edges, plan.quiet = dict(memo.edges), memo.quiet
    else:
        kept = {k[len(base) + 2 :]: v for k, v in store.kept_state(base + "p:").items()}
        plan = _Plan(base, rows, latest, kept)
        if kept:
            for c in store.saved_claims():
                plan.old_claims.setdefault(c.post_id, []).append(c)
    for pid, r in rows.items():
        k = plan.kept.get(pid)
        newest = to_iso(latest.get(r["document_id"]))
        undated = any(c.time is None for c in plan.old_claims.get(pid, []))
        if k is None or k["stamp"] != r["stamp"] or (undated and k["latest"] != newest):
            plan.changed.add(pid)
    return plan


def _figure_row(item: FigureAt) -> dict:
    """A figure with the part of its post text around it (offsets moved to match)."""
    f, text = item.figure, item.context or ""
    cut = max(0, f.start - CONTEXT_CHARS)
    moved = dataclasses.replace(f, start=f.start - cut, end=f.end - cut)
    context = text[cut : f.end + CONTEXT_CHARS] if item.context is not None else None
    return {"figure": dataclasses.asdict(moved), "time": to_iso(item.time),
            "post_id": item.post_id, "source": item.source, "context": context}  # fmt: skip


def _figure_at(row: dict) -> FigureAt:
    return FigureAt(
        Figure(**row["figure"]), from_iso(row["time"]), row["post_id"], row["source"],
        row["context"],
    )  # fmt: skip


def _extract(store: Store, plan: _Plan, progress: Progress | None) -> dict[str, dict]:
    """Claims, figures and place of every changed post: post id -> its new kept state, with
    its claims (objects, not yet read) under "claims"."""
    by_doc: dict[int, set[str]] = defaultdict(set)
    for pid in plan.changed:
        by_doc[plan.rows[pid]["document_id"]].add(pid)
    out: dict[str, dict] = {}
    for n, (doc_id, pids) in enumerate(sorted(by_doc.items())):
        doc = store.document_record(doc_id)
        enrichment = store.enrichment_for_document(doc_id)
        ids = store.document_post_ids(doc_id)
        doc.posts = [p for p in doc.posts if ids.get(p.key, p.key) in pids]
        claims, figures = (
            extract_claims(doc, enrichment, ids),
            document_figures(doc, enrichment, ids),
        )
        for post in doc.posts:
            pid = ids.get(post.key, post.key)
            result = enrichment.get(post.key)
            out[pid] = {
                "stamp": plan.rows[pid]["stamp"],
                "latest": to_iso(plan.latest.get(doc_id)),
                "claims": [c for c in claims if c.post_id == pid],
                "figures": [_figure_row(f) for f in figures if f.post_id == pid],
                "place": result.places[0].canonical if result and result.places else None,
            }
        if progress:
            progress(n + 1, len(by_doc), "finding claims")
    return out


@dataclass
class _Grouping:
    """The claims with a speaker and their blocks, before and after this run."""

    spoken: list[Claim]
    times: list[datetime | None]
    new: set[str]  # ids of claims made in this run
    touched: set[int]  # blocks whose claims are queried again


def _touched_blocks(plan: _Plan, new: list[Claim], eff, days: int) -> set[int]:
    touched: set[int] = set()

    def touch(t: datetime | None) -> None:
        b = _block(t, days)
        touched.update({b} if b == UNDATED else {b, b + 1})

    for c in new:
        if c.actor:
            touch(eff(c))
    for pid, claims in plan.old_claims.items():
        if pid in plan.changed or pid not in plan.rows:
            for c in claims:
                if c.actor:
                    touch(c.time or from_iso(plan.kept.get(pid, {}).get("latest")))
    return touched


def _vectors(store: Store, prefix: str, claims: list[Claim], fresh: dict[str, np.ndarray]):
    need: dict[str, list[str]] = defaultdict(list)  # claims of the same words share one
    for c in claims:
        if c.id not in fresh:
            need[prefix + reading_key(c)].append(c.id)
    out = dict(fresh)
    for k, (_, v) in store.claim_readings(sorted(need)).items():
        out.update(dict.fromkeys(need[k], v))
    return out


def _query_block(
    g: _Grouping, members: list[int], pool: list[int], vecs: dict[str, np.ndarray],
    judged: dict[str, dict[str, bool]], words: dict,
) -> tuple[dict[str, list], list[list[str]]]:  # fmt: skip
    """Each member's nearest claims in the pool, and the pairs that join (judged pairs of
    unchanged claims are not judged again)."""
    days = int(words["group_days"])
    k = min(int(words["neighbours"]) + 1, len(pool))
    matrix = np.vstack([vecs[g.spoken[j].id] for j in pool])
    index = NearestNeighbors(n_neighbors=k, metric="cosine").fit(matrix)
    distances, neighbours = index.kneighbors(matrix[: len(members)])
    seen: dict[str, list] = {}
    edges: list[list[str]] = []
    for row, i in enumerate(members):
        a = g.spoken[i]
        before = {} if a.id in g.new else judged.get(a.id, {})
        mine = []
        for dist, col in zip(distances[row], neighbours[row], strict=True):
            j = pool[col]
            if j == i or not _close_in_time(g.times[i], g.times[j], days):
                continue
            b = g.spoken[j]
            joined = before.get(b.id) if b.id not in g.new else None
            if joined is None:
                joined = _link(a, b, 1.0 - float(dist), words)
            mine.append([b.id, joined])
            if joined:
                edges.append([a.id, b.id])
        seen[a.id] = mine
    return seen, edges


def _regroup(store: Store, plan: _Plan, g: _Grouping, fresh, prefix: str, progress):
    """Query the touched blocks again; returns (state rows to write, keys to drop, edges)."""
    words = analysis_words()
    blocks = _blocks(g.times, int(words["group_days"]))
    write: dict[str, Any] = {}
    drop: list[str] = []
    edges = plan.edges
    if edges is None:
        edges = {k[len(plan.base) + 2 :]: v for k, v in store.kept_state(plan.base + "e:").items()}
    pools = {b: blocks.get(b, []) + (blocks.get(b - 1, []) if b != UNDATED else [])
             for b in g.touched if blocks.get(b)}  # fmt: skip
    wanted = sorted({j for pool in pools.values() for j in pool})
    vecs = _vectors(store, prefix, [g.spoken[j] for j in wanted], fresh)
    wanted_rows = [plan.base + "n:" + str(b) for b in sorted(g.touched)]
    judged_rows = {k: v for k, (v, _) in store.claim_readings(wanted_rows).items()}
    for step, b in enumerate(sorted(g.touched)):
        name = str(b)
        if b not in pools or len(pools[b]) < 2:
            edges.pop(name, None)
            drop += [plan.base + "e:" + name, plan.base + "n:" + name]
            continue
        judged = judged_rows.get(plan.base + "n:" + name, {})
        judged = {a: {n: j for n, j in nbrs} for a, nbrs in judged.items()}
        seen, found = _query_block(g, blocks[b], pools[b], vecs, judged, words)
        edges[name] = found
        write[plan.base + "e:" + name], write[plan.base + "n:" + name] = found, seen
        if progress:
            progress(step + 1, len(g.touched), "grouping claims")
    return write, drop, edges


def _components(spoken: list[Claim], edges: dict[str, list]) -> list[list[Claim]]:
    """Connected components of the joins, each in claim order, ordered by first claim."""
    at = {c.id: n for n, c in enumerate(spoken)}
    pairs = [(at[a], at[b]) for found in edges.values() for a, b in found if a in at and b in at]
    ends = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix(
        (np.ones(len(ends), dtype=np.int8), (ends[:, 0], ends[:, 1])),
        shape=(len(spoken), len(spoken)),
    )
    _, labels = connected_components(graph, directed=False)
    groups: dict[int, list[Claim]] = defaultdict(list)
    for n, c in enumerate(spoken):
        groups[int(labels[n])].append(c)
    return list(groups.values())


def _disputes(
    groups: list[list[Claim]], quiet: set[tuple], new: set[str]
) -> tuple[list[Dispute], set[tuple]]:
    """The disputes of these groups, and the groups (their claims' ids) that give none. A
    group known to give none (in `quiet`, and with no claim made in this run) is not looked
    at again: leaving out groups without a dispute changes nothing else."""
    asked, still = [], set()
    for g in groups:
        if len(g) > 1 and (_sig(g) not in quiet or any(c.id in new for c in g)):
            asked.append(g)
        elif len(g) > 1:
            still.add(_sig(g))
    disputes = find_disputes(asked)
    group_of = {c.id: n for n, g in enumerate(asked) for c in g}
    gave = {group_of[d.asserts[0].claims[0]] for d in disputes}
    return disputes, still | {_sig(g) for n, g in enumerate(asked) if n not in gave}


def _sig(group: list[Claim]) -> tuple[str, ...]:
    return tuple(c.id for c in group)


def _ordered_claims(plan: _Plan, made: dict[str, dict]) -> list[Claim]:
    claims: list[Claim] = []
    for pid in plan.rows:  # documents by id, posts by position: the from-scratch order
        if pid in made:
            claims += made[pid]["claims"]
        else:
            order = {cid: n for n, cid in enumerate(plan.kept[pid]["order"])}
            claims += sorted(plan.old_claims.get(pid, []), key=lambda c: order.get(c.id, 0))
    return claims


def update_analysis(
    store: Store, prefix: str, read_and_embed, links, progress: Progress | None = None
) -> tuple[Analysis, RunState, Memo]:
    """The analysis of the record, redoing only what changed since the kept state; returns
    it with what to keep for the next run (store.save_analysis_state) and the same state
    for this process to hold once it is saved (Memo.keep)."""
    plan = _plan(store, prefix)
    made = _extract(store, plan, progress)
    new_claims = [c for m in made.values() for c in m["claims"]]
    fresh_vectors = read_and_embed(new_claims, store, progress)
    fresh = dict(zip([c.id for c in new_claims if c.actor], fresh_vectors, strict=True))
    claims = _ordered_claims(plan, made)
    days = int(analysis_words()["group_days"])

    def eff(c: Claim) -> datetime | None:
        return c.time or plan.latest.get(plan.rows[c.post_id]["document_id"])

    spoken = [c for c in claims if c.actor]
    g = _Grouping(
        spoken, [eff(c) for c in spoken], {c.id for c in new_claims},
        _touched_blocks(plan, new_claims, eff, days),
    )  # fmt: skip
    write, drop, edges = _regroup(store, plan, g, fresh, prefix, progress)
    disputes, quiet = _disputes(_components(spoken, edges), plan.quiet, g.new)
    places, figures = {}, []
    for pid in plan.rows:
        state = made.get(pid) or plan.kept[pid]
        if state["place"]:
            places[pid] = state["place"]
        figures += [_figure_at(f) for f in state["figures"]]
    for pid, state in made.items():
        row = {k: v for k, v in state.items() if k != "claims"}
        write[plan.base + "p:" + pid] = {**row, "order": [c.id for c in state["claims"]]}
    drop += [plan.base + "p:" + pid for pid in plan.kept if pid not in plan.rows]
    events = find_events(claims, places)
    analysis = Analysis(
        claims=claims,
        links=links(disputes, claims),
        disputes=disputes,
        events=events,
        indicators=indicator_index(events),
        quantities=quantity_series(figures),
        hourly=indicator_index(events, hourly=True),
    )
    # Claims of other posts are as saved; with nothing kept, the saved claims are another
    # analyser's and all are replaced.
    posts = plan.changed | (set(plan.kept) - set(plan.rows)) if plan.kept else None
    memo = _memo(plan, claims, write, edges, quiet)
    return analysis, RunState(write, drop, posts), memo


def _memo(plan: _Plan, claims: list[Claim], write: dict[str, Any], edges, quiet) -> Memo:
    kept = {pid: v for pid, v in plan.kept.items() if pid in plan.rows}
    mark = plan.base + "p:"
    kept.update({k[len(mark) :]: v for k, v in write.items() if k.startswith(mark)})
    by_post: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_post[c.post_id].append(c)
    return Memo(plan.base, kept, dict(by_post), edges, quiet)
