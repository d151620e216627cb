"""Evaluate HTML main-text extraction against gold bodies.

Runs our extraction (exactly the code path of the .html reader: ``to_article`` on the page,
i.e. trafilatura with our options plus normalisation and boilerplate removal) and, as a
baseline, ``trafilatura.extract`` with its defaults, on gold pages
(``{"id", "url", "html", "expected_body", ...}`` per line). The measure is bag-of-words token
precision/recall/F1 of the extracted body against ``expected_body``, averaged over pages
(a page with nothing extracted scores 0).

Measured (mean over pages; "ours" = ``HtmlOptions()``: favor_recall, tables, no comments)::

    gold                      system                P      R      F1
    aeb-dev (91)              ours              0.941  0.981  0.953
                              trafilatura dflt  0.912  0.981  0.930
                              favor_precision   0.962  0.967  0.958
    newspaper-fixtures (145)  ours              0.791  0.846  0.790
                              trafilatura dflt  0.756  0.855  0.769
                              favor_precision   0.802  0.817  0.784  (5 pages empty)

favor_recall is best over both files (favor_precision wins on aeb-dev but empties pages on
newspaper-fixtures); dropping tables costs recall on both.

Usage::

    uv run --frozen python -m pipeline.evaluate.html --gold ../shared/eval/html/aeb-dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import trafilatura

from pipeline.ingest import Article, to_article
from pipeline.ingest.fields import RawRecord
from pipeline.ingest.html import DEFAULT_OPTIONS, HtmlOptions, extract_html
from pipeline.normalise import normalise_body

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    """Bag of lower-cased word tokens."""
    return Counter(_TOKEN.findall(text.lower()))


def prf(predicted: str, expected: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of ``predicted`` against ``expected``."""
    pred, gold = tokens(predicted), tokens(expected)
    if not pred and not gold:
        return 1.0, 1.0, 1.0
    if not pred or not gold:
        return 0.0, 0.0, 0.0
    overlap = sum((pred & gold).values())
    precision = overlap / sum(pred.values())
    recall = overlap / sum(gold.values())
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return precision, recall, f1


def _pages(gold: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    with gold.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                return
            if line.strip():
                yield json.loads(line)


def ours(page: dict[str, Any]) -> str:
    """Our body for a gold page: the .html reader's code path."""
    result = to_article(
        RawRecord(
            namespace="file",
            external_id=str(page["id"]),
            source_uri=str(page["id"]),
            html=page["html"],
            url=page.get("url"),
        )
    )
    return result.body if isinstance(result, Article) else ""


def baseline(page: dict[str, Any]) -> str:
    """Trafilatura with its default options."""
    return trafilatura.extract(page["html"], url=page.get("url")) or ""


def with_options(options: HtmlOptions) -> Callable[[dict[str, Any]], str]:
    """Our normalisation on trafilatura run with ``options`` (for tuning)."""

    def run(page: dict[str, Any]) -> str:
        extracted = extract_html(page["html"], url=page.get("url"), options=options)
        return normalise_body(extracted.title, extracted.text)[0]

    return run


VARIANTS: dict[str, HtmlOptions] = {
    "default": HtmlOptions(favor_recall=False),
    "recall": HtmlOptions(favor_recall=True),
    "precision": HtmlOptions(favor_recall=False, favor_precision=True),
    "recall_no_tables": HtmlOptions(favor_recall=True, include_tables=False),
    "default_no_tables": HtmlOptions(favor_recall=False, include_tables=False),
}


def run(gold: Path, *, limit: int | None = None, variants: bool = False) -> dict[str, Any]:
    """Score our extraction and the trafilatura baseline on a gold file.

    Args:
        gold: JSONL gold file.
        limit: Only the first ``limit`` pages.
        variants: Also score the option variants in ``VARIANTS`` (for tuning).

    Returns:
        ``{"gold", "pages", "systems": {name: {"precision", "recall", "f1", "empty",
        "seconds"}}}``; scores are means over pages.
    """
    systems: dict[str, Callable[[dict[str, Any]], str]] = {"ours": ours, "baseline": baseline}
    if variants:
        systems |= {f"opt:{name}": with_options(opt) for name, opt in VARIANTS.items()}
    sums = {name: [0.0, 0.0, 0.0, 0, 0.0] for name in systems}
    pages = 0
    for page in _pages(gold, limit):
        pages += 1
        expected = page.get("expected_body") or ""
        for name, system in systems.items():
            start = time.perf_counter()
            try:
                body = system(page)
            except Exception:
                body = ""
            acc = sums[name]
            acc[4] += time.perf_counter() - start
            p, r, f = prf(body, expected)
            acc[0] += p
            acc[1] += r
            acc[2] += f
            acc[3] += not body.strip()
    n = max(pages, 1)
    return {
        "gold": gold.name,
        "pages": pages,
        "options": repr(replace(DEFAULT_OPTIONS)),
        "systems": {
            name: {
                "precision": round(acc[0] / n, 4),
                "recall": round(acc[1] / n, 4),
                "f1": round(acc[2] / n, 4),
                "empty": int(acc[3]),
                "seconds": round(acc[4], 2),
            }
            for name, acc in sums.items()
        },
    }


def format_report(report: dict[str, Any]) -> str:
    """A small table of the scores."""
    lines = [
        f"{report['gold']}: {report['pages']} pages; ours = {report['options']}",
        f"{'system':<24}{'P':>8}{'R':>8}{'F1':>8}{'empty':>7}{'sec':>8}",
    ]
    for name, s in report["systems"].items():
        lines.append(
            f"{name:<24}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}"
            f"{s['empty']:>7}{s['seconds']:>8.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: score one or more gold files and print the results."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--gold", type=Path, nargs="+", required=True, help="gold JSONL file(s)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--variants", action="store_true", help="also score option variants")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    for gold in args.gold:
        report = run(gold, limit=args.limit, variants=args.variants)
        print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
