"""Groups kept between runs: updating the components a change touches gives the same groups
as building them again from every join."""

from __future__ import annotations

import random

from sitroom.analyse.components import Components, build, update


def _partition(comps: Components) -> list[list[str]]:
    return sorted(comps.members.values())


def _record(rng: random.Random, claims: list[str], blocks: int) -> dict[str, list]:
    """Joins per block between claims of that block and the one before (as grouping finds
    them: a claim is queried against its block and the previous one)."""
    block_of = {c: n % blocks for n, c in enumerate(claims)}
    edges: dict[str, list] = {str(b): [] for b in range(blocks)}
    for a in claims:
        for b in rng.sample(claims, 3):
            if a != b and block_of[b] in (block_of[a], block_of[a] - 1) and rng.random() < 0.3:
                edges[str(block_of[a])].append([a, b])
    return edges


def test_updating_the_touched_components_equals_building_all_again():
    rng = random.Random(7)
    for trial in range(60):
        claims = [f"c{n}" for n in range(rng.randint(5, 60))]
        blocks = rng.randint(1, 6)
        edges = _record(rng, claims, blocks)
        comps, _ = build(claims, edges)
        # A run: some claims go, some come, and some blocks' joins are judged again.
        gone = set(rng.sample(claims, rng.randint(0, len(claims) // 4)))
        new = [f"n{trial}-{n}" for n in range(rng.randint(0, 5))]
        now = [c for c in claims if c not in gone] + new
        redone = _record(rng, now, blocks)
        touched = {str(b) for b in range(blocks) if rng.random() < 0.5}
        # a claim that goes or comes touches its block: its joins are judged again there
        touched |= {str(n % blocks) for n, c in enumerate(claims) if c in gone}
        touched |= {str(now.index(c) % blocks) for c in new}
        after = {
            name: (redone[name] if name in touched else found) for name, found in edges.items()
        }
        # joins of untouched blocks that name a claim gone were found in its block
        after = {
            n: [e for e in f if e[0] not in gone and e[1] not in gone] for n, f in after.items()
        }
        at = {c: n for n, c in enumerate(now)}
        made = update(
            comps,
            at,
            {n: edges.get(n, []) for n in touched},
            {n: after[n] for n in touched},
            gone | set(new),
        )
        scratch, _ = build(now, after)
        assert _partition(comps) == _partition(scratch)
        assert set(comps.comp_of) == set(now)
        # every component made is one of the new partition, and each lists its own joins
        assert all(comps.members[k] in _partition(scratch) for k in made)
        for k, joins in comps.joins.items():
            assert all(comps.comp_of[a] == k == comps.comp_of[b] for _, a, b in joins)


def test_a_component_no_change_touches_keeps_its_id_and_disputes():
    edges = {"0": [["a", "b"]], "1": [["c", "d"]]}
    comps, _ = build(["a", "b", "c", "d"], edges)
    ab = comps.comp_of["a"]
    comps.disputes[ab] = ["kept"]  # type: ignore[list-item]
    at = {c: n for n, c in enumerate(["a", "b", "c", "d", "e"])}
    made = update(comps, at, {"1": [["c", "d"]]}, {"1": [["c", "d"], ["d", "e"]]}, {"e"})
    assert comps.comp_of["a"] == ab and comps.disputes[ab] == ["kept"]
    assert comps.members[comps.comp_of["e"]] == ["c", "d", "e"]
    assert made == [comps.comp_of["e"]]
