"""Benchmark measurements that need no Dagster: input slicing, the spaCy floor, peak memory.

The bench (``newsledger bench``) compares the whole pipeline, end to end, against the cheapest
thing that could replace it: spaCy's full small pipeline alone on the same texts. Everything
here is plain functions and frozen dataclasses; driving the Dagster job lives in
``assets/bench.py``.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

_T = TypeVar("_T")

#: The step that parses and extracts each article on the engine's workers.
PER_ARTICLE_STEP = "extractions"

#: Markers around the generated block in README.md.
README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


@dataclass(frozen=True, slots=True)
class RunTiming:
    """One end-to-end run of the job.

    Attributes:
        articles: Articles in the warehouse after the run.
        seconds: Wall time of the run, Dagster start-up included.
        success: Whether every step and blocking check passed.
        steps: Seconds per step (asset or check), in start order.
        skipped: Steps Dagster skipped (nothing new upstream: the build seal held).
    """

    articles: int
    seconds: float
    success: bool
    steps: dict[str, float] = field(default_factory=dict)
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Floor:
    """spaCy's full small pipeline alone on the same texts (model load excluded)."""

    articles: int
    words: int
    seconds: float
    batch_size: int


@dataclass(frozen=True, slots=True)
class MemoryPeaks:
    """Peak memory of one sampled run (MiB): see :class:`PeakRss`."""

    rss: float
    pss: float
    main_rss: float


