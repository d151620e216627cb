"""Evaluate figure conflicts against pairs judged by reading (``tests/fixtures/conflicts/``).

The gold is a stratified set of candidate pairs from the AllSides warehouse, drawn without the
conflict logic (:mod:`pipeline.evaluate.conflict_pairs`: two figures of one story from
different outlets whose counted things share a head noun), each labelled by a person who read
both sentences: do they measure the same quantity, and do they disagree? A pair is a conflict
when both hold. The criteria and the strata are in the README beside the file.

Protocol: every sentence of the file becomes a gold text; ``newsledger run``'s own job builds a
warehouse of them (:data:`~pipeline.evaluate.gold.WarehouseFor`), so the figures and their
frames are the rows users get. Each pair's two figures are found among those rows by their
spans (offsets mapped back from ``articles.body``), and the pair is decided by
:func:`pipeline.across.conflicts.decide`, the function the ``figure_conflicts`` stage calls,
with the outlet and date the fixture stores for each side (a lone sentence has no story
context). A figure the pipeline no longer finds at its span is a pair it cannot call a
conflict. Precision and recall of the conflict decision are reported for the whole file and
its read and check halves (by pair id, :func:`~pipeline.evaluate.gold.by_half`).

Run: ``newsledger eval conflicts --gold tests/fixtures/conflicts/allsides-pairs.jsonl``
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.across.conflicts import (
    ConflictSettings,
    FigureView,
    Verdict,
    decide,
    figure_interval,
    rivals,
)
from pipeline.across.sameness import Mismatch, compare
from pipeline.evaluate import conflict_articles, conflict_baseline
from pipeline.evaluate.gold import (
    HALVES,
    GoldText,
    OffsetMap,
    WarehouseFor,
    by_half,
    prf,
    read_jsonl,
)

if TYPE_CHECKING:
    from pipeline.warehouse import Warehouse

#: The judged set committed with the repository.
DEFAULT_GOLD = Path("tests/fixtures/conflicts/allsides-pairs.jsonl")


def _parse_date(text: object) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(str(text))


def _figure_rows(warehouse: Warehouse) -> dict[str, list[dict]]:
    """Figure rows (frames included) and article bodies of the gold warehouse, by gold id."""
    frame = warehouse.frame(
        """
        SELECT a.external_id, a.body, f.* FROM figures f JOIN articles a USING (article_id)
        ORDER BY a.external_id, f."start"
        """
    )
    out: dict[str, list[dict]] = {}
    for row in frame.iter_rows(named=True):
        out.setdefault(row["external_id"], []).append(row)
    return out


def _find(rows: Sequence[dict], text: str, start: int, end: int) -> dict | None:
    """The warehouse figure whose span, mapped into ``text``, overlaps ``[start, end)`` most."""
    best: tuple[int, dict] | None = None
    maps: dict[str, OffsetMap] = {}  # the rows of one gold text share its body
    for row in rows:
        offsets = maps.get(row["body"])
        if offsets is None:
            offsets = maps[row["body"]] = OffsetMap.between(text, row["body"])
        s, e = offsets.span_to_gold(row["start"], row["end"])
        overlap = min(e, end) - max(s, start)
        if overlap > 0 and (best is None or overlap > best[0]):
            best = (overlap, row)
    return best[1] if best else None


def run(
    gold: Path,
    *,
    warehouse_for: WarehouseFor,
    limit: int | None = None,
    show_errors: bool = False,
    settings: ConflictSettings | None = None,
    articles: Path | None = None,
) -> dict:
    """Score the conflict decision on the judged pairs; print a summary.

    Args:
        gold: Judged pairs (JSON lines; see the README beside the default file).
        warehouse_for: Builds the warehouse of ``newsledger run``'s job over the sentences.
        limit: Only the first ``limit`` pairs.
        show_errors: Print the read half's wrong decisions (never the check half's).
        settings: Conflict tolerances (default: the stage's).
        articles: The corpus the pairs were drawn from: read each sentence in its article
            (:mod:`pipeline.evaluate.conflict_articles`); None: each sentence alone.

    Returns:
        ``{"p", "r", "f1", "tp", "predicted", "gold", "pairs", "found", "read": {...},
        "check": {...}, "read_misses": {reason: n}, "read_same_misses": {check: n},
        "learned_baseline": {...}, "strata":
        {stratum: {..., "read": {...},
        "check": {...}}}}``: the whole file at the top level, each half below, and the same
        for each stratum (the judged set is stratified, so precision and recall hold per
        stratum; recall is over the judged candidates). ``read_misses`` counts the read
        half's missed conflicts by the check that turned them down (:func:`miss_reason`;
        never the check half's); ``read_same_misses`` the read half's pairs of one quantity
        (whatever their values) whose frames do not match, by the check that failed
        (:func:`same_miss_reason`): a larger sample of where the frames lose recall than the
        few missed conflicts; ``learned_baseline`` the grouped cross-validation of a
        model learned from the read half (:mod:`pipeline.evaluate.conflict_baseline`).
    """
    settings = settings or ConflictSettings()
    pairs = [p for p in read_jsonl(gold, limit) if p.get("conflict") is not None]
    located = conflict_articles.locate((p[s] for p in pairs for s in "ab"), articles)
    sources = {place.text_id: place.text for place in located.values()}
    texts = [GoldText(i, t) for i, t in sorted(sources.items())]
    name = gold.stem if articles is None else f"{gold.stem}-in-articles"
    with warehouse_for(name, texts) as warehouse:
        rows = _figure_rows(warehouse)
    ids = [p["id"] for p in pairs]
    halves = by_half(ids)
    read = set(halves["read"])
    decisions: dict[str, bool] = {}
    same: dict[str, bool] = {}
    read_misses: dict[str, int] = {}
    read_same_misses: dict[str, int] = {}
    read_judged: list[conflict_baseline.Judged] = []
    found = 0
    for pair in pairs:
        views = []
        side_rivals: list[tuple[FigureView, ...]] = []
        for side in ("a", "b"):
            item = pair[side]
            place = located[item["outlet"], item["sentence"]]
            sid, start = place.text_id, place.offset + item["start"]
            row = _find(rows.get(sid, []), place.text, start, start + item["end"] - item["start"])
            if row is None:
                continue
            outlet, date = f"{side}:{item['outlet']}", _parse_date(item.get("published_at"))
            views.append(FigureView.from_row(row, outlet, date))
            # as the stage does per article: here the article is the sentence
            neighbours = [FigureView.from_row(r, outlet, date) for r in rows.get(sid, [])]
            side_rivals.append(rivals(neighbours, settings).get(views[-1].figure_id, ()))
        if len(views) < 2:
            decisions[pair["id"]] = same[pair["id"]] = False
            if pair["conflict"] and pair["id"] in read:
                read_misses["figure not found"] = read_misses.get("figure not found", 0) + 1
            continue
        found += 1
        unclear = bool(side_rivals[0] or side_rivals[1])
        verdict = decide(
            views[0], views[1], settings, rivals_a=side_rivals[0], rivals_b=side_rivals[1]
        )
        decisions[pair["id"]] = verdict.conflict
        same[pair["id"]] = verdict.match is not None
        if pair["id"] in read:
            read_judged.append(
                conflict_baseline.judged(
                    str(pair.get("story") or pair["id"]),
                    views[0],
                    views[1],
                    settings,
                    unclear=unclear,
                    same_quantity=bool(pair["same_quantity"]),
                    conflict=bool(pair["conflict"]),
                )
            )
        if pair["same_quantity"] and verdict.match is None and pair["id"] in read:
            why = same_miss_reason(views[0], views[1], settings)
            read_same_misses[why] = read_same_misses.get(why, 0) + 1
        if pair["conflict"] and not verdict.conflict and pair["id"] in read:
            why = miss_reason(views[0], views[1], verdict, settings, unclear=unclear)
            read_misses[why] = read_misses.get(why, 0) + 1
        if show_errors and pair["id"] in read and (verdict.conflict or pair["conflict"]):
            _show(pair, views, verdict, settings)

    def scored(ids: Sequence[str]) -> dict:
        chosen = [p for p in pairs if p["id"] in set(ids)]
        tp = sum(1 for p in chosen if p["conflict"] and decisions[p["id"]])
        predicted = sum(1 for p in chosen if decisions[p["id"]])
        golds = sum(1 for p in chosen if p["conflict"])
        same_tp = sum(1 for p in chosen if p["same_quantity"] and same[p["id"]])
        same_pred = sum(1 for p in chosen if same[p["id"]])
        same_gold = sum(1 for p in chosen if p["same_quantity"])
        frame = prf(same_tp, same_pred, same_gold)
        return {
            **prf(tp, predicted, golds),
            "tp": tp,
            "predicted": predicted,
            "gold": golds,
            "pairs": len(chosen),
            "same_quantity": {**frame, "tp": same_tp, "predicted": same_pred, "gold": same_gold},
        }

    strata: dict[str, list[str]] = {}
    for pair in pairs:
        strata.setdefault(pair.get("stratum") or "all", []).append(pair["id"])
    result = {
        **scored(ids),
        **{name: scored(halves[name]) for name in HALVES},
        "found": found,
        "read_misses": dict(sorted(read_misses.items())),
        "read_same_misses": dict(sorted(read_same_misses.items())),
        "learned_baseline": conflict_baseline.cross_validate(
            read_judged,
            gold_conflicts=sum(1 for p in pairs if p["id"] in read and p["conflict"]),
            gold_same=sum(1 for p in pairs if p["id"] in read and p["same_quantity"]),
        ),
        "strata": {
            stratum: {
                **scored(members),
                **{name: scored([i for i in members if i in set(halves[name])]) for name in HALVES},
            }
            for stratum, members in strata.items()
        },
    }
    _print(result)
    return result


def _show(pair: dict, views: list[FigureView], verdict, settings: ConflictSettings) -> None:
    print(f"## {pair['id']} gold conflict={pair['conflict']} same={pair['same_quantity']}")
    for side, view in zip("ab", views, strict=True):
        item = pair[side]
        text = item["sentence"]
        start, end = item["start"], item["end"]
        marked = f"{text[:start]}[[{text[start:end]}]]{text[end:]}"
        print(f"   {side}: {' '.join(marked.split())[:400]}")
        span = figure_interval(view, settings)
        print(f"      {view.text!r} {span.describe() if span else None} | {view.describe()}")
    if verdict.match:
        notes = "; ".join(verdict.match.notes) or "exact"
    else:
        compared = compare(views[0], views[1], max_uncertain=settings.max_uncertain)
        notes = compared.describe() if isinstance(compared, Mismatch) else "-"
    print(f"   ours: conflict={verdict.conflict} ({notes})")


def miss_reason(
    a: FigureView, b: FigureView, verdict: Verdict, settings: ConflictSettings, *, unclear: bool
) -> str:
    """Why a pair was not called a conflict: the frame check it failed, or the values' test.

    Counted over the read half's missed conflicts (``read_misses``): where recall is lost.
    """
    if verdict.match is None:
        compared = compare(a, b, max_uncertain=settings.max_uncertain)
        return f"frames: {compared.check}" if isinstance(compared, Mismatch) else "frames"
    if verdict.interval_a is None or verdict.interval_b is None:
        return "values: vague or empty"
    if unclear and not verdict.match.tied:
        return "ambiguous in its article"
    if verdict.interval_a.intersects(verdict.interval_b):
        return "values: intervals overlap"
    return "values: too far apart"


def same_miss_reason(a: FigureView, b: FigureView, settings: ConflictSettings) -> str:
    """The frame check that turns down a pair of one quantity (``read_same_misses``)."""
    compared = compare(a, b, max_uncertain=settings.max_uncertain)
    return compared.check if isinstance(compared, Mismatch) else "other"


def _print(result: dict) -> None:
    print(f"pairs: {result['pairs']}  (both figures found: {result['found']})")
    _print_halves(result, indent="")
    misses = ", ".join(f"{why} {n}" for why, n in result.get("read_misses", {}).items())
    print(f"read half's missed conflicts by reason: {misses or 'none'}")
    same = ", ".join(f"{why} {n}" for why, n in result.get("read_same_misses", {}).items())
    print(f"read half's unmatched pairs of one quantity by check: {same or 'none'}")
    if "learned_baseline" in result:
        base = result["learned_baseline"]
        conflict, same = base["conflict"], base["same_quantity"]
        print(
            f"  read  learned baseline (logistic regression over frame agreement, grouped"
            f" {base['folds']}-fold CV by {base['grouped_by']}): conflict: P {conflict['p']:.3f}"
            f" R {conflict['r']:.3f}   same quantity: P {same['p']:.3f} R {same['r']:.3f}"
        )
    for stratum, scores in result.get("strata", {}).items():
        print(f"stratum {stratum}: {scores['pairs']} pairs")
        _print_halves(scores, indent="  ")


def _print_halves(result: dict, *, indent: str) -> None:
    for name in ("whole", *HALVES):
        scores = result if name == "whole" else result[name]
        frame = scores["same_quantity"]
        print(
            f"{indent}{name:>6}  conflict: P {scores['p']:.3f} R {scores['r']:.3f}"
            f" F1 {scores['f1']:.3f}"
            f" ({scores['tp']}/{scores['predicted']} predicted, {scores['gold']} gold)"
            f"   same quantity: P {frame['p']:.3f} R {frame['r']:.3f}"
        )
