"""Evaluate place recognition and resolution against GeoWebNews / LGL style gold files.

Protocol (shared/eval/README.md): recognition P/R/F1 against gold toponyms with coordinates (a
prediction overlapping a gold toponym without coordinates counts neither way); resolution
accuracy within 161 km over recognised toponyms and end to end; exact GeoNames id match where the
gold has one; resolution speed in mentions/s. A baseline (the most populous gazetteer match for
each spaCy GPE/LOC) is measured in the same run.

    uv run --frozen python -m pipeline.evaluate.locations --gold GOLD.jsonl [--limit N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import time
from collections.abc import Iterable
from pathlib import Path

from pipeline.extract.locations import find_mentions
from pipeline.link.gazetteer import BUNDLED_GEONAMES, load_gazetteer
from pipeline.link.geocode import resolve
from pipeline.stages import ensure_gazetteer

DEFAULT_GAZETTEER = Path("data/cache/gazetteer.arrow")
KM = 161.0


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def _docs(texts: list[str], cache: Path | None) -> list:
    from pipeline.nlp import docs_from_bytes, docs_to_bytes, load_nlp, parse

    if cache is not None and cache.exists():
        return docs_from_bytes(cache.read_bytes(), load_nlp())
    docs = list(parse(texts, batch_size=16))
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(docs_to_bytes(docs))
    return docs


def score(gold_docs: list[dict], predicted: list[list[dict]]) -> dict:
    """Score predictions ``[{start, end, lat, lon, geonameid}]`` per document against gold."""
    tp = fp = fn = 0
    correct = exact = exact_n = 0
    misses: list[dict] = []
    for gold, preds in zip(gold_docs, predicted, strict=True):
        with_coords = [t for t in gold["toponyms"] if t["lat"] is not None]
        without = [t for t in gold["toponyms"] if t["lat"] is None]
        matched: set[int] = set()
        for p in preds:
            hit = next(
                (
                    i
                    for i, t in enumerate(with_coords)
                    if i not in matched and p["start"] < t["end"] and t["start"] < p["end"]
                ),
                None,
            )
            if hit is None:
                if any(p["start"] < t["end"] and t["start"] < p["end"] for t in with_coords) or any(
                    p["start"] < t["end"] and t["start"] < p["end"] for t in without
                ):
                    continue
                fp += 1
                misses.append({"doc": gold["id"], "kind": "fp", "surface": p["text"]})
                continue
            matched.add(hit)
            tp += 1
            t = with_coords[hit]
            ok = p["lat"] is not None and _haversine(p["lat"], p["lon"], t["lat"], t["lon"]) <= KM
            correct += ok
            if t.get("geonameid") is not None:
                exact_n += 1
                exact += p.get("geonameid") == t["geonameid"]
            if not ok:
                misses.append(
                    {
                        "doc": gold["id"],
                        "kind": "wrong",
                        "surface": t["surface"],
                        "gold": t.get("geonameid"),
                        "pred": p.get("geonameid"),
                        "pred_name": p.get("name"),
                    }
                )
        for i, t in enumerate(with_coords):
            if i not in matched:
                fn += 1
                misses.append(
                    {
                        "doc": gold["id"],
                        "kind": "fn",
                        "surface": t["surface"],
                        "type": t.get("type"),
                    }
                )
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "recognition": {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "tp": tp,
            "fp": fp,
            "fn": fn,
        },
        "accuracy_161km_recognised": round(correct / tp, 4) if tp else 0.0,
        "accuracy_161km_end_to_end": round(correct / (tp + fn), 4) if tp + fn else 0.0,
        "exact_id_recognised": round(exact / exact_n, 4) if exact_n else 0.0,
        "exact_id_n": exact_n,
        "_misses": misses,
    }


def _baseline(docs: Iterable, gazetteer) -> list[list[dict]]:
    out = []
    for doc in docs:
        preds = []
        for ent in doc.ents:
            if ent.label_ not in ("GPE", "LOC"):
                continue
            rows = list(gazetteer.lookup(ent.text))
            best = max(rows, key=lambda r: int(gazetteer.population[r]), default=None)
            preds.append(
                {
                    "text": ent.text,
                    "start": ent.start_char,
                    "end": ent.end_char,
                    "lat": float(gazetteer.latitude[best]) if best is not None else None,
                    "lon": float(gazetteer.longitude[best]) if best is not None else None,
                    "geonameid": int(gazetteer.geonameid[best]) if best is not None else None,
                }
            )
        out.append(preds)
    return out


def run(
    gold: Path,
    *,
    limit: int | None = None,
    gazetteer_path: Path | None = None,
    demonyms: bool = True,
    doc_cache: Path | None = None,
    show_misses: int = 0,
) -> dict:
    """Evaluate on a gold file; print and return the metrics (JSON-serialisable).

    Args:
        gold: JSONL gold file.
        limit: Only the first ``limit`` articles.
        gazetteer_path: Gazetteer file (default :data:`DEFAULT_GAZETTEER`); rebuilt when stale.
        demonyms: Count demonyms as place mentions (both gold sets annotate them).
        doc_cache: Optional DocBin cache of the parsed articles.
        show_misses: Print this many misses of each kind.
    """
    gold = Path(gold)
    rows = [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]
    if limit is not None:
        rows = rows[:limit]
    path = Path(gazetteer_path) if gazetteer_path else DEFAULT_GAZETTEER
    # Rebuilt whenever its sources or builder code changed, as in the pipeline: a stale file
    # would score an older gazetteer than the code under test.
    ensured = ensure_gazetteer(path, geonames_dir=BUNDLED_GEONAMES)
    build_stats = ensured if ensured.get("built") else None
    started = time.perf_counter()
    gazetteer = load_gazetteer(path)
    load_seconds = time.perf_counter() - started

    texts = [r["text"] for r in rows]
    if doc_cache is None:
        digest = hashlib.sha1("\n\0".join(texts).encode()).hexdigest()[:12]
        doc_cache = Path("data/cache") / f"eval-docs-{gold.stem}-{digest}.spacy"
    docs = _docs(texts, doc_cache)

    started = time.perf_counter()
    per_doc_mentions = [find_mentions(d, gazetteer, demonyms=demonyms) for d in docs]
    recognise_seconds = time.perf_counter() - started
    started = time.perf_counter()
    per_doc_res = [resolve(gazetteer, ms) for ms in per_doc_mentions]
    resolve_seconds = time.perf_counter() - started
    n_mentions = sum(len(ms) for ms in per_doc_mentions)

    predicted = []
    for ms, rs in zip(per_doc_mentions, per_doc_res, strict=True):
        preds = []
        for m, r in zip(ms, rs, strict=True):
            if r.row is None and (m.demonym or m.gazetteer_only):
                continue
            preds.append(
                {
                    "text": m.text,
                    "start": m.start,
                    "end": m.end,
                    "lat": r.latitude,
                    "lon": r.longitude,
                    "geonameid": int(gazetteer.geonameid[r.row]) if r.row is not None else None,
                    "name": gazetteer.place(r.row).name if r.row is not None else None,
                }
            )
        predicted.append(preds)
    ours = score(rows, predicted)
    base = score(rows, _baseline(docs, gazetteer))
    misses = ours.pop("_misses")
    base.pop("_misses")
    result = {
        "gold": str(gold),
        "articles": len(rows),
        "gold_toponyms_with_coords": sum(
            1 for r in rows for t in r["toponyms"] if t["lat"] is not None
        ),
        "ours": ours,
        "baseline": base,
        "speed": {
            "mentions": n_mentions,
            "resolution_mentions_per_s": round(n_mentions / resolve_seconds, 1)
            if resolve_seconds
            else None,
            "recognition_docs_per_s": round(len(docs) / recognise_seconds, 1)
            if recognise_seconds
            else None,
        },
        "gazetteer": {
            "path": str(path),
            "load_seconds": round(load_seconds, 3),
            "bytes": path.stat().st_size,
            "build": build_stats,
        },
    }
    print(json.dumps(result, indent=2))
    if show_misses:
        for kind in ("fp", "fn", "wrong"):
            chosen = [m for m in misses if m["kind"] == kind][:show_misses]
            print(f"--- {kind} ({sum(1 for m in misses if m['kind'] == kind)})")
            for m in chosen:
                print(json.dumps(m, ensure_ascii=False))
    return result


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--gazetteer", type=Path, default=None)
    parser.add_argument("--no-demonyms", action="store_true")
    parser.add_argument("--show-misses", type=int, default=0)
    args = parser.parse_args(argv)
    run(
        args.gold,
        limit=args.limit,
        gazetteer_path=args.gazetteer,
        demonyms=not args.no_demonyms,
        show_misses=args.show_misses,
    )


if __name__ == "__main__":
    main()