@dataclass(frozen=True, slots=True)
class BenchResult:
    """Everything the bench reports; :meth:`summary` is the JSON line."""

    limit: int
    words: int
    first: RunTiming
    rerun: RunTiming
    floor: Floor
    scaling: dict[int, float]
    peak_rss_mb: float
    load_average: tuple[float, float, float]
    peak_pss_mb: float = 0.0
    peak_main_rss_mb: float = 0.0
    #: The warm-up: the first run in this process (imports, model and gazetteer loads).
    cold: RunTiming | None = None
    #: Seconds per added article between consecutive sizes of the series ("75-150": ...): the
    #: per-article cost without the fixed cost of a run, flat if nothing grows with N.
    marginal: dict[str, float] = field(default_factory=dict)
    #: Peak PSS of spaCy alone (the floor's process and workers), sampled the same way.
    floor_peak_pss_mb: float = 0.0
    #: The untimed repeat of the N run that the memory figures were sampled on.
    sampled: RunTiming | None = None
    #: Dagster alone: a run of a job of the same shape whose steps all run and do nothing
    #: (median seconds): the floor under any run that executes every step.
    dagster_alone_seconds: float | None = None
    #: spaCy alone on the texts of each run of the series: seconds per article by size.
    floor_scaling: dict[int, float] = field(default_factory=dict)
    #: The runs of the scaling series (N/4, N/2, N), with their step times.
    series: tuple[RunTiming, ...] = ()
    #: The peaks above (``peak_*``) were sampled on a fresh ``newsledger run`` of N, and
    #: these on the untimed repeat of N in this (warm) process. None: only the warm one ran.
    warm_peaks: MemoryPeaks | None = None
    #: The fresh process's run (wall time, success).
    fresh: RunTiming | None = None
    #: Back-to-back timings of an N run and the floor, ``(first, floor)`` first; the ratio and
    #: the end-to-end speed are the median pair's (see :meth:`ratio_pair`).
    pairs: tuple[tuple[RunTiming, Floor], ...] = ()
    #: Every no-op re-run of N, in order; ``rerun`` is the median one (Dagster's own cost, most
    #: of a re-run, drifts with the machine like everything else).
    reruns: tuple[RunTiming, ...] = ()
    #: An N run with one worker instead of two (fresh warehouse), for ``workers_speedup``.
    one_worker: RunTiming | None = None

    def workers_speedup(self) -> float | None:
        """The per-article step (parse and extraction) with 1 worker over with 2 (N articles).

        The 2-worker time is the median of the timed N runs (the series' N run and the pairs'):
        the machine drifts, one run of each would move the quotient by more than it measures.
        """
        if self.one_worker is None or PER_ARTICLE_STEP not in self.one_worker.steps:
            return None
        timed = self.pairs or ((self.first, self.floor),)
        two = [run.steps.get(PER_ARTICLE_STEP, 0.0) for run, _ in timed]
        median = lower_median(two, key=float)
        return self.one_worker.steps[PER_ARTICLE_STEP] / median if median else None

    def ratio_pair(self) -> tuple[RunTiming, Floor]:
        """The pair whose ratio is the median (the lower one of an even count).

        Why: the machine's speed drifts within seconds (a shared VM), so one pair of an N run
        and the floor, timed one after the other, moved the ratio from 0.996 to 1.288 over nine
        benches; the median of back-to-back pairs is steadier, and its run and floor are
        reported together so that the ratio is still their quotient.
        """
        return lower_median(self.pairs or ((self.first, self.floor),), key=_pair_ratio)

    def pair_ratios(self) -> list[float]:
        """Each back-to-back pair's ratio, in the order the pairs ran (rounded as reported)."""
        return [round(_pair_ratio(pair), 3) for pair in self.pairs]

    def fixed_cost(self) -> CostFit:
        """Our runs' series as a fixed cost per run plus a cost per article."""
        return CostFit.of(self.scaling)

    def fixed_cost_by_step(self) -> dict[str, float]:
        """Where the fixed cost sits: each step's series fitted on its own (seconds per run).

        ``(outside steps)`` is Dagster's run around the steps: planning, the run's events.
        """
        if len(self.series) < 2:
            return {}
        steps = dict.fromkeys(step for run in self.series for step in run.steps)
        fixed = {
            step: CostFit.of({r.articles: r.steps.get(step, 0.0) / r.articles for r in self.series})
            for step in steps
        }
        fixed["(outside steps)"] = CostFit.of(
            {r.articles: (r.seconds - sum(r.steps.values())) / r.articles for r in self.series}
        )
        return {step: fit.fixed for step, fit in fixed.items()}

    def floor_fixed_cost(self) -> CostFit:
        """The floor's series (spaCy alone), fitted the same way."""
        return CostFit.of(self.floor_scaling)

    def summary(self) -> dict[str, object]:
        """The machine-readable result (the bench's last output line)."""
        run, floor = self.ratio_pair()
        articles_per_s = run.articles / run.seconds
        floor_per_s = floor.articles / floor.seconds
        fit = self.fixed_cost()
        speedup = self.workers_speedup()
        return {
            "articles": self.first.articles,
            "words": self.words,
            "seconds": round(run.seconds, 2),
            "articles_per_s": round(articles_per_s, 3),
            "words_per_s": round(self.words / run.seconds, 1),
            "floor_articles_per_s": round(floor_per_s, 3),
            "floor_words_per_s": round(floor.words / floor.seconds, 1),
            "ratio": round(articles_per_s / floor_per_s, 3),
            "ratio_pairs": self.pair_ratios(),
            "rerun_seconds": round(self.rerun.seconds, 2),
            "rerun_seconds_each": [round(r.seconds, 2) for r in self.reruns],
            "rerun_skipped_steps": len(self.rerun.skipped),
            "rerun_fraction": round(self.rerun.seconds / self.first.seconds, 3),
            "dagster_alone_seconds": None
            if self.dagster_alone_seconds is None
            else round(self.dagster_alone_seconds, 2),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "peak_pss_mb": round(self.peak_pss_mb, 1),
            "peak_main_rss_mb": round(self.peak_main_rss_mb, 1),
            "peak_memory_of": "fresh newsledger run" if self.warm_peaks else "warm process",
            "fresh_run_seconds": None if self.fresh is None else round(self.fresh.seconds, 2),
            **(
                {
                    "warm_peak_rss_mb": round(self.warm_peaks.rss, 1),
                    "warm_peak_pss_mb": round(self.warm_peaks.pss, 1),
                    "warm_peak_main_rss_mb": round(self.warm_peaks.main_rss, 1),
                }
                if self.warm_peaks
                else {}
            ),
            "floor_peak_pss_mb": round(self.floor_peak_pss_mb, 1),
            "scaling_s_per_article": {str(n): round(s, 4) for n, s in self.scaling.items()},
            "scaling_spread": spread(self.scaling),
            "fixed_seconds_per_run": round(fit.fixed, 2),
            "s_per_article_fitted": round(fit.per_article, 4),
            "flat_needs_fixed_seconds_at_most": round(
                fit.flat_limit(list(self.scaling), FLAT_WITHIN), 2
            ),
            "fixed_seconds_by_step": {k: round(v, 2) for k, v in self.fixed_cost_by_step().items()},
            "floor_scaling_s_per_article": {
                str(n): round(s, 4) for n, s in self.floor_scaling.items()
            },
            "floor_scaling_spread": spread(self.floor_scaling) if self.floor_scaling else None,
            "floor_fixed_seconds": round(self.floor_fixed_cost().fixed, 2)
            if len(self.floor_scaling) > 1
            else None,
            "fixed_seconds": round(fit.fixed, 2),
            "marginal_s_per_article": {k: round(v, 4) for k, v in self.marginal.items()},
            "marginal_spread": marginal_spread(self.marginal),
            "workers_speedup": None if speedup is None else round(speedup, 3),
            "per_article_step_seconds": {
                "1": None
                if self.one_worker is None
                else round(self.one_worker.steps.get(PER_ARTICLE_STEP, 0.0), 2),
                "2": round(run.steps.get(PER_ARTICLE_STEP, 0.0), 2),
            },
            "stage_seconds": {k: round(v, 2) for k, v in self.first.steps.items()},
            "cold_start": None
            if self.cold is None
            else {
                "articles": self.cold.articles,
                "seconds": round(self.cold.seconds, 2),
                "s_per_article": round(self.cold.seconds / max(1, self.cold.articles), 4),
            },
            "success": self.first.success
            and all(run.success for run, _ in self.pairs)
            and self.rerun.success
            and all(r.success for r in self.reruns)
            and (self.sampled is None or self.sampled.success)
            and (self.fresh is None or self.fresh.success),
            "load_average": [round(x, 2) for x in self.load_average],
        }


