"""Claim grouping and contradiction on sitroom's own annotated claim set
(sitroom/data/claimset/claims.jsonl, written for the project; guidelines in its README).
The gold folder is not used: the set ships with the package."""

from __future__ import annotations

import json
from importlib import resources

from sitroom.eval import prf


def load_claimset() -> list[dict]:
    text = (
        resources.files("sitroom.data")
        .joinpath("claimset", "claims.jsonl")
        .read_text(encoding="utf-8")
    )
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _claim(side: dict, n: int):
    # lazy: the analysers and spaCy take seconds to load, only for the claims task
    from sitroom.analyse.catalogue import signals_in
    from sitroom.analyse.claims import claim_modality
    from sitroom.enrich.figures import extract_figures
    from sitroom.enrich.nlp import get_nlp
    from sitroom.records import Claim

    modality, negated = claim_modality(side["text"], side.get("cue"))
    figures = [(f.value, f.unit) for f in extract_figures(get_nlp()(side["text"]), "body")]
    return Claim(
        id=str(n),
        text=side["text"],
        actor=side.get("actor"),
        modality=modality,
        negated=negated,
        post_id=str(n),
        source="claimset",
        time=None,
        signals=[s.id for s in signals_in(side["text"])],
        figures=figures,
        cue=side.get("cue"),
    )


def _stance_relation(a, b) -> str:
    """What the two stances say of the pair: contradicts, corroborates, or unclear."""
    if "unclear" in (a.stance, b.stance):
        return "unclear"
    return "corroborates" if a.stance == b.stance else "contradicts"


def score(ctx=None) -> dict:
    # lazy: the claim reader and the embedding model load only for the claims task
    from sitroom.analyse.claims import read_claims
    from sitroom.analyse.matching import compare, embed

    pairs = load_claimset()
    vectors = embed([p[s]["text"] for p in pairs for s in ("a", "b")])
    claims = [_claim(p[s], 2 * n + k) for n, p in enumerate(pairs) for k, s in enumerate("ab")]
    read_claims(claims)
    tp_same = n_same_pred = tp_contra = n_contra_pred = stance_right = n_stance = 0
    for n, pair in enumerate(pairs):
        a, b = claims[2 * n], claims[2 * n + 1]
        if pair["same"]:
            # Stance accuracy: on pairs about one proposition, do the two stances agree or
            # differ as the gold label says?
            n_stance += 1
            stance_right += _stance_relation(a, b) == pair["label"]
        cosine = float(vectors[2 * n] @ vectors[2 * n + 1])
        link = compare(a, b, cosine)
        same = link.label != "unrelated"
        n_same_pred += same
        tp_same += same and pair["same"]
        n_contra_pred += link.label == "contradicts"
        tp_contra += link.label == "contradicts" and pair["label"] == "contradicts"
    n_same = sum(p["same"] for p in pairs)
    n_contra = sum(p["label"] == "contradicts" for p in pairs)
    return {
        "grouping": prf(tp_same, n_same_pred, n_same),
        "contradiction": prf(tp_contra, n_contra_pred, n_contra),
        "stance_accuracy": round(stance_right / n_stance, 4) if n_stance else 0.0,
        "pairs": len(pairs),
    }
