"""Train the speaker ranker (sitroom/enrich/ranker.py) and report how it does.

    python tools/train_speaker_ranker.py [--polnear ../shared/dev/polnear]
        [--out sitroom/data/speaker_ranker.json] [--cache DIR]

Data: the polnear dev set (../shared/dev/polnear, see its README). Its documents sorted by
file name are split by index: the even-indexed half trains, the odd-indexed half is held out
and only scored. Every document is enriched with the ranker off; the quotes the rules leave
unattributed or only guess (ranker.eligible) are matched to the gold quote they overlap (the
scorer's rule: half of each side's words), and each candidate speaker is labelled by whether
it is the gold speaker (the scorer's name match, or the same surname). A logistic regression
(scikit-learn, lbfgs, fixed seed) learns the weights; the override threshold is the lowest of
those that make the most trained-half speakers right. The report prints speaker accuracy on the
eligible quotes, rules alone and with the ranker, for each half separately.

--cache DIR keeps each document's spaCy parses (DocBin) so a second run skips parsing."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from spacy.tokens import DocBin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitroom.enrich import ranker  # noqa: E402
from sitroom.enrich.nlp import get_nlp, parse_texts  # noqa: E402
from sitroom.enrich.pipeline import document_texts, enrich_document  # noqa: E402
from sitroom.eval import read_jsonl  # noqa: E402
from sitroom.eval.quotes import overlap, speaker_ok  # noqa: E402
from sitroom.read import read_path  # noqa: E402

SEED = 0
THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 17)]


def _parsed(doc_path: Path, cache: Path | None) -> tuple[Any, list[Any]]:
    document = read_path(doc_path)
    nlp = get_nlp()
    hit = cache / (doc_path.name + ".spacy") if cache else None
    if hit is not None and hit.is_file():
        return document, list(DocBin().from_bytes(hit.read_bytes()).get_docs(nlp.vocab))
    parsed = parse_texts(document_texts(document), n_process=1)
    if hit is not None:
        db = DocBin(store_user_data=True)
        for d in parsed:
            db.add(d)
        hit.write_bytes(db.to_bytes())
    return document, parsed


def same_person(gold: dict[str, Any], name: str) -> bool:
    """The scorer's name match, or the same surname as the gold speaker."""
    if speaker_ok(gold, name):
        return True
    mine, theirs = name.lower().split(), (gold.get("speaker") or "").lower().split()
    return bool(mine and theirs and mine[-1] == theirs[-1])


def collect(polnear: Path, docs: list[str], cache: Path | None) -> list[dict[str, Any]]:
    """Eligible quotes of `docs`, each with its candidates and its gold row (or None)."""
    gold = [g for g in read_jsonl(polnear / "gold" / "quotes.jsonl") if g.get("speaker")]
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for g in gold:
        by_doc.setdefault(g["doc"], []).append(g)
    out = []
    for n, doc in enumerate(docs, 1):
        document, parsed = _parsed(polnear / "corpus" / doc, cache)
        with ranker.collecting() as rows:
            enrich_document(document, parsed=parsed)
        for row in rows:
            best = max(
                (
                    (overlap(g["quote"], str(row["text"]))[1], i)
                    for i, g in enumerate(by_doc.get(doc, []))
                    if g["kind"] == row["kind"] and overlap(g["quote"], str(row["text"]))[0]
                ),
                default=None,
            )
            row["gold"] = by_doc[doc][best[1]] if best else None
            row["doc"] = doc
            out.append(row)
        if n % 50 == 0:
            print(f"  {n}/{len(docs)} documents", file=sys.stderr)
    return out


def _matrix(rows: list[dict[str, Any]]) -> tuple[list[list[float]], list[int]]:
    x, y = [], []
    for row in rows:
        if row["gold"] is None:
            continue
        for name, feats in row["candidates"].items():
            x.append([feats[f] for f in ranker.FEATURES])
            y.append(int(same_person(row["gold"], name)))
    return x, y


def _picks(rows: list[dict[str, Any]], model: ranker.Model | None) -> list[str | None]:
    out = []
    for row in rows:
        speaker = row["rule"]
        found = (
            ranker.best_candidate(row["candidates"], model, row.get("surface"))
            if model is not None
            else None
        )
        if model is not None and found is not None:
            prob, best = found
            if best != speaker and prob >= model.threshold:
                speaker = best
        out.append(speaker)
    return out


def accuracy(rows: list[dict[str, Any]], model: ranker.Model | None) -> dict[str, float]:
    """Speaker accuracy (the scorer's name match) on eligible quotes matched to gold."""
    scored = [r for r in rows if r["gold"] is not None]
    picks = _picks(scored, model)
    right = sum(speaker_ok(r["gold"], p) for r, p in zip(scored, picks, strict=True))
    same = sum(bool(p) and same_person(r["gold"], p) for r, p in zip(scored, picks, strict=True))
    n = len(scored)
    return {
        "quotes": n,
        "speaker_acc": round(right / n, 4) if n else 0.0,
        "same_person": round(same / n, 4) if n else 0.0,
    }


def train(rows: list[dict[str, Any]]) -> ranker.Model:
    from sklearn.linear_model import LogisticRegression  # training only, not at run time

    x, y = _matrix(rows)
    clf = LogisticRegression(C=1.0, max_iter=2000, random_state=SEED)
    clf.fit(x, y)
    weights = {f: round(float(w), 5) for f, w in zip(ranker.FEATURES, clf.coef_[0], strict=True)}
    bias = round(float(clf.intercept_[0]), 5)
    best = max(
        THRESHOLDS,
        # on a tie the lowest: it names more quotes, each with the model's low confidence,
        # where a higher one leaves them with no speaker at all
        key=lambda t: (accuracy(rows, ranker.Model(weights, bias, t))["speaker_acc"], -t),
    )
    return ranker.Model(weights, bias, best)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "dev" / "polnear")
    ap.add_argument("--out", type=Path, default=ranker.MODEL_FILE)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--rows", type=Path, default=None, help="keep/reuse collected candidates")
    args = ap.parse_args()
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    docs = sorted({r["doc"] for r in read_jsonl(args.polnear / "gold" / "documents.jsonl")})
    halves = {"trained (even)": docs[0::2], "held out (odd)": docs[1::2]}
    if args.rows is not None and args.rows.is_file():
        collected = json.loads(args.rows.read_text(encoding="utf-8"))
    else:
        collected = {name: collect(args.polnear, part, args.cache) for name, part in halves.items()}
        if args.rows is not None:
            args.rows.write_text(json.dumps(collected), encoding="utf-8")
    model = train(collected["trained (even)"])
    args.out.write_text(
        json.dumps(
            {
                "about": "speaker ranker weights: python tools/train_speaker_ranker.py; trained "
                "on the even-indexed documents (sorted by name) of shared/dev/polnear",
                "seed": SEED,
                "features": list(ranker.FEATURES),
                "weights": model.weights,
                "bias": model.bias,
                "threshold": model.threshold,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    report = {
        name: {"rules": accuracy(rows, None), "with_ranker": accuracy(rows, model)}
        for name, rows in collected.items()
    }
    print(json.dumps({"threshold": model.threshold, "eligible_quotes": report}, indent=1))


if __name__ == "__main__":
    main()
