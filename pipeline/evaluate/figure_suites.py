"""The figures eval beyond NewsQuant: Recognizers-Text suites, unit sentences, speed.

- **Recognizers-Text suites** (``train/figures/recognizers-text.jsonl``): each suite annotates
  only its own kind of figure, so only recall is scored. A gold figure is found when a figure
  of the warehouse overlaps its span (offsets mapped back into the gold text) with the same
  value; an open range ``[20, null]`` ("more than 20") is value 20 with change ``>``,
  ``[null, 20]`` value 20 with ``<``, and ``[x, x]`` ("equal to x") the value x.
- **Unit sentences** (CQE's ``unit-sentences-test.jsonl``): which unit an amount means ("I
  weigh 230" is pound-mass). A sentence is right when one of the warehouse's figures in it has
  the gold unit (compared before any " per ..." rate), or a prefixed unit of it: CQE labels the
  unit an ambiguous symbol stands for, whatever its prefix ("120 dB" is bel, "10 nF" farad).
  The unit disambiguator is applied exactly as the pipeline applies it. The accuracy is also
  reported on the file's read and check halves (split by id as the dev files are), and only
  the read half's misses are printed.
- **Speed**: :func:`pipeline.extract.figures.extract_figures` alone, timed over the spaCy docs
  the pipeline cached for the gold warehouse, as the extraction stage runs it.

Both pools are read through ``newsledger run``'s own job, one gold warehouse per file, like
NewsQuant; quantulum3 runs on the same texts beside ours.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.evaluate.gold import (
    HALVES,
    GoldText,
    WarehouseFor,
    by_half,
    gold_articles,
    read_jsonl,
)

if TYPE_CHECKING:
    from pipeline.warehouse import Warehouse

#: Where the training pools live; ``NEWSLEDGER_FIGURE_POOLS`` points elsewhere (tests use a
#: small copy). The eval skips a pool whose file is absent.
POOLS_ENV = "NEWSLEDGER_FIGURE_POOLS"
SUITES_FILE = "recognizers-text.jsonl"
UNITS_FILE = "unit-sentences-test.jsonl"


def pools_dir() -> Path:
    """The folder holding the Recognizers-Text suites and CQE's unit sentences."""
    from pipeline.learn import SHARED_EVAL

    return Path(os.environ.get(POOLS_ENV) or SHARED_EVAL / "train" / "figures")


@dataclass(frozen=True, slots=True)
class Found:
    """A figure as the suites compare it: gold-text span, value or range ends, change, unit."""

    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    change: str
    unit: str | None


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-9)


def suite_match(gold: Mapping, found: Found) -> bool:
    """Whether ``found`` overlaps the gold figure's span with the same value (see module)."""
    if found.end <= gold["start"] or gold["end"] <= found.start:
        return False
    value = gold["value"]
    if not isinstance(value, list):
        return found.value is not None and _close(found.value, float(value))
    low, high = value
    if low is not None and high is not None:
        if _close(low, high):
            return found.value is not None and _close(found.value, low)
        return (
            found.low is not None
            and found.high is not None
            and _close(found.low, min(low, high))
            and _close(found.high, max(low, high))
        )
    bound, change = (low, ">") if low is not None else (high, "<")
    if bound is None or found.value is None:
        return False
    return _close(found.value, bound) and found.change == change


def warehouse_found(warehouse: Warehouse, texts: Mapping[str, str]) -> dict[str, list[Found]]:
    """The figures of the gold warehouse per gold id, with spans mapped into the gold texts.

    Each article is scored on its own rows. A copy (``duplicate_of`` set) is extracted like
    any other article, and a near copy is not the same text: the suites' one-line sentences
    that differ only in a number or a sign ("when >30", "when <-30") are near copies of each
    other, and scoring one with the other's figures scored the wrong sentence.
    """
    articles = gold_articles(warehouse, texts)
    frame = warehouse.frame(
        'SELECT article_id, "start", "end", value, value_low, value_high, change, unit '
        'FROM figures ORDER BY article_id, "start"'
    )
    rows: dict[str, list[tuple]] = {}
    for article_id, *fields in frame.iter_rows():
        rows.setdefault(article_id, []).append(tuple(fields))
    out: dict[str, list[Found]] = {}
    for gold_id, article in articles.items():
        found = []
        for start, end, value, low, high, change, unit in rows.get(article.article_id, []):
            gold_start, gold_end = article.offsets.span_to_gold(start, end)
            found.append(Found(gold_start, gold_end, value, low, high, change, unit))
        out[gold_id] = found
    return out


def suite_recall(
    records: Sequence[Mapping], found: Mapping[str, Sequence[Found]]
) -> dict[str, float]:
    """Recall per suite and over all suites (key ``"all"``)."""
    hits: dict[str, list[int]] = {}
    for record in records:
        figures = found.get(record["id"], [])
        for gold in record["figures"]:
            tally = hits.setdefault(record["suite"], [0, 0])
            tally[0] += any(suite_match(gold, f) for f in figures)
            tally[1] += 1
    out = {suite: round(hit / total, 4) for suite, (hit, total) in sorted(hits.items())}
    out["all"] = round(
        sum(h for h, _ in hits.values()) / max(1, sum(t for _, t in hits.values())), 4
    )
    return out


