"""Evaluate story clustering against AllSides ``event_group`` labels (pairwise P/R).

Protocol: read the JSONL as ingest does (``content_original`` as the body, ``date`` as the
publication date), mark copies with :func:`~pipeline.across.duplicates.find_duplicates`, cluster
the originals with :func:`~pipeline.across.stories.cluster_stories` (copies inherit their
original's story, as in the pipeline), then compare every pair of articles: a predicted pair
shares a ``story_id``, a gold pair shares an ``event_group``. Precision, recall and F1 over
pairs.

The gold is an approximation of "the same event": AllSides groups are one topic on one day as
presented side by side, so two stories of one day and topic count as one event, and one event
reported over two days counts as two. No entities are used (no spaCy): this measures the text
and time signals only.

Run: ``python -m pipeline.evaluate.stories --gold /work/shared/corpus/allsides-4k.jsonl``
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import polars as pl

from pipeline.across.duplicates import find_duplicates
from pipeline.across.stories import StorySettings, cluster_stories


def load(gold: Path, limit: int | None = None) -> tuple[pl.DataFrame, dict[str, str]]:
    """Articles read through ingest, and the gold ``event_group`` by ``article_id``."""
    from pipeline.ingest import Article, read_articles

    articles = [
        item
        for item in read_articles([gold], field_map={"text": "content_original"})
        if isinstance(item, Article)
    ]
    by_external: dict[str, str] = {}
    with gold.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                by_external[str(record.get("ID"))] = record.get("event_group")
    rows = [
        {
            "article_id": a.article_id,
            "published_at": a.published_at,
            "title": a.title,
            "body": a.body,
            "content_hash": a.content_hash,
        }
        for a in articles
    ]
    frame = pl.DataFrame(
        rows,
        schema={
            "article_id": pl.String,
            "published_at": pl.Datetime("us", "UTC"),
            "title": pl.String,
            "body": pl.String,
            "content_hash": pl.String,
        },
    ).sort("article_id")
    if limit is not None:
        frame = frame.head(limit)
    groups = {a.article_id: by_external.get(a.external_id) for a in articles}
    return frame, {k: v for k, v in groups.items() if v is not None}


def predict(articles: pl.DataFrame, settings: StorySettings | None = None) -> dict[str, str | None]:
    """``story_id`` per article: originals clustered, copies inherit."""
    found = find_duplicates(articles)
    originals = articles.join(
        found.filter(pl.col("duplicate_of").is_null()).select("article_id"), on="article_id"
    )
    story = dict(cluster_stories(originals, None, settings or StorySettings()).iter_rows())
    for article_id, duplicate_of in found.select("article_id", "duplicate_of").iter_rows():
        if duplicate_of is not None:
            story[article_id] = story.get(duplicate_of)
    return story


def pairwise(predicted: dict[str, str | None], gold: dict[str, str]) -> dict[str, float]:
    """Pairwise precision/recall/F1 over articles present in both."""
    common = sorted(set(predicted) & set(gold))

    def pairs(labels: dict) -> set[tuple[str, str]]:
        by_label: dict[str, list[str]] = {}
        for article_id in common:
            label = labels.get(article_id)
            if label is not None:
                by_label.setdefault(label, []).append(article_id)
        return {
            (a, b)
            for members in by_label.values()
            for i, a in enumerate(members)
            for b in members[i + 1 :]
        }

    predicted_pairs, gold_pairs = pairs(predicted), pairs(gold)
    hits = len(predicted_pairs & gold_pairs)
    precision = hits / len(predicted_pairs) if predicted_pairs else 0.0
    recall = hits / len(gold_pairs) if gold_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "articles": len(common),
        "predicted_pairs": len(predicted_pairs),
        "gold_pairs": len(gold_pairs),
        "true_pairs": hits,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def run(
    gold: Path, *, limit: int | None = None, threshold: float | None = None
) -> dict[str, object]:
    """Score story clustering on an AllSides-style JSONL and print a summary.

    Args:
        gold: JSON lines with ``ID``, ``title``, ``content_original``, ``date``,
            ``event_group``.
        limit: Only the first ``limit`` articles (by id).
        threshold: Override :attr:`StorySettings.threshold`.

    Returns:
        Pairwise metrics, the number of stories and copies, and the seconds taken.
    """
    started = time.perf_counter()
    articles, groups = load(Path(gold), limit)
    loaded = time.perf_counter()
    settings = StorySettings()
    if threshold is not None:
        settings = replace(settings, threshold=threshold)
    predicted = predict(articles, settings)
    metrics: dict[str, object] = dict(pairwise(predicted, groups))
    stories = {s for s in predicted.values() if s is not None}
    metrics.update(
        stories=len(stories),
        articles_in_stories=sum(1 for s in predicted.values() if s is not None),
        threshold=settings.threshold,
        window_hours=settings.window.total_seconds() / 3600,
        seconds_ingest=round(loaded - started, 2),
        seconds_cluster=round(time.perf_counter() - loaded, 2),
    )
    print(json.dumps(metrics, indent=2, sort_keys=True))
    return metrics


def main(argv: Sequence[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = parser.parse_args(argv)
    result = run(args.gold, limit=args.limit, threshold=args.threshold)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main()
