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
from itertools import chain
from typing import Any

import numpy as np
from sklearn.neighbors import NearestNeighbors

from sitroom.analyse.catalogue import analysis_words
from sitroom.analyse.claims import extract_claims, reading_key
from sitroom.analyse.components import Components, build, settle_disputes, update
from sitroom.analyse.disputes import find_disputes
from sitroom.analyse.grouping import UNDATED, _blocks, _close_in_time, _link
from sitroom.analyse.indicators import find_events, indicator_index
from sitroom.analyse.quantities import FigureAt, document_figures, quantity_key, series_of
from sitroom.records import Analysis, Claim, Dispute, Event, Figure
from sitroom.store import Store
from sitroom.store.analysis import RunState
from sitroom.util.jsonable import from_iso, to_iso
from sitroom.util.progress import Progress

# Characters of a figure's post text kept either side of it: what its series label reads.
CONTEXT_CHARS = 240


@dataclass
class _Rows:
    """The record's current posts as a run read them."""

    marks: tuple[int, str, int]  # the store's marks before they were read
    by_doc: dict[int, list[Any]]  # document id -> its posts' rows, by position
    latest: dict[int, datetime]  # document id -> its newest post time


@dataclass
class _Plan:
    """What this run redoes: posts whose claims are made again, claims that went away."""

    base: str  # key prefix of this analyser's kept state
    rows: dict[str, Any]  # post id -> its row (document_id, position, published, stamp)
    latest: dict[int, datetime]  # document id -> its newest post time
    kept: dict[str, dict]  # post id -> kept state of the post
    now: _Rows
    changed: set[str] = field(default_factory=set)
    old_claims: dict[str, list[Claim]] = field(default_factory=dict)  # post id -> claims
    edges: dict[str, list] | None = None  # block -> its joined pairs, when held in memory
    held: Memo | None = None  # the last run's state, when this process holds it


@dataclass
class Memo:
    """A run's state as the process that made it holds it (a server, `follow`): its next
    run there reads none of it back from the store, only what changed."""

    base: str
    kept: dict[str, dict]  # post id -> kept state of the post
    claims: dict[str, list[Claim]]  # post id -> its claims, in order
    edges: dict[str, list]  # block -> its joined pairs
    groups: Components  # the groups (connected components of the joins) and their disputes
    figures: dict[str, list[tuple[FigureAt, tuple | None]]]  # post id -> figures, quantity keys
    events: dict[str, list[Event]]  # post id -> the events its claims count as
    rows: _Rows  # the posts the run read
    series: dict  # quantity key -> its figures and series (quantities.series_of)
    saved: Analysis  # the analysis this run saved

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


def _latest(rows: list[Any]) -> datetime | None:
    return max((from_iso(r["published"]) for r in rows if r["published"]), default=None)


def _rows_now(store: Store, memo: Memo | None) -> tuple[_Rows, set[int] | None]:
    """The record's current posts by document, and the documents that may have changed
    (None: any). A process holding the last run reads only the documents changed since."""
    marks = store.analysis_marks()  # first: what changes while this run reads is seen next
    if memo is not None and memo.rows.marks[2] == marks[2]:  # no post gone or back
        docs = store.documents_changed_since(*memo.rows.marks[:2])
        by_doc, latest = dict(memo.rows.by_doc), dict(memo.rows.latest)
        for d in docs:
            by_doc.pop(d, None)
            latest.pop(d, None)
        for r in store.analysed_posts(docs):
            by_doc.setdefault(r["document_id"], []).append(r)
        for d in docs:
            if d in by_doc and (t := _latest(by_doc[d])) is not None:
                latest[d] = t
        return _Rows(marks, dict(sorted(by_doc.items())), latest), set(docs)
    by_doc = {}
    for r in store.analysed_posts():
        by_doc.setdefault(r["document_id"], []).append(r)
    latest = {d: t for d, rows in by_doc.items() if (t := _latest(rows)) is not None}
    return _Rows(marks, by_doc, latest), None


