"""Evaluate place recognition and resolution against GeoWebNews / LGL style gold files.

Protocol (shared/eval/README.md): recognition P/R/F1 against gold toponyms with coordinates (a
prediction overlapping a gold toponym without coordinates counts neither way); resolution
accuracy within 161 km over recognised toponyms and end to end; exact GeoNames id match where the
gold has one; resolution speed in mentions/s. A baseline (the most populous gazetteer match for
each spaCy GPE/LOC) is measured in the same run.

    uv run --frozen newsledger eval locations --gold GOLD.jsonl [--limit N] [--json]

The predictions are the ``locations`` rows of a warehouse that ``newsledger run``'s job built
from the gold texts (:mod:`pipeline.evaluate.gold`), offsets mapped back into the gold text.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.evaluate.gold import (
    HALVES,
    GoldArticle,
    GoldText,
    WarehouseFor,
    by_half,
    cached_docs,
    gold_articles,
    read_jsonl,
)
from pipeline.link.gazetteer import BUNDLED_GEONAMES, load_gazetteer
from pipeline.stages import ensure_gazetteer

if TYPE_CHECKING:
    from pipeline.warehouse import Warehouse

DEFAULT_GAZETTEER = Path("data/cache/gazetteer.arrow")
KM = 161.0


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


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
            "p": round(precision, 4),
            "r": round(recall, 4),
            "f1": round(f1, 4),
            "tp": tp,
            "fp": fp,
            "fn": fn,
        },
        "acc161_recognised": round(correct / tp, 4) if tp else 0.0,
        "acc161_end_to_end": round(correct / (tp + fn), 4) if tp + fn else 0.0,
        "exact_geonameid": round(exact / exact_n, 4) if exact_n else 0.0,
        "exact_geonameid_n": exact_n,
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


def resolution_speed(docs: list, gazetteer, *, repeats: int = 3) -> dict:
    """Mentions resolved per second over the pipeline's cached parses (best of ``repeats``).

    Recognition runs first, untimed, as the locations stage runs it; then each document's
    mentions are resolved (:func:`pipeline.link.geocode.resolve`, the stage's own call).
    """
    from pipeline.extract.locations import find_mentions
    from pipeline.link.geocode import resolve

    mentions = [find_mentions(doc, gazetteer) for doc in docs]
    total = sum(len(m) for m in mentions)
    best = math.inf
    for _ in range(max(1, repeats)):
        started = time.perf_counter()
        for document in mentions:
            resolve(gazetteer, document)
        best = min(best, time.perf_counter() - started)
    return {
        "resolution_mentions": total,
        "resolution_mentions_per_second": round(total / max(best, 1e-9), 1),
    }


def warehouse_predictions(warehouse: Warehouse, articles: dict[str, GoldArticle]) -> dict:
    """The ``locations`` rows per gold id, offsets mapped back into the gold text."""
    frame = warehouse.frame(
        """
        SELECT article_id, text, "start", "end", latitude, longitude, geonameid, name
        FROM locations ORDER BY article_id, "start", "end"
        """
    )
    by_article: dict[str, list[dict]] = {}
    for article_id, text, start, end, lat, lon, geonameid, name in frame.iter_rows():
        by_article.setdefault(article_id, []).append(
            {
                "text": text,
                "start": start,
                "end": end,
                "lat": lat,
                "lon": lon,
                "geonameid": geonameid,
                "name": name,
            }
        )
    return {
        gold_id: _mapped(by_article.get(article.article_id, []), article)
        for gold_id, article in articles.items()
    }


def _mapped(preds: list[dict], article: GoldArticle) -> list[dict]:
    out = []
    for row in preds:
        start, end = article.offsets.span_to_gold(row["start"], row["end"])
        out.append({**row, "start": start, "end": end})
    return out


def run(
    gold: Path,
    *,
    warehouse_for: WarehouseFor,
    limit: int | None = None,
    gazetteer_path: Path | None = None,
    show_errors: bool = False,
) -> dict:
    """Score the warehouse's ``locations`` rows on a gold file; print and return the metrics.

    Args:
        gold: JSONL gold file.
        warehouse_for: Builds the warehouse of ``newsledger run``'s job over the gold texts.
        limit: Only the first ``limit`` articles.
        gazetteer_path: Gazetteer file for the baseline (default :data:`DEFAULT_GAZETTEER`,
            the one ``newsledger run`` builds and reads).
        show_errors: Print the read half's misses of each kind (never the check half's).

    Returns:
        The whole file's scores at the top level (``recognition``, ``acc161_recognised``,
        ``acc161_end_to_end``, ``exact_geonameid``), each half's under ``read`` and ``check``,
        and the baseline's under ``baseline``.
    """
    gold = Path(gold)
    rows = read_jsonl(gold, limit)
    texts = {r["id"]: r["text"] for r in rows}
    with warehouse_for(gold.stem, [GoldText(r["id"], r["text"]) for r in rows]) as warehouse:
        articles = gold_articles(warehouse, texts)
        predicted = warehouse_predictions(warehouse, articles)
        ids = [r["id"] for r in rows if r["id"] in articles]
        docs = cached_docs(warehouse, [articles[i].article_id for i in ids])
    path = Path(gazetteer_path) if gazetteer_path else DEFAULT_GAZETTEER
    ensure_gazetteer(path, geonames_dir=BUNDLED_GEONAMES)
    gazetteer = load_gazetteer(path)
    baseline = {
        gold_id: _mapped(preds, articles[gold_id])
        for gold_id, preds in zip(ids, _baseline(docs, gazetteer), strict=True)
    }

    def scored(system: dict[str, list[dict]], subset: list[dict]) -> dict:
        return score(subset, [system.get(r["id"], []) for r in subset])

    halves = by_half([r["id"] for r in rows])
    ours = scored(predicted, rows)
    misses = ours.pop("_misses")
    result: dict = {"gold": str(gold), "articles": len(rows), **ours}
    for name in HALVES:
        members = set(halves[name])
        result[name] = scored(predicted, [r for r in rows if r["id"] in members])
        result[name].pop("_misses")
    result["baseline"] = scored(baseline, rows)
    result["baseline"].pop("_misses")
    result["gold_toponyms_with_coords"] = sum(
        1 for r in rows for t in r["toponyms"] if t["lat"] is not None
    )
    result["rejected"] = len(rows) - len(articles)
    result.update(resolution_speed(docs, gazetteer))
    _print(result)
    if show_errors:
        read = set(halves["read"])
        for kind in ("fp", "fn", "wrong"):
            chosen = [m for m in misses if m["kind"] == kind and m["doc"] in read]
            print(f"--- {kind} ({len(chosen)} in the read half)")
            for m in chosen:
                print(json.dumps(m, ensure_ascii=False))
    return result


def _print(result: dict) -> None:
    print(f"{result['gold']}: {result['articles']} articles")
    for name in ("all", *HALVES, "baseline"):
        scores = result if name == "all" else result[name]
        rec = scores["recognition"]
        print(
            f"{name:>9}  recognition P {rec['p']:.3f} R {rec['r']:.3f} F1 {rec['f1']:.3f}"
            f"  acc@161 recognised {scores['acc161_recognised']:.3f}"
            f"  end to end {scores['acc161_end_to_end']:.3f}"
            f"  exact id {scores['exact_geonameid']:.3f}"
        )
    print(
        f"resolution: {result['resolution_mentions_per_second']:,.0f} mentions/s"
        f" ({result['resolution_mentions']} mentions, cached parses)"
    )


def main(argv: list[str] | None = None) -> None:
    """Command line entry point: ``newsledger eval locations`` (it builds the warehouse)."""
    from assets.cli import main as cli_main

    raise SystemExit(cli_main(["eval", "locations", *(argv or [])]))


if __name__ == "__main__":
    main()
