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

import argparse
import json
import math
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.extract.figures import extract_figures
from pipeline.nlp import load_nlp

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


def _ours(doc) -> list[Quantity]:
    out = []
    for f in extract_figures(doc):
        if f.value is None:
            out.append(Quantity(f.value_low, f.value_high, f.unit, f.change))  # type: ignore[arg-type]
        else:
            out.append(Quantity(f.value, None, f.unit, f.change))
    return out


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
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line]
    return rows[:limit] if limit else rows


def run(gold: Path, *, limit: int | None = None, show_errors: bool = False) -> dict:
    """Score our extractor and quantulum3 on the gold sentences and print a summary.

    Args:
        gold: NewsQuant-format JSON lines.
        limit: Only the first ``limit`` sentences.
        show_errors: Print per-sentence misses and false positives of our extractor.

    Returns:
        ``{"ours": {...}, "quantulum3": {...}, "words_per_s": {...}, "sentences": n}``.
    """
    rows = load_gold(gold, limit)
    texts = [r["text"] for r in rows]
    words = sum(len(t.split()) for t in texts)
    golds = [[_gold_quantity(f) for f in r["figures"]] for r in rows]

    nlp = load_nlp()
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    t_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = [_ours(doc) for doc in docs]
    t_ours = time.perf_counter() - t0

    parser = _quantulum_parser()
    parser.parse("warm up 5 km")
    t0 = time.perf_counter()
    theirs = [_quantulum(parser, t) for t in texts]
    t_q = time.perf_counter() - t0

    result = {
        "sentences": len(rows),
        "ours": score(list(zip(ours, golds, strict=True))),
        "quantulum3": score(list(zip(theirs, golds, strict=True))),
        "words_per_s": {
            "ours_extraction_only": round(words / t_ours, 1),
            "ours_with_spacy": round(words / (t_ours + t_spacy), 1),
            "spacy_only": round(words / t_spacy, 1),
            "quantulum3": round(words / t_q, 1),
        },
    }
    if show_errors:
        ok = _compatible("value+unit")
        for row, pred, gq in zip(rows, ours, golds, strict=True):
            if max_matching(pred, gq, ok) < max(len(pred), len(gq)):
                print("##", row["text"])
                print("   gold:", [(q.low, q.high, q.unit, q.change) for q in gq])
                print("   ours:", [(q.low, q.high, q.unit, q.change) for q in pred])
    _print(result)
    return result


def _print(result: dict) -> None:
    print(f"sentences: {result['sentences']}")
    for system in ("ours", "quantulum3"):
        scores = result[system]
        cells = "  ".join(
            f"{m}: P {scores[m]['p']:.3f} R {scores[m]['r']:.3f} F1 {scores[m]['f1']:.3f}"
            for m in MEASURES
        )
        print(f"{system:>10}  {cells}")
    print("words/s:", json.dumps(result["words_per_s"]))


def main(argv: Sequence[str] | None = None) -> None:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--errors", action="store_true", help="print our per-sentence errors")
    ap.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = ap.parse_args(argv)
    result = run(args.gold, limit=args.limit, show_errors=args.errors)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