def _plan(store: Store, prefix: str) -> _Plan:
    base = f"run:{run_id(prefix)}:"
    memo = _remembered(store, base)
    now, docs = _rows_now(store, memo)
    rows = {r["id"]: r for posts in now.by_doc.values() for r in posts}
    if memo is not None:
        plan = _Plan(base, rows, now.latest, memo.kept, now, old_claims=memo.claims)
        plan.edges, plan.held = dict(memo.edges), memo
    else:
        kept = {k[len(base) + 2 :]: v for k, v in store.kept_state(base + "p:").items()}
        plan = _Plan(base, rows, now.latest, kept, now)
        if kept:
            for c in store.saved_claims():
                plan.old_claims.setdefault(c.post_id, []).append(c)
    # Posts of documents not changed since the last run are as it left them.
    maybe = rows if docs is None else (r["id"] for d in docs for r in now.by_doc.get(d, []))
    for pid in maybe:
        r = rows[pid]
        k = plan.kept.get(pid)
        newest = to_iso(now.latest.get(r["document_id"]))
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
        ids, joins = [], []  # kept as two lists: a first run holds them for every claim
        for dist, col in zip(distances[row], neighbours[row], strict=True):
            j = pool[col]
            if j == i or not _close_in_time(g.times[i], g.times[j], days):
                continue
            b = g.spoken[j]
            joined = before.get(b.id) if b.id not in g.new else None
            if joined is None:
                joined = _link(a, b, 1.0 - float(dist), words)
            ids.append(b.id)
            joins.append("1" if joined else "0")
            if joined:
                edges.append([a.id, b.id])
        seen[a.id] = [ids, "".join(joins)]
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
        judged = {a: dict(zip(ids, (j == "1" for j in bits), strict=True))
                  for a, (ids, bits) in judged.items()}  # fmt: skip
        seen, found = _query_block(g, blocks[b], pools[b], vecs, judged, words)
        edges[name] = found
        write[plan.base + "e:" + name], write[plan.base + "n:" + name] = found, seen
        if progress:
            progress(step + 1, len(g.touched), "grouping claims")
    return write, drop, edges


def _groups_and_disputes(
    plan: _Plan, g: _Grouping, edges: dict[str, list]
) -> tuple[list[Dispute], Components]:
    """The disputes of the groups: with the last run's groups held, only the groups that
    this run's joins or claims touch are made and searched again (analyse/components.py)."""
    at = {c.id: n for n, c in enumerate(g.spoken)}
    held = plan.held
    if held is None:
        comps, fresh = build([c.id for c in g.spoken], edges)
    else:
        comps = held.groups
        touched = {str(b) for b in g.touched}
        gone = {c.id for pid in plan.changed | (set(plan.kept) - set(plan.rows))
                for c in plan.old_claims.get(pid, [])}  # fmt: skip
        fresh = update(
            comps, at, {n: held.edges.get(n, []) for n in touched},
            {n: edges.get(n, []) for n in touched}, gone | g.new,
        )  # fmt: skip
    return settle_disputes(comps, fresh, g.spoken, at, find_disputes), comps


def _claims_by_post(plan: _Plan, made: dict[str, dict]) -> dict[str, list[Claim]]:
    """Each post's claims in the from-scratch order (documents by id, posts by position)."""
    by_post: dict[str, list[Claim]] = {}
    for pid in plan.rows:
        if pid in made:
            by_post[pid] = made[pid]["claims"]
        elif plan.held is not None:  # held in order
            by_post[pid] = plan.old_claims.get(pid, [])
        else:
            order = {cid: n for n, cid in enumerate(plan.kept[pid]["order"])}
            by_post[pid] = sorted(plan.old_claims.get(pid, []), key=lambda c: order.get(c.id, 0))
    return by_post