def _pair_ratio(pair: tuple[RunTiming, Floor]) -> float:
    """End to end over the floor, in articles per second, of an (N run, floor) pair."""
    run, floor = pair
    return (run.articles / run.seconds) / (floor.articles / floor.seconds)


def lower_median(items: Sequence[_T], *, key: Callable[[_T], float]) -> _T:
    """The item whose ``key`` is the median (the lower middle one of an even count)."""
    return sorted(items, key=key)[(len(items) - 1) // 2]


#: How flat the scaling series must be (issue 9): the largest over the smallest seconds per
#: article, minus one.
FLAT_WITHIN = 0.15


def spread(series: Mapping[int, float]) -> float:
    """How far from flat a series of seconds per article is: largest / smallest - 1."""
    return round(max(series.values()) / min(series.values()) - 1, 3)


def marginal_spread(marginal: Mapping[str, float]) -> float | None:
    """How far the cost of an added article moves along the series: largest / smallest - 1.

    Unlike :func:`spread` of the seconds per article, the fixed cost of a run cancels out of
    each step of the series, so this measures whether the per-article cost grows with N.
    None with fewer than two steps (or a step that cost nothing: noise, not a measure).
    """
    values = list(marginal.values())
    if len(values) < 2 or min(values) <= 0:
        return None
    return round(max(values) / min(values) - 1, 3)


@dataclass(frozen=True, slots=True)
class CostFit:
    """A run's seconds as ``fixed + per_article * n``: least squares over the series.

    Why the seconds per article of a series fall as n grows, in two numbers: what every run
    pays whatever its size (Dagster's steps, the Great Expectations gate, starting workers),
    and what each article adds.
    """

    fixed: float
    per_article: float

    @classmethod
    def of(cls, series: Mapping[int, float]) -> CostFit:
        """Fit ``series`` (seconds per article by n); one point gives no fixed cost."""
        points = [(n, s * n) for n, s in series.items()]
        if len(points) < 2:
            n, seconds = points[0] if points else (1, 0.0)
            return cls(0.0, seconds / n)
        mean_n = sum(n for n, _ in points) / len(points)
        mean_s = sum(s for _, s in points) / len(points)
        slope = sum((n - mean_n) * (s - mean_s) for n, s in points) / sum(
            (n - mean_n) ** 2 for n, _ in points
        )
        return cls(mean_s - slope * mean_n, slope)

    def flat_limit(self, sizes: Sequence[int], within: float) -> float:
        """The largest fixed cost that keeps a series of ``sizes`` flat ``within``.

        With ``within`` 0.15, the smallest run's seconds per article are at most 15% above the
        largest's: from ``f / n_min + m <= (1 + within) * (f / n_max + m)``.
        """
        n_min, n_max = min(sizes), max(sizes)
        room = 1 / n_min - (1 + within) / n_max
        return within * self.per_article / room if room > 0 else float("inf")


def slice_input(source: Path, limit: int, target_dir: Path) -> Path:
    """The first ``limit`` records of ``source`` as a new input in ``target_dir``.

    JSONL files keep their first ``limit`` non-empty lines; folders their first ``limit`` files
    in sorted order (the order the readers walk them); any other file is taken whole.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        out = target_dir / source.name
        out.mkdir()
        files = sorted(p for p in source.rglob("*") if p.is_file())[:limit]
        for file in files:
            dest = out / file.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, dest)
        return out
    out = target_dir / source.name
    if source.suffix.lower() in (".jsonl", ".json"):
        kept = 0
        with source.open("rb") as src, out.open("wb") as dst:
            for line in src:
                if kept >= limit:
                    break
                if line.strip():
                    dst.write(line)
                    kept += 1
        return out
    shutil.copyfile(source, out)
    return out


def measure_floor(texts: Sequence[str], *, n_process: int = 2) -> Floor:
    """Time spaCy's full small pipeline (every component, lemmatizer included) on ``texts``.

    ``nlp.pipe`` hands whole batches to its workers, so the default batch size (256) would
    leave the second process idle on a few hundred texts; the batch is sized to split the texts
    evenly, which is the fastest way to run spaCy alone here (the honest floor).
    """
    import spacy

    from pipeline.nlp import MODEL_PACKAGE

    nlp = spacy.load(MODEL_PACKAGE)
    batch_size = max(1, min(64, -(-len(texts) // (n_process * 4))))
    started = time.perf_counter()
    words = 0
    procs = n_process if len(texts) >= n_process * 2 else 1
    for doc in nlp.pipe(texts, n_process=procs, batch_size=batch_size):
        words += sum(1 for t in doc if not t.is_space and not t.is_punct)
    return Floor(len(texts), words, time.perf_counter() - started, batch_size)


class PeakRss:
    """Peak memory of a process (this one by default) plus its children, sampled in a thread.

    ``ru_maxrss`` alone misses forked workers that are still alive, and RUSAGE_CHILDREN reports
    the largest single child, not the sum; sampling the live tree catches both. Three figures:
    the summed RSS of the tree (counts the model pages that forked workers share with the parent
    once per process, so it overstates), the summed PSS (shared pages divided among the processes
    sharing them: the memory the run really holds), and the main process's own RSS.
    """

    def __init__(
        self, interval: float = 0.25, pss_interval: float = 0.5, *, pid: int | None = None
    ) -> None:
        self.pid = pid
        self.interval = interval
        self.pss_interval = pss_interval
        self._last_pss = float("-inf")
        self.peak_bytes = 0
        self.peak_pss_bytes = 0
        self.peak_main_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _sample(self, *, pss: bool = True) -> None:
        """One sample of the tree's RSS and, when ``pss``, its PSS.

        RSS is cheap (``statm``). PSS needs the kernel to walk every page table of the tree
        (~20 ms for a 1.2 GiB process and its workers), which sampled every 0.1 s took a fifth of
        a core from the run it measures; it is sampled every ``pss_interval`` seconds instead.
        """
        import psutil

        try:
            me = psutil.Process(self.pid)
            processes = [me, *me.children(recursive=True)]
        except psutil.Error:  # a sampled process that has exited
            return
        total = pss_total = 0
        for process in processes:
            try:
                info = process.memory_full_info() if pss else process.memory_info()
            except psutil.Error:
                continue
            total += info.rss
            pss_total += getattr(info, "pss", info.rss)
            if process is me:
                self.peak_main_bytes = max(self.peak_main_bytes, info.rss)
        self.peak_bytes = max(self.peak_bytes, total)
        if pss:
            self.peak_pss_bytes = max(self.peak_pss_bytes, pss_total)

    def _loop(self) -> None:
        while not self._stop.is_set():
            now = time.monotonic()
            due = now - self._last_pss >= self.pss_interval
            if due:
                self._last_pss = now
            self._sample(pss=due)
            self._stop.wait(self.interval)

    @property
    def peak_mb(self) -> float:
        """Peak summed RSS in MiB."""
        return self.peak_bytes / (1 << 20)

    @property
    def peak_pss_mb(self) -> float:
        """Peak summed PSS in MiB."""
        return self.peak_pss_bytes / (1 << 20)

    @property
    def peak_main_mb(self) -> float:
        """Peak RSS of the main process alone, in MiB."""
        return self.peak_main_bytes / (1 << 20)

    def peaks(self) -> MemoryPeaks:
        """The three peaks, in MiB."""
        return MemoryPeaks(self.peak_mb, self.peak_pss_mb, self.peak_main_mb)


#: No-op re-runs of N; the median one is reported (each takes well under a second).
RERUNS = 3


def scaling_sizes(limit: int, series: Sequence[int] = ()) -> list[int]:
    """``series`` up to N and N itself, else N/4, N/2, N (at least one article each, no repeats)."""
    if series:
        return sorted({*(n for n in series if 0 < n < limit), limit})
    return sorted({max(1, limit // 4), max(1, limit // 2), limit})


def run_bench(
    limit: int,
    *,
    texts: Callable[[int], Sequence[str]],
    run: Callable[[int, str], RunTiming],
    words: Callable[[], int],
    dagster_alone: Callable[[], float] | None = None,
    fresh_run: Callable[[int, str], subprocess.Popen[bytes]] | None = None,
    pairs: int = 3,
    series: Sequence[int] = (),
    one_worker: Callable[[int, str], RunTiming] | None = None,
) -> BenchResult:
    """Orchestrate the measurements; the callables hide Dagster and the files.

    A warm-up run on N/4 articles comes first: like the floor, whose model is loaded before its
    timer starts, the timed runs then leave out what a process pays once (imports, the spaCy
    model, the gazetteer, Great Expectations). The warm-up is reported as the cold start.
    Then N/4, N/2 and N articles, each into a fresh warehouse, and :data:`RERUNS` no-op re-runs
    of N on its warehouse (the median one is reported), then the floor on the N texts: the N
    run and that floor are the first of ``pairs`` back-to-back pairs (each further one an N run
    into a fresh warehouse, then the floor), and the ratio is the median pair's; after the
    memory runs below, the floor on the texts of the N/4 and N/2 runs, so spaCy alone has a
    series too.

    Nothing timed runs under the memory sampler: reading every process's PSS cost a 300-article
    run about 4% (16.7 s against 17.3 s, three pairs), and the floor, whose spawned workers
    hold more memory, about 5%. Memory is sampled instead while the N run and the floor are
    repeated, untimed.

    The memory figures reported first are those of a fresh ``newsledger run`` of N (when
    ``fresh_run`` is given), as every real run starts (the CLI, and each run the UI launches).
    The repeat in this process carries what earlier runs loaded: the workers it forks inherit,
    say, Great Expectations, which a real run imports only in its last step. Both are reported.

    Args:
        limit: N, the number of articles.
        texts: ``texts(n)``: the bodies of the ``n``-article run of the series (for the floor).
        run: ``run(n, name)`` runs the job on the first ``n`` articles into warehouse ``name``
            (a name seen before means a re-run on the same warehouse).
        words: Words in the N-article warehouse.
        dagster_alone: Seconds of a run of the job's shape whose steps all run and do nothing:
            Dagster's own cost of a run with work in every step (timed after the rest, outside
            the memory sampling).
        fresh_run: ``fresh_run(n, name)`` starts ``newsledger run`` on the first ``n``
            articles into warehouse ``name`` in a new process and returns it, unwaited.
        pairs: Back-to-back pairs of an N run and the floor to take the median ratio of.
        series: Sizes of the scaling series below N (default N/4 and N/2).
        one_worker: ``one_worker(n, name)`` runs like ``run`` with one worker: timed after the
            pairs, for ``workers_speedup``.
    """
    scaling: dict[int, float] = {}
    sizes = scaling_sizes(limit, series)
    cold = run(sizes[0], "warm-up")
    timed_series: list[RunTiming] = []
    for n in sizes:
        timed_series.append(run(n, f"n{n}"))
        scaling[n] = timed_series[-1].seconds / max(1, timed_series[-1].articles)
    first = timed_series[-1]
    reruns = [run(limit, f"n{limit}") for _ in range(RERUNS)]
    rerun = lower_median(reruns, key=lambda r: r.seconds)
    marginal = {
        f"{a.articles}-{b.articles}": (b.seconds - a.seconds) / (b.articles - a.articles)
        for a, b in itertools.pairwise(timed_series)
        if b.articles > a.articles
    }
    floor = measure_floor(texts(limit))
    timed = [(first, floor)]
    for i in range(2, pairs + 1):
        timed.append((run(limit, f"n{limit}-pair{i}"), measure_floor(texts(limit))))
    solo = one_worker(limit, f"n{limit}-1worker") if one_worker is not None else None
    with PeakRss() as warm:
        sampled = run(limit, f"n{limit}-memory")
    peaks, warm_peaks, fresh = warm.peaks(), None, None
    if fresh_run is not None:
        started = time.perf_counter()
        process = fresh_run(limit, f"n{limit}-fresh")
        with PeakRss(pid=process.pid) as rss:
            code = process.wait()
        fresh = RunTiming(limit, time.perf_counter() - started, code == 0)
        peaks, warm_peaks = rss.peaks(), peaks
    with PeakRss() as floor_rss:
        measure_floor(texts(limit))
    # After the sampled runs: each floor loads a model in this process, which the sampled
    # N run would otherwise count (peak PSS 1,542 to 1,564 MiB in three runs, against 1,500).
    floor_scaling = {n: measure_floor(texts(n)).seconds / n for n in sizes[:-1]}
    floor_scaling[limit] = floor.seconds / max(1, floor.articles)
    alone = dagster_alone() if dagster_alone is not None else None
    return BenchResult(
        limit=limit,
        words=words(),
        first=first,
        rerun=rerun,
        floor=floor,
        scaling=dict(sorted(scaling.items())),
        peak_rss_mb=peaks.rss,
        peak_pss_mb=peaks.pss,
        peak_main_rss_mb=peaks.main_rss,
        load_average=os.getloadavg(),
        cold=cold,
        marginal=marginal,
        dagster_alone_seconds=alone,
        floor_peak_pss_mb=floor_rss.peak_pss_mb,
        sampled=sampled,
        floor_scaling=dict(sorted(floor_scaling.items())),
        series=tuple(timed_series),
        warm_peaks=warm_peaks,
        fresh=fresh,
        pairs=tuple(timed),
        reruns=tuple(reruns),
        one_worker=solo,
    )


def field_map(items: Sequence[str]) -> Mapping[str, str]:
    """``NAME=FIELD`` arguments to a mapping."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name or not value:
            raise ValueError(f"--field takes NAME=FIELD, got {item!r}")
        out[name.strip()] = value.strip()
    return out