def _head_unit(unit: str | None) -> str:
    return (unit or "-").split(" per ")[0].strip().lower()


def _means(unit: str | None, gold: str) -> bool:
    """Whether a figure's unit is the gold unit or a prefixed unit of it ("nanofarad")."""
    from pipeline.extract.lexicon import lexicon

    head = _head_unit(unit)
    return gold in (head, lexicon().unit_bases.get(head))


def unit_accuracy(records: Sequence[Mapping], found: Mapping[str, Sequence[Found]]) -> float:
    """Share of unit sentences where a figure carries the gold unit (or a prefixed one)."""
    right = sum(
        any(_means(f.unit, record["unit"]) for f in found.get(record["id"], []))
        for record in records
    )
    return round(right / max(1, len(records)), 4)


def misses(
    records: Sequence[Mapping], found: Mapping[str, Sequence[Found]]
) -> list[tuple[str, str, list]]:
    """(suite, text, what we found) of every gold figure the suites did not find."""
    out = []
    for record in records:
        figures = found.get(record["id"], [])
        for gold in record["figures"]:
            if not any(suite_match(gold, f) for f in figures):
                seen = [(f.value, f.low, f.high, f.change, f.unit) for f in figures]
                out.append((record["suite"], f"{gold['surface']!r} in {record['text']}", seen))
    return out


QuantulumParse = Callable[[str], list]


def _quantulum_found(parse: QuantulumParse, text: str) -> list[Found]:
    out = []
    for q in parse(text):
        start, end = q.span
        unit = None if q.unit.name == "dimensionless" else q.unit.name
        if q.uncertainty:
            low, high = q.value - q.uncertainty, q.value + q.uncertainty
            out.append(Found(start, end, None, low, high, "=", unit))
        else:
            out.append(Found(start, end, float(q.value), None, None, "=", unit))
    return out


@dataclass(frozen=True, slots=True)
class PoolScores:
    """Suite recall and unit accuracy of one system (None where the pool file is absent).

    ``units_halves`` holds the unit accuracy on the read and the check half.
    """

    suites: dict[str, float] | None
    units_accuracy: float | None
    units_halves: dict[str, float] | None = None


def score_pools(
    warehouse_for: WarehouseFor, parse: QuantulumParse, *, show_errors: bool = False
) -> tuple[PoolScores, PoolScores]:
    """Ours (through the warehouse) and quantulum3's scores on the pools that are present."""
    folder = pools_dir()
    suites_path, units_path = folder / SUITES_FILE, folder / UNITS_FILE
    ours_suites = theirs_suites = ours_units = theirs_units = ours_halves = None
    if suites_path.exists():
        records = read_jsonl(suites_path)
        found = _through_warehouse(warehouse_for, suites_path.stem, records)
        ours_suites = suite_recall(records, found)
        theirs = {r["id"]: _quantulum_found(parse, r["text"]) for r in records}
        theirs_suites = suite_recall(records, theirs)
        if show_errors:
            for suite, where, seen in misses(records, found):
                print(f"## {suite}: {where}\n   ours: {seen}")
    if units_path.exists():
        records = read_jsonl(units_path)
        found = _through_warehouse(warehouse_for, units_path.stem, records)
        ours_units = unit_accuracy(records, found)
        halves = {name: set(ids) for name, ids in by_half(r["id"] for r in records).items()}
        ours_halves = {
            name: unit_accuracy([r for r in records if r["id"] in halves[name]], found)
            for name in HALVES
        }
        theirs_units = unit_accuracy(
            records, {r["id"]: _quantulum_found(parse, r["text"]) for r in records}
        )
        if show_errors:
            read = halves["read"]
            for record in records:
                units = [f.unit for f in found.get(record["id"], [])]
                if record["id"] in read and not any(_means(u, record["unit"]) for u in units):
                    print(f"## unit {record['unit']}: {record['text']}\n   ours: {units}")
    return (
        PoolScores(ours_suites, ours_units, ours_halves),
        PoolScores(theirs_suites, theirs_units),
    )


def _through_warehouse(
    warehouse_for: WarehouseFor, name: str, records: Sequence[Mapping]
) -> dict[str, list[Found]]:
    texts = {r["id"]: r["text"] for r in records}
    with warehouse_for(name, [GoldText(i, t) for i, t in texts.items()]) as warehouse:
        return warehouse_found(warehouse, texts)


def extraction_speed(warehouse: Warehouse, article_ids: Sequence[str], *, rounds: int = 5) -> float:
    """Words per second of :func:`extract_figures` alone over the cached docs (best round).

    Words are the docs' non-space, non-punctuation tokens. Time is this process's CPU time and
    the best of ``rounds`` passes is kept: on a shared machine wall time measures the
    neighbours.
    """
    from pipeline.evaluate.gold import cached_docs
    from pipeline.extract.figures import extract_figures

    docs = cached_docs(warehouse, article_ids)
    words = sum(1 for doc in docs for t in doc if not (t.is_punct or t.is_space))
    best = math.inf
    for _ in range(rounds):
        started = time.process_time()
        for doc in docs:
            for _figure in extract_figures(doc):
                pass
        best = min(best, time.process_time() - started)
    return round(words / best, 1) if best > 0 else 0.0
