"""Evaluate the figures extractor against the NewsQuant gold, with quantulum3 as a baseline.

Protocol (NewsQuant / CQE, Almasian et al. 2023): per sentence, a predicted figure matches a gold
one when the values are equal (relative tolerance 1e-5; a range matches a range with equal ends).
Matching is one-to-one (maximum bipartite matching per sentence). Precision, recall and F1 are
reported for ``value``, ``value+unit`` (unit names equal, "-" meaning no unit) and
``value+change``. quantulum3 runs on the same sentences; it has no notion of change, so its
figures count as ``=``. Its bundled unit classifier cannot be unpickled with the installed
scikit-learn, so it runs with its documented no-classifier disambiguation.

Run: ``python -m pipeline.evaluate.figures --gold /work/shared/eval/figures/newsquant-dev.jsonl``
"""

from __future__ import annotations

import json
import math
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.evaluate.gold import HALVES, GoldText, WarehouseFor, by_half, read_jsonl

if TYPE_CHECKING:
    from pipeline.warehouse import Warehouse

MEASURES = ("value", "value+unit", "value+change")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A value (or range), unit and change, as compared by the protocol."""

    low: float
    high: float | None
    unit: str | None
    change: str


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-9)


def values_equal(a: Quantity, b: Quantity) -> bool:
    """Equal single values, or ranges with equal ends (order-insensitive)."""
    if (a.high is None) != (b.high is None):
        return False
    if a.high is None:
        return _close(a.low, b.low)
    a_lo, a_hi = sorted((a.low, a.high))
    b_lo, b_hi = sorted((b.low, b.high))  # type: ignore[type-var]
    return _close(a_lo, b_lo) and _close(a_hi, b_hi)


def _norm_unit(unit: str | None) -> str:
    return (
        "-" if unit is None or unit.strip() in ("", "-", "dimensionless") else unit.strip().lower()
    )


def _compatible(measure: str) -> Callable[[Quantity, Quantity], bool]:
    if measure == "value":
        return values_equal
    if measure == "value+unit":
        return lambda a, b: values_equal(a, b) and _norm_unit(a.unit) == _norm_unit(b.unit)
    return lambda a, b: values_equal(a, b) and a.change == b.change


def max_matching(pred: Sequence[Quantity], gold: Sequence[Quantity], ok: Callable) -> int:
    """Size of a maximum one-to-one matching between ``pred`` and ``gold`` (Kuhn's algorithm)."""
    adjacency = [[g for g, gq in enumerate(gold) if ok(pq, gq)] for pq in pred]
    owner: dict[int, int] = {}

    def augment(p: int, seen: set[int]) -> bool:
        for g in adjacency[p]:
            if g in seen:
                continue
            seen.add(g)
            if g not in owner or augment(owner[g], seen):
                owner[g] = p
                return True
        return False

    return sum(augment(p, set()) for p in range(len(pred)))


def score(pairs: Sequence[tuple[list[Quantity], list[Quantity]]]) -> dict[str, dict[str, float]]:
    """P/R/F1 per measure over (predicted, gold) quantity lists of each sentence."""
    n_pred = sum(len(p) for p, _ in pairs)
    n_gold = sum(len(g) for _, g in pairs)
    out: dict[str, dict[str, float]] = {}
    for measure in MEASURES:
        ok = _compatible(measure)
        tp = sum(max_matching(p, g, ok) for p, g in pairs)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[measure] = {"p": round(prec, 4), "r": round(rec, 4), "f1": round(f1, 4), "tp": tp}
    out["counts"] = {"pred": n_pred, "gold": n_gold}
    return out


def _gold_quantity(fig: dict) -> Quantity:
    value = fig["value"]
    if isinstance(value, list):
        return Quantity(float(value[0]), float(value[1]), fig.get("unit"), fig.get("change", "="))
    return Quantity(float(value), None, fig.get("unit"), fig.get("change", "="))


def _quantulum_parser():
    warnings.filterwarnings("ignore")
    from quantulum3 import classifier, parser

    classifier.USE_CLF = False  # bundled pickle needs an older scikit-learn
    return parser


def _quantulum(parser, text: str) -> list[Quantity]:
    out = []
    for q in parser.parse(text):
        unit = None if q.unit.name == "dimensionless" else q.unit.name
        if q.uncertainty:
            out.append(Quantity(q.value - q.uncertainty, q.value + q.uncertainty, unit, "="))
        else:
            out.append(Quantity(float(q.value), None, unit, "="))
    return out


def load_gold(gold: Path, limit: int | None = None) -> list[dict]:
    """Read gold sentences (JSON lines)."""
    return read_jsonl(gold, limit)


def _row_quantity(value, low, high, unit, change) -> Quantity:
    if value is None:
        return Quantity(low, high, unit, change)
    return Quantity(value, None, unit, change)


def warehouse_figures(warehouse: Warehouse) -> dict[str, list[Quantity]]:
    """The ``figures`` rows of the gold warehouse, as quantities per gold id (external id)."""
    frame = warehouse.frame(
        """
        SELECT a.external_id, f.value, f.value_low, f.value_high, f.unit, f.change
        FROM figures f JOIN articles a USING (article_id)
        ORDER BY a.external_id, f."start", f."end"
        """
    )
    out: dict[str, list[Quantity]] = {}
    for external_id, *fields in frame.iter_rows():
        out.setdefault(external_id, []).append(_row_quantity(*fields))
    return out


def run(
    gold: Path,
    *,
    warehouse_for: WarehouseFor,
    limit: int | None = None,
    show_errors: bool = False,
) -> dict:
    """Score the warehouse's figures and quantulum3 on the gold sentences; print a summary.

    Args:
        gold: NewsQuant-format JSON lines.
        warehouse_for: Builds the warehouse of ``newsledger run``'s job over the gold texts.
        limit: Only the first ``limit`` sentences.
        show_errors: Print per-sentence misses and false positives of the read half only.

    Returns:
        ``{"value": {p, r, f1}, ..., "read": {...}, "check": {...}, "quantulum3": {...}}``:
        the whole file at the top level, each half below.
    """
    from pipeline.evaluate import figure_suites

    rows = load_gold(gold, limit)
    texts = [r["text"] for r in rows]
    words = sum(len(t.split()) for t in texts)
    golds = {r["id"]: [_gold_quantity(f) for f in r["figures"]] for r in rows}
    with warehouse_for(gold.stem, [GoldText(r["id"], r["text"]) for r in rows]) as warehouse:
        predicted = warehouse_figures(warehouse)
        article_ids = list(
            warehouse.frame("SELECT article_id FROM articles ORDER BY article_id")["article_id"]
        )
        speed = figure_suites.extraction_speed(warehouse, article_ids)
    ours = {r["id"]: predicted.get(r["id"], []) for r in rows}

    parser = _quantulum_parser()
    parser.parse("warm up 5 km")
    t0 = time.perf_counter()
    theirs = {r["id"]: _quantulum(parser, r["text"]) for r in rows}
    t_q = time.perf_counter() - t0
    pools, their_pools = figure_suites.score_pools(
        warehouse_for, parser.parse, show_errors=show_errors
    )

    def scored(system: dict[str, list[Quantity]], ids: Sequence[str]) -> dict:
        return score([(system[i], golds[i]) for i in ids])

    ids = [r["id"] for r in rows]
    halves = by_half(ids)
    result = {
        **scored(ours, ids),
        **{name: scored(ours, halves[name]) for name in HALVES},
        "quantulum3": {
            **scored(theirs, ids),
            "suites": their_pools.suites,
            "units_accuracy": their_pools.units_accuracy,
        },
        "suites": pools.suites,
        "units_accuracy": pools.units_accuracy,
        "units_accuracy_halves": pools.units_halves,
        "sentences": len(rows),
        "words_per_s": {
            "figures": speed,
            "quantulum3": round(words / t_q, 1) if t_q else None,
        },
    }
    if show_errors:
        ok = _compatible("value+unit")
        read = set(halves["read"])
        for row in rows:
            pred, gq = ours[row["id"]], golds[row["id"]]
            if row["id"] in read and max_matching(pred, gq, ok) < max(len(pred), len(gq)):
                print("##", row["text"])
                print("   gold:", [(q.low, q.high, q.unit, q.change) for q in gq])
                print("   ours:", [(q.low, q.high, q.unit, q.change) for q in pred])
    _print(result)
    return result


def _print(result: dict) -> None:
    print(f"sentences: {result['sentences']}")
    for system in ("ours", *HALVES, "quantulum3"):
        scores = result if system == "ours" else result[system]
        cells = "  ".join(
            f"{m}: P {scores[m]['p']:.3f} R {scores[m]['r']:.3f} F1 {scores[m]['f1']:.3f}"
            for m in MEASURES
        )
        print(f"{system:>10}  {cells}")
    for system, scores in (("ours", result), ("quantulum3", result["quantulum3"])):
        if scores["suites"] is not None:
            print(f"Recognizers-Text recall ({system}):", json.dumps(scores["suites"]))
        if scores["units_accuracy"] is not None:
            halves = scores.get("units_accuracy_halves") or {}
            per_half = "".join(f", {name} {halves[name]:.3f}" for name in HALVES if name in halves)
            print(f"unit sentences accuracy ({system}): {scores['units_accuracy']:.3f}{per_half}")
    print("words/s:", json.dumps(result["words_per_s"]))


def main(argv: Sequence[str] | None = None) -> None:
    """Command line entry point: ``newsledger eval figures`` (it builds the warehouse)."""
    from assets.cli import main as cli_main

    raise SystemExit(cli_main(["eval", "figures", *(argv or [])]))


if __name__ == "__main__":
    main()