def _figures_by_post(plan: _Plan, made: dict[str, dict]) -> dict[str, list[tuple[FigureAt, Any]]]:
    """Each post's figures with their quantity keys: held, or read from the kept rows."""
    out: dict[str, list[tuple[FigureAt, Any]]] = {}
    held = plan.held.figures if plan.held is not None else {}
    for pid in plan.rows:
        state = made.get(pid) or plan.kept[pid]
        if pid not in made and pid in held:
            out[pid] = held[pid]
        elif state["figures"]:
            out[pid] = [(f, quantity_key(f.figure, f.context))
                        for f in map(_figure_at, state["figures"])]  # fmt: skip
    return out


def _events_by_post(
    plan: _Plan, made: dict[str, dict], by_post: dict[str, list[Claim]], places: dict[str, str]
) -> dict[str, list[Event]]:
    held = plan.held.events if plan.held is not None else {}
    out: dict[str, list[Event]] = {}
    for pid, claims in by_post.items():
        if pid not in made and pid in held:
            out[pid] = held[pid]
        elif claims:
            out[pid] = find_events(claims, places)
    return out


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
    by_post = _claims_by_post(plan, made)
    claims = list(chain.from_iterable(by_post.values()))
    days = int(analysis_words()["group_days"])

    def eff(c: Claim) -> datetime | None:
        return c.time or plan.latest.get(plan.rows[c.post_id]["document_id"])

    spoken = [c for c in claims if c.actor]
    g = _Grouping(
        spoken, [eff(c) for c in spoken], {c.id for c in new_claims},
        _touched_blocks(plan, new_claims, eff, days),
    )  # fmt: skip
    write, drop, edges = _regroup(store, plan, g, fresh, prefix, progress)
    disputes, comps = _groups_and_disputes(plan, g, edges)
    places = {}
    for pid in plan.rows:
        state = made.get(pid) or plan.kept[pid]
        if state["place"]:
            places[pid] = state["place"]
    figures = _figures_by_post(plan, made)
    events_by_post = _events_by_post(plan, made, by_post, places)
    for pid, state in made.items():
        row = {k: v for k, v in state.items() if k != "claims"}
        write[plan.base + "p:" + pid] = {**row, "order": [c.id for c in state["claims"]]}
    drop += [plan.base + "p:" + pid for pid in plan.kept if pid not in plan.rows]
    events = list(chain.from_iterable(events_by_post.values()))
    made_series = dict(plan.held.series) if plan.held is not None else {}
    analysis = Analysis(
        claims=claims,
        links=links(disputes, claims),
        disputes=disputes,
        events=events,
        indicators=indicator_index(events),
        quantities=series_of(chain.from_iterable(figures.values()), made=made_series),
        hourly=indicator_index(events, hourly=True),
    )
    # Claims of other posts are as saved; with nothing kept, the saved claims are another
    # analyser's and all are replaced.
    posts = plan.changed | (set(plan.kept) - set(plan.rows)) if plan.kept else None
    kept = {pid: v for pid, v in plan.kept.items() if pid in plan.rows}
    kept.update({pid: write[plan.base + "p:" + pid] for pid in made})
    memo = Memo(plan.base, kept, by_post, edges, comps, figures, events_by_post, plan.now,
                made_series, analysis)  # fmt: skip
    run = RunState(write, drop, posts)
    if plan.held is not None:
        run.unchanged, run.events_from = _as_saved(plan.held.saved, analysis)
        run.sweep = False  # this process saved the last run: no other analyser's rows since
    return analysis, run, memo


def _same_items(a: list, b: list) -> int:
    """How many items the two lists begin with in common (the same objects)."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x is not y:
            break
        n += 1
    return n


def _as_saved(saved: Analysis, now: Analysis) -> tuple[frozenset[str], int | None]:
    """Which tables of the saved analysis `now` leaves as they are, and the first event
    that differs: rows that did not change are not written again."""
    same = set()
    for table, old, new in (
        ("disputes", saved.disputes, now.disputes),
        ("quantity_series", saved.quantities, now.quantities),
    ):
        if len(old) == len(new) == _same_items(old, new):
            same.add(table)
    first = _same_items(saved.events, now.events)
    if first == len(saved.events) == len(now.events):
        same.add("events")
    return frozenset(same), first
