"""What ``newsledger bench`` prints: the report lines, the README block, the JSON line.

The measurements and their result (:class:`pipeline.bench.BenchResult`) are in
:mod:`pipeline.bench`; this module only formats them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

from pipeline.bench import (
    FLAT_WITHIN,
    PER_ARTICLE_STEP,
    README_END,
    README_START,
    BenchResult,
    RunTiming,
)


def _warm_memory_lines(result: BenchResult) -> list[str]:
    if result.warm_peaks is None:
        return []
    warm = result.warm_peaks
    return [
        f"  in this process {warm.rss:.1f} MiB RSS, PSS {warm.pss:.1f}, main {warm.main_rss:.1f} "
        "(the N run repeated warm, in the bench's own process after the series)"
    ]


def report_lines(result: BenchResult) -> list[str]:
    """The human-readable report."""
    s = result.summary()
    fixed = result.fixed_cost_by_step()
    run, floor = result.ratio_pair()
    lines = [
        f"bench: {s['articles']} articles, {s['words']} words "
        f"(load average {' '.join(str(x) for x in result.load_average)}, {os.cpu_count()} cores)",
        f"  end to end   {s['seconds']:>8.2f} s  {s['articles_per_s']:>8.3f} articles/s  "
        f"{s['words_per_s']:>9.1f} words/s  ({'ok' if run.success else 'FAILED'}; "
        "warm process)",
        *_cold_lines(result),
        f"  spaCy floor  {floor.seconds:>8.2f} s  {s['floor_articles_per_s']:>8.3f} "
        f"articles/s  {s['floor_words_per_s']:>9.1f} words/s  (full en_core_web_sm, n_process=2, "
        f"batch {floor.batch_size}; peak PSS {s['floor_peak_pss_mb']:.1f} MiB)",
        f"  ratio        {s['ratio']:>8.3f}   (end to end / floor; >= 1.0 beats spaCy alone)"
        + _pairs_note(result),
        f"  re-run       {s['rerun_seconds']:>8.2f} s  = "
        f"{s['rerun_fraction']:.3f} of the first run"
        + _reruns_note(result)
        + _skipped_note(result.rerun),
        *_dagster_alone_lines(result),
        f"  peak RSS     {s['peak_rss_mb']:>8.1f} MiB (process + children, shared pages counted "
        f"per process); PSS {s['peak_pss_mb']:.1f} MiB; "
        f"main process {s['peak_main_rss_mb']:.1f} MiB ({s['peak_memory_of']}"
        + ("" if result.fresh is None else f", {result.fresh.seconds:.1f} s wall")
        + ("" if result.fresh is None or result.fresh.success else ", FAILED")
        + ")",
        *_warm_memory_lines(result),
        "  scaling      "
        + "  ".join(f"N={n}: {v * 1000:.0f} ms/article" for n, v in result.scaling.items())
        + f"  (spread {s['scaling_spread']:.1%})",
        "  spaCy alone  "
        + "  ".join(f"N={n}: {v * 1000:.0f} ms/article" for n, v in result.floor_scaling.items())
        + f"  (spread {_percent(s['floor_scaling_spread'])})",
        f"  fixed cost   {s['fixed_seconds_per_run']:>8.2f} s per run + "
        f"{result.fixed_cost().per_article * 1000:.0f} ms/article (fit of the series; spaCy alone "
        f"{_seconds(s['floor_fixed_seconds'])}); flat within {FLAT_WITHIN:.0%} needs at most "
        f"{s['flat_needs_fixed_seconds_at_most']:.2f} s",
        *_fixed_by_step_lines(fixed),
        "  marginal     "
        + "  ".join(f"{k}: {v * 1000:.0f} ms/article" for k, v in result.marginal.items())
        + "  (added seconds / added articles: the series without a run's fixed cost)",
    ]
    runs = result.series or (result.first,)
    sizes = "".join(f"{'N=' + str(run.articles):>9}" for run in runs)
    lines.append(f"  stages (seconds)                                 {sizes}   fixed")
    for step in result.first.steps:
        times = "".join(f"{run.steps.get(step, 0.0):>9.2f}" for run in runs)
        fit = f"{fixed[step]:>8.2f}" if step in fixed else ""
        lines.append(f"    {step:<45}{times}{fit}")
    lines.append("  stages (re-run, seconds):")
    for step, seconds in result.rerun.steps.items():
        lines.append(f"    {step:<48} {seconds:>7.2f}")
    return lines


def _largest_fixed(fixed: Mapping[str, float], *, at_least: float = 0.05) -> str:
    """The steps whose fixed cost (``fixed``, by step) is at least ``at_least`` s, largest first."""
    by_step = sorted(fixed.items(), key=lambda item: -item[1])
    return ", ".join(f"{step} {seconds:.2f} s" for step, seconds in by_step if seconds >= at_least)


def _fixed_by_step_lines(fixed: Mapping[str, float]) -> list[str]:
    largest = _largest_fixed(fixed)
    return [f"  of which      {largest}  (each step's series fitted alone)"] if largest else []


def _percent(value: object) -> str:
    return f"{value:.1%}" if isinstance(value, float) else "n/a"


def _seconds(value: object) -> str:
    return f"{value:.2f} s" if isinstance(value, float) else "n/a"


def _reruns_note(result: BenchResult) -> str:
    if len(result.reruns) < 2:
        return ""
    each = ", ".join(f"{r.seconds:.2f}" for r in result.reruns)
    return f" (the median of {len(result.reruns)} re-runs: {each} s)"


def _skipped_note(run: RunTiming) -> str:
    if not run.skipped:
        return ""
    total = len(run.steps) + len(run.skipped)
    return f" ({len(run.skipped)} of {total} steps skipped: nothing new since the build seal)"


def _dagster_alone_lines(result: BenchResult) -> list[str]:
    if result.dagster_alone_seconds is None:
        return []
    return [
        f"  Dagster      {result.dagster_alone_seconds:>8.2f} s  for a run of every step doing "
        "nothing (same steps, assets and checks): the floor under a run with work in each"
    ]


def _cold_lines(result: BenchResult) -> list[str]:
    cold = result.cold
    if cold is None:
        return []
    return [
        f"  cold start   {cold.seconds:>8.2f} s  for {cold.articles} articles: the first run in "
        "this process (imports, model, gazetteer, GX), not in the ratio"
    ]


def _pair_ratios_text(result: BenchResult) -> str:
    return ", ".join(f"{r:.3f}" for r in result.pair_ratios())


def _pairs_note(result: BenchResult) -> str:
    if len(result.pairs) < 2:
        return ""
    return f"; the median of {len(result.pairs)} back-to-back pairs: {_pair_ratios_text(result)}"


def _one_and_two_workers(result: BenchResult) -> str:
    one = result.one_worker.steps.get(PER_ARTICLE_STEP, 0.0) if result.one_worker else 0.0
    two = result.ratio_pair()[0].steps.get(PER_ARTICLE_STEP, 0.0)
    return f"{one:.1f} s / {two:.1f} s"


def readme_block(result: BenchResult, command: str) -> str:
    """The Markdown table written between the README markers."""
    s = result.summary()
    run, floor = result.ratio_pair()
    where = "a fresh `newsledger run` of N" if result.warm_peaks else "the bench's warm process"
    rows = [
        ("articles (words)", f"{s['articles']} ({s['words']})"),
        (
            "end to end (warm process)",
            f"{s['articles_per_s']} articles/s, {s['words_per_s']} words/s ({s['seconds']} s)",
        ),
        (
            "spaCy full pipeline alone (n_process=2)",
            f"{s['floor_articles_per_s']} articles/s, {s['floor_words_per_s']} words/s "
            f"({floor.seconds:.1f} s)",
        ),
        ("ratio end to end / spaCy alone", f"{s['ratio']:.3f}"),
        *(
            [
                (
                    "ratio of each back-to-back pair (N run, then spaCy alone; the median above)",
                    _pair_ratios_text(result),
                )
            ]
            if len(result.pairs) > 1
            else []
        ),
        (
            "of which parsing and extraction on the workers",
            f"{run.steps.get(PER_ARTICLE_STEP, 0.0):.1f} s",
        ),
        *(
            [
                (
                    "the same step with 1 worker / with 2 (`workers_speedup`)",
                    f"{s['workers_speedup']:.2f} ({_one_and_two_workers(result)})",
                )
            ]
            if s["workers_speedup"] is not None
            else []
        ),
        (
            "no-op re-run / first run",
            f"{s['rerun_fraction']:.3f} ({s['rerun_seconds']} s; "
            f"{s['rerun_skipped_steps']} steps skipped)" + _reruns_note(result),
        ),
        *(
            []
            if result.dagster_alone_seconds is None
            else [
                (
                    "Dagster alone: a run of every step, each doing nothing",
                    f"{result.dagster_alone_seconds:.2f} s",
                )
            ]
        ),
        (
            f"peak RSS, process + workers (shared pages counted per process; {where})",
            f"{s['peak_rss_mb']} MiB",
        ),
        (f"peak PSS, process + workers (memory actually held; {where})", f"{s['peak_pss_mb']} MiB"),
        (f"peak RSS, main process ({where})", f"{s['peak_main_rss_mb']} MiB"),
        *(
            []
            if result.warm_peaks is None
            else [
                (
                    "peak RSS / PSS / main RSS, the N run repeated in the bench's warm process",
                    f"{result.warm_peaks.rss:.1f} / {result.warm_peaks.pss:.1f} / "
                    f"{result.warm_peaks.main_rss:.1f} MiB",
                )
            ]
        ),
        ("peak PSS of spaCy alone (the floor), for comparison", f"{s['floor_peak_pss_mb']} MiB"),
        (
            "seconds per article at N/4, N/2, N",
            ", ".join(f"{v:.3f}" for v in result.scaling.values())
            + f" (spread {s['scaling_spread']:.1%})",
        ),
        (
            "spaCy alone: seconds per article at N/4, N/2, N",
            ", ".join(f"{v:.3f}" for v in result.floor_scaling.values())
            + f" (spread {_percent(s['floor_scaling_spread'])})",
        ),
        (
            "seconds per added article, N/4 to N/2 and N/2 to N",
            ", ".join(f"{v:.3f}" for v in result.marginal.values()),
        ),
        (
            "fixed cost of a run, fitted (spaCy alone)",
            f"{s['fixed_seconds_per_run']:.2f} s + {s['s_per_article_fitted']:.3f} s/article "
            f"({_seconds(s['floor_fixed_seconds'])})",
        ),
        (
            "fixed cost by step (each step's series fitted alone)",
            _largest_fixed(result.fixed_cost_by_step()) or "n/a",
        ),
        (
            f"largest fixed cost for a series flat within {FLAT_WITHIN:.0%}",
            f"{s['flat_needs_fixed_seconds_at_most']:.2f} s",
        ),
        ("load average during the run", " ".join(str(x) for x in result.load_average)),
    ]
    if result.cold is not None:
        rows.insert(
            2,
            (
                "cold start: first run in a fresh process (not in the ratio)",
                f"{result.cold.seconds:.2f} s for {result.cold.articles} articles",
            ),
        )
    table = "\n".join(f"| {k} | {v} |" for k, v in rows)
    return (
        f"{README_START}\n`{command}` (machine: {os.cpu_count()} cores):\n\n"
        f"| measure | value |\n|---|---|\n{table}\n{README_END}"
    )


def update_readme(readme: Path, block: str) -> bool:
    """Replace the block between the markers; returns False when the markers are missing."""
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), re.S)
    if not pattern.search(text):
        return False
    readme.write_text(pattern.sub(lambda _: block, text, count=1), encoding="utf-8")
    return True


def json_line(result: BenchResult) -> str:
    """The last output line: one JSON object."""
    return json.dumps(result.summary(), sort_keys=True)
