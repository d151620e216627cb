"""Evaluate figure conflicts against pairs judged by reading (``tests/fixtures/conflicts/``).

The gold is a set of candidate pairs sampled from the AllSides warehouse (:func:`sample_pairs`:
two figures of one story from different outlets whose counted things share a head noun), each
labelled by a person who read both sentences: do they measure the same quantity, and do they
disagree? A pair is a conflict when both hold. The criteria are in the README beside the file.

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

import hashlib
import json
import random
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.across.conflicts import (
    ConflictSettings,
    FigureView,
    ambiguous,
    counted_key,
    decide,
    figure_interval,
)
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


def sentence_id(text: str) -> str:
    """The gold-text id of a sentence (one text per distinct sentence)."""
    return "s_" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def pair_id(a: Mapping[str, object], b: Mapping[str, object]) -> str:
    """A stable id for a pair, from both sentences and spans (order-insensitive)."""
    keys = sorted(f"{side['sentence']}\x1f{side['start']}\x1f{side['end']}" for side in (a, b))
    return "cp_" + hashlib.sha1("\x1e".join(keys).encode("utf-8")).hexdigest()[:16]


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
    for row in rows:
        offsets = OffsetMap.between(text, row["body"])
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
) -> dict:
    """Score the conflict decision on the judged pairs; print a summary.

    Args:
        gold: Judged pairs (JSON lines; see the README beside the default file).
        warehouse_for: Builds the warehouse of ``newsledger run``'s job over the sentences.
        limit: Only the first ``limit`` pairs.
        show_errors: Print the read half's wrong decisions (never the check half's).
        settings: Conflict tolerances (default: the stage's).

    Returns:
        ``{"p", "r", "f1", "tp", "predicted", "gold", "pairs", "found", "read": {...},
        "check": {...}}``: the whole file at the top level, each half below.
    """
    settings = settings or ConflictSettings()
    pairs = [p for p in read_jsonl(gold, limit) if p.get("conflict") is not None]
    sentences = {sentence_id(p[s]["sentence"]): p[s]["sentence"] for p in pairs for s in "ab"}
    texts = [GoldText(i, t) for i, t in sorted(sentences.items())]
    with warehouse_for(gold.stem, texts) as warehouse:
        rows = _figure_rows(warehouse)
    ids = [p["id"] for p in pairs]
    halves = by_half(ids)
    read = set(halves["read"])
    decisions: dict[str, bool] = {}
    same: dict[str, bool] = {}
    found = 0
    for pair in pairs:
        views = []
        unclear = False
        for side in ("a", "b"):
            item = pair[side]
            sid = sentence_id(item["sentence"])
            row = _find(rows.get(sid, []), item["sentence"], item["start"], item["end"])
            if row is None:
                continue
            outlet, date = f"{side}:{item['outlet']}", _parse_date(item.get("published_at"))
            views.append(FigureView.from_row(row, outlet, date))
            # as the stage does per article: here the article is the sentence
            neighbours = [FigureView.from_row(r, outlet, date) for r in rows.get(sid, [])]
            unclear = unclear or views[-1].figure_id in ambiguous(neighbours, settings)
        if len(views) < 2:
            decisions[pair["id"]] = same[pair["id"]] = False
            continue
        found += 1
        verdict = decide(views[0], views[1], settings, unclear=unclear)
        decisions[pair["id"]] = verdict.conflict
        same[pair["id"]] = verdict.match is not None
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

    result = {
        **scored(ids),
        **{name: scored(halves[name]) for name in HALVES},
        "found": found,
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
    notes = "; ".join(verdict.match.notes) if verdict.match else "-"
    print(f"   ours: conflict={verdict.conflict} ({notes})")


def _print(result: dict) -> None:
    print(f"pairs: {result['pairs']}  (both figures found: {result['found']})")
    for name in ("whole", *HALVES):
        scores = result if name == "whole" else result[name]
        frame = scores["same_quantity"]
        print(
            f"{name:>6}  conflict: P {scores['p']:.3f} R {scores['r']:.3f} F1 {scores['f1']:.3f}"
            f" ({scores['tp']}/{scores['predicted']} predicted, {scores['gold']} gold)"
            f"   same quantity: P {frame['p']:.3f} R {frame['r']:.3f}"
        )


def sample_pairs(
    warehouse: Warehouse,
    *,
    size: int = 240,
    seed: int = 30,
    per_story: int = 3,
    agreeing_share: float = 0.2,
    similar_share: float = 0.4,
    min_overlap: float = 0.2,
) -> list[dict]:
    """Candidate pairs to judge: one story, different outlets, counted things of one head.

    Deterministic for a given warehouse and seed. Three strata, because true conflicts are
    rare among candidates: ``agreeing_share`` of the sample from pairs whose plain intervals
    (qualifier only, no frame) overlap (never conflicts, whatever the frames); of the pairs
    whose intervals do not overlap, ``similar_share`` from those whose sentences share at least
    ``min_overlap`` of their content words (Jaccard; more often one quantity) and the rest from
    the others. At most ``per_story`` pairs come from one story, so big stories do not fill
    it. The strata use neither frames nor the conflict decision.

    Args:
        warehouse: A warehouse built by ``newsledger run`` (stories and figures).
        size: Pairs to draw.
        seed: Seed of the draw.
        per_story: Most pairs from one story.
        agreeing_share: Share of pairs whose values agree.
        similar_share: Share of pairs from the stratum of similar sentences.
        min_overlap: Content-word Jaccard of two sentences that makes them similar.
    """
    from pipeline.evaluate.gold import cached_docs

    articles = warehouse.frame(
        "SELECT article_id, outlet, published_at, story_id FROM articles"
        " WHERE story_id IS NOT NULL AND duplicate_of IS NULL"
    )
    meta = {r[0]: r[1:] for r in articles.iter_rows()}
    figures = warehouse.frame(
        'SELECT * FROM figures WHERE counted IS NOT NULL ORDER BY article_id, "start"'
    )
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for row in figures.iter_rows(named=True):
        if row["article_id"] not in meta:
            continue
        key = counted_key(row["counted"])
        if key is None or row["change"] in ("up", "down"):
            continue
        outlet, _, story = meta[row["article_id"]]
        groups.setdefault((story, row["kind"], key.head), []).append(row)
    bodies = dict(
        warehouse.frame(
            "SELECT article_id, body FROM articles WHERE story_id IS NOT NULL"
        ).iter_rows()
    )
    plain = ConflictSettings(rounding=0.0)
    disagreeing: list[tuple[str, dict, dict]] = []
    similar: list[tuple[str, dict, dict]] = []
    agreeing: list[tuple[str, dict, dict]] = []
    for (story, _, _), rows in sorted(groups.items()):
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if meta[a["article_id"]][0] == meta[b["article_id"]][0]:
                    continue
                view_a = FigureView.from_row(
                    {**a, "frame_role": "total", "frame_counted": None}, "a", None
                )
                view_b = FigureView.from_row(
                    {**b, "frame_role": "total", "frame_counted": None}, "b", None
                )
                span_a, span_b = figure_interval(view_a, plain), figure_interval(view_b, plain)
                if span_a is None or span_b is None:
                    continue
                if span_a.intersects(span_b):
                    agreeing.append((story, a, b))
                elif _overlap(bodies, a, b) >= min_overlap:
                    similar.append((story, a, b))
                else:
                    disagreeing.append((story, a, b))
    rng = random.Random(seed)
    chosen: list[tuple[str, dict, dict]] = []
    taken: dict[str, int] = {}
    n_agreeing = round(size * agreeing_share)
    n_similar = round(size * similar_share)
    for bucket, count in (
        (similar, n_similar),
        (disagreeing, size - n_agreeing - n_similar),
        (agreeing, n_agreeing),
    ):
        order = list(bucket)
        rng.shuffle(order)
        picked = 0
        for story, a, b in order:
            if picked == count:
                break
            if taken.get(story, 0) >= per_story:
                continue
            taken[story] = taken.get(story, 0) + 1
            chosen.append((story, a, b))
            picked += 1
    needed = sorted({r["article_id"] for _, a, b in chosen for r in (a, b)})
    docs = dict(zip(needed, cached_docs(warehouse, needed), strict=True))
    records = []
    for story, a, b in chosen:
        sides = {}
        for tag, row in (("a", a), ("b", b)):
            doc = docs[row["article_id"]]
            sentence = doc.char_span(row["start"], row["end"], alignment_mode="expand")
            sent = sentence.sent if sentence is not None else doc[:0]
            outlet, published_at, _ = meta[row["article_id"]]
            sides[tag] = {
                "outlet": outlet,
                "published_at": published_at.isoformat() if published_at else None,
                "sentence": sent.text,
                "start": row["start"] - sent.start_char,
                "end": row["end"] - sent.start_char,
                "text": row["text"],
            }
        records.append(
            {
                "id": pair_id(sides["a"], sides["b"]),
                "story": story,
                "a": sides["a"],
                "b": sides["b"],
                "same_quantity": None,
                "disagree": None,
                "conflict": None,
                "note": "",
            }
        )
    return records


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n")
_CONTENT_WORD = re.compile(r"[a-z][a-z'-]{3,}")


def _sentence_words(body: str, start: int) -> set[str]:
    """Content words (4+ letters) of the regex sentence around ``start``."""
    begin = 0
    for match in _SENTENCE_END.finditer(body):
        if match.end() > start:
            return set(_CONTENT_WORD.findall(body[begin : match.start()].lower()))
        begin = match.end()
    return set(_CONTENT_WORD.findall(body[begin:].lower()))


def _overlap(bodies: Mapping[str, str], a: Mapping, b: Mapping) -> float:
    words_a = _sentence_words(bodies.get(a["article_id"], ""), a["start"])
    words_b = _sentence_words(bodies.get(b["article_id"], ""), b["start"])
    union = words_a | words_b
    return len(words_a & words_b) / len(union) if union else 0.0


def write_sample(warehouse_path: Path, out: Path, **options: int | float) -> int:
    """Write :func:`sample_pairs` of the warehouse at ``warehouse_path`` to ``out``."""
    from pipeline.warehouse import Warehouse, connect

    con = connect(warehouse_path, read_only=True)
    try:
        records = sample_pairs(Warehouse(con), **options)  # type: ignore[arg-type]
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return len(records)
