"""The bench's plumbing: input slicing, the JSON line's shape, the README block (no timings)."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline import bench, bench_report


def _records(path: Path, n: int) -> Path:
    lines = [json.dumps({"id": i, "text": f"Article {i} said 3 things."}) for i in range(n)]
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    return path


def test_slice_input_keeps_the_first_records(tmp_path: Path) -> None:
    source = _records(tmp_path / "in.jsonl", 5)
    sliced = bench.slice_input(source, 3, tmp_path / "out")
    lines = sliced.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [0, 1, 2]


def test_scaling_sizes() -> None:
    assert bench.scaling_sizes(300) == [75, 150, 300]
    assert bench.scaling_sizes(3) == [1, 3]
    # --series: the sizes asked for below N, and N
    assert bench.scaling_sizes(4000, [500, 1000, 2000, 4000, 8000]) == [500, 1000, 2000, 4000]


def test_marginal_spread_compares_the_cost_of_added_articles() -> None:
    assert bench.marginal_spread({"75-150": 0.2, "150-300": 0.23}) == pytest.approx(0.15)
    assert bench.marginal_spread({"75-150": 0.2}) is None  # one step: nothing to compare
    assert bench.marginal_spread({"a": 0.2, "b": -0.01}) is None  # noise, not a cost


def test_workers_speedup_is_one_worker_over_the_median_two_worker_step() -> None:
    def timing(seconds: float) -> bench.RunTiming:
        return bench.RunTiming(10, seconds + 5, True, {bench.PER_ARTICLE_STEP: seconds})

    floor = bench.Floor(10, 100, 1.0, 1)
    result = bench.BenchResult(
        limit=10,
        words=100,
        first=timing(10.0),
        rerun=timing(0.0),
        floor=floor,
        scaling={10: 1.5},
        peak_rss_mb=1.0,
        load_average=(0.0, 0.0, 0.0),
        pairs=((timing(10.0), floor), (timing(12.0), floor), (timing(11.0), floor)),
        one_worker=timing(19.8),
    )
    assert result.workers_speedup() == pytest.approx(1.8)  # 19.8 / the median 11.0
    assert result.summary()["workers_speedup"] == 1.8
    assert "`workers_speedup`" in bench_report.readme_block(result, "newsledger bench --limit 10")


def test_json_line_shape_on_three_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    """The orchestration with a fake job and floor: every promised key, sane values."""
    texts = ["Officials said 3 people left.", "Nothing here.", "“Yes,” she said."]
    calls: list[tuple[int, str]] = []

    def run(n: int, name: str) -> bench.RunTiming:
        calls.append((n, name))
        if (n, name) in calls[:-1]:  # the re-run: the seal holds, the steps after ingest skip
            return bench.RunTiming(n, 0.1, True, {"articles": 0.05}, ("extractions", "release"))
        return bench.RunTiming(n, 1.0 * n, True, {"articles": 0.2, "extractions": 0.5})

    def one_worker(n: int, name: str) -> bench.RunTiming:
        calls.append((n, name))
        return bench.RunTiming(n, 1.0 * n + 0.4, True, {"articles": 0.2, "extractions": 0.9})

    monkeypatch.setattr(
        bench, "measure_floor", lambda t: bench.Floor(len(t), 12, 2.0, batch_size=1)
    )
    result = bench.run_bench(
        3,
        texts=lambda n: texts[:n],
        run=run,
        words=lambda: 12,
        dagster_alone=lambda: 0.05,
        one_worker=one_worker,
    )
    # a warm-up, the scaling series into fresh warehouses, three re-runs on N's warehouse, two
    # more N runs into fresh warehouses (each paired with a floor after it), then the untimed
    # repeat of N that memory is sampled on (nothing timed runs under the sampler)
    assert calls == [
        (1, "warm-up"),
        (1, "n1"),
        (3, "n3"),
        (3, "n3"),
        (3, "n3"),
        (3, "n3"),
        (3, "n3-pair2"),
        (3, "n3-pair3"),
        (3, "n3-1worker"),
        (3, "n3-memory"),
    ]
    line = bench_report.json_line(result)
    summary = json.loads(line)
    for key in ("articles_per_s", "floor_articles_per_s", "ratio", "rerun_fraction", "peak_rss_mb"):
        assert isinstance(summary[key], int | float)
    assert summary["articles"] == 3
    assert summary["rerun_fraction"] == pytest.approx(0.1 / 3.0, abs=1e-3)
    assert summary["rerun_seconds_each"] == [0.1, 0.1, 0.1]
    assert summary["ratio"] == pytest.approx((3 / 3.0) / (3 / 2.0), abs=1e-3)
    assert summary["ratio_pairs"] == [0.667, 0.667, 0.667]
    assert set(summary["scaling_s_per_article"]) == {"1", "3"}
    assert summary["peak_rss_mb"] > 0
    assert summary["floor_peak_pss_mb"] > 0  # the floor is sampled like the runs
    assert summary["cold_start"] == {"articles": 1, "seconds": 1.0, "s_per_article": 1.0}
    assert summary["marginal_s_per_article"] == {"1-3": pytest.approx(1.0)}
    assert summary["marginal_spread"] is None  # one step of the series
    assert summary["fixed_seconds"] == 0.0
    assert summary["workers_speedup"] == pytest.approx(0.9 / 0.5)
    assert summary["dagster_alone_seconds"] == 0.05
    # the fake job costs exactly 1 s per article; the fake floor 2 s per call, whatever its size
    assert summary["fixed_seconds_per_run"] == 0.0
    assert summary["s_per_article_fitted"] == 1.0
    assert summary["floor_scaling_s_per_article"] == {"1": 2.0, "3": pytest.approx(0.6667)}
    assert summary["floor_fixed_seconds"] == 2.0
    assert summary["floor_scaling_spread"] == 2.0
    # articles 0.2 s per run: all fixed; extractions 0.5 s too; the rest (n - 0.7 s) is outside
    assert summary["fixed_seconds_by_step"] == {
        "articles": 0.2,
        "extractions": 0.5,
        "(outside steps)": -0.7,
    }
    assert summary["rerun_skipped_steps"] == 2
    assert "2 of 3 steps skipped" in "\n".join(bench_report.report_lines(result))
    assert "\n" not in line
    assert bench_report.report_lines(result)[0].startswith("bench: 3 articles")
    block = bench_report.readme_block(result, "newsledger bench --limit 3")
    assert block.startswith(bench.README_START) and block.endswith(bench.README_END)
    for measure in (
        "ratio end to end / spaCy alone",
        "parsing and extraction on the workers",
        "`workers_speedup`",
        "spread",
        "cold",
        "Dagster",
        "spaCy alone: seconds per article",
        "fixed cost of a run",
    ):
        assert measure in block


def test_the_ratio_and_speeds_are_the_median_pairs() -> None:
    def pair(run_seconds: float, floor_seconds: float) -> tuple[bench.RunTiming, bench.Floor]:
        return bench.RunTiming(300, run_seconds, True), bench.Floor(300, 9000, floor_seconds, 1)

    first, slow, fast = pair(20.0, 20.0), pair(25.0, 20.0), pair(16.0, 20.0)
    result = bench.BenchResult(
        limit=300,
        words=9000,
        first=first[0],
        rerun=bench.RunTiming(300, 0.5, True),
        floor=first[1],
        scaling={300: 20.0 / 300},
        peak_rss_mb=1.0,
        load_average=(0.0, 0.0, 0.0),
        pairs=(first, slow, fast),
    )
    summary = result.summary()
    assert summary["ratio_pairs"] == [1.0, 0.8, 1.25]
    assert result.ratio_pair() == first
    assert summary["ratio"] == 1.0 and summary["seconds"] == 20.0
    assert summary["articles_per_s"] / summary["floor_articles_per_s"] == summary["ratio"]
    assert summary["rerun_fraction"] == 0.025  # against the series' own N run
    assert "the median of 3 back-to-back pairs: 1.000, 0.800, 1.250" in "\n".join(
        bench_report.report_lines(result)
    )
    reruns = tuple(bench.RunTiming(300, seconds, True) for seconds in (0.9, 0.5, 0.6))
    with_reruns = replace(result, rerun=reruns[2], reruns=reruns)
    assert with_reruns.summary()["rerun_seconds_each"] == [0.9, 0.5, 0.6]
    assert "the median of 3 re-runs: 0.90, 0.50, 0.60 s" in "\n".join(
        bench_report.report_lines(with_reruns)
    )
    # without pairs (an older caller), the first run and the floor are the pair
    assert replace(result, pairs=()).summary()["ratio"] == 1.0


def test_cost_fit_recovers_a_fixed_cost_and_the_flat_limit() -> None:
    """2.6 s per run plus 50 ms per article: 44% spread over 75/150/300; flat needs <= 0.79 s."""
    sizes = (75, 150, 300)
    fit = bench.CostFit.of({n: (2.6 + 0.05 * n) / n for n in sizes})
    assert fit.fixed == pytest.approx(2.6)
    assert fit.per_article == pytest.approx(0.05)
    limit = fit.flat_limit(sizes, 0.15)
    assert limit == pytest.approx(0.789, abs=1e-3)
    at_limit = {n: (limit + 0.05 * n) / n for n in sizes}
    assert bench.spread(at_limit) == pytest.approx(0.15, abs=1e-3)
    assert bench.spread({n: (2.6 + 0.05 * n) / n for n in sizes}) == pytest.approx(0.443, abs=1e-3)


def test_update_readme_rewrites_only_the_block(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{bench.README_START}\nold\n{bench.README_END}\nafter\n")
    block = f"{bench.README_START}\nnew\n{bench.README_END}"
    assert bench_report.update_readme(readme, block)
    assert readme.read_text() == f"intro\n{block}\nafter\n"
    other = tmp_path / "OTHER.md"
    other.write_text("no markers\n")
    assert not bench_report.update_readme(other, block)


def test_field_map_rejects_malformed() -> None:
    assert bench.field_map(["text=content_original"]) == {"text": "content_original"}
    with pytest.raises(ValueError):
        bench.field_map(["text"])


def test_memory_is_reported_from_a_fresh_process_when_one_is_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A fresh process's tree is sampled on its own; the warm repeat is still reported."""
    import subprocess
    import sys

    hold = "import time; block = bytearray(80 << 20); block[::4096] = b'x' * len(block[::4096]);"
    hold += " time.sleep(1.5)"
    started: list[tuple[int, str]] = []

    def fresh_run(n: int, name: str) -> subprocess.Popen[bytes]:
        started.append((n, name))
        return subprocess.Popen([sys.executable, "-c", hold])

    monkeypatch.setattr(
        bench, "measure_floor", lambda t: bench.Floor(len(t), 12, 2.0, batch_size=1)
    )
    result = bench.run_bench(
        3,
        texts=lambda n: ["One.", "Two.", "Three."][:n],
        run=lambda n, name: bench.RunTiming(n, 1.0 * n, True, {"articles": 0.2}),
        words=lambda: 3,
        fresh_run=fresh_run,
    )
    assert started == [(3, "n3-fresh")]
    summary = json.loads(bench_report.json_line(result))
    assert summary["peak_memory_of"] == "fresh newsledger run"
    assert summary["peak_main_rss_mb"] >= 80  # the child's own 80 MiB, not this process's
    assert summary["peak_rss_mb"] == summary["peak_main_rss_mb"]  # it forked nothing
    assert summary["warm_peak_main_rss_mb"] > 0
    assert summary["success"]
    assert "in this process" in "\n".join(bench_report.report_lines(result))
    assert "a fresh `newsledger run` of N" in bench_report.readme_block(result, "newsledger bench")
