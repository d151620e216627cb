"""The ``newsledger`` command: a thin layer over Dagster's in-process execution.

``run`` materialises the whole asset graph on a real Dagster instance (``DAGSTER_HOME``, default
``./dagster_home``), so CLI runs show up in the UI's run history like scheduled ones.
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

PROJECT_HOME = Path("dagster_home")
_DAGSTER_YAML = """# Local Dagster instance for newsledger (created by the CLI; see dagster_home/).
telemetry:
  enabled: false
concurrency:
  runs:
    tag_concurrency_limits:
      - key: newsledger/warehouse
        limit: 1
"""


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``newsledger`` command."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    return int(args.handler(args) or 0)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsledger", description="Turn news articles into a validated, versioned dataset."
    )
    sub = parser.add_subparsers(dest="command")

    run = sub.add_parser("run", help="materialise the whole graph: input to warehouse to release")
    run.add_argument(
        "--input",
        nargs="+",
        metavar="PATH",
        help="files or folders to ingest (default: the bundled sample in data/sample)",
    )
    run.add_argument(
        "--warehouse", metavar="FILE", help="DuckDB file (default data/warehouse.duckdb)"
    )
    run.add_argument("--releases", metavar="DIR", help="releases folder (default data/releases)")
    run.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=FIELD",
        help="JSON field mapping, e.g. text=content_original (repeatable)",
    )
    run.add_argument("--no-release", action="store_true", help="refresh the warehouse only")
    run.add_argument(
        "--cluster",
        metavar="SPEC",
        help="run parsing and extraction on a Dask cluster: local:N starts N workers here for "
        "the run, an address (tcp://host:8786) uses a running one (default: NEWSLEDGER_CLUSTER, "
        "else a pool of worker processes on this machine)",
    )
    run.add_argument(
        "--no-wait",
        action="store_true",
        help="if another run is writing the warehouse, stop at once instead of waiting",
    )
    run.set_defaults(handler=_run)

    rel = sub.add_parser(
        "release", help="write a release of the warehouse as it is (expectations, then publish)"
    )
    rel.add_argument(
        "--warehouse", metavar="FILE", help="DuckDB file (default data/warehouse.duckdb)"
    )
    rel.add_argument("--releases", metavar="DIR", help="releases folder (default data/releases)")
    rel.set_defaults(handler=_release)

    ui = sub.add_parser("ui", help="start the Dagster UI (and daemon) on 127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.add_argument("--host", default="127.0.0.1")
    ui.set_defaults(handler=_ui)

    ev = sub.add_parser("eval", help="measure extraction quality against gold files")
    ev.add_argument(
        "kind", choices=["figures", "locations", "claims", "conflicts", "html", "stories"]
    )
    ev.add_argument("--gold", required=True, type=Path, help="gold JSONL file")
    ev.add_argument("--limit", type=int, help="only the first N gold records")
    ev.add_argument(
        "--json",
        nargs="?",
        const="-",
        metavar="FILE",
        help="print the metrics as one JSON line, last (with FILE: also write them there)",
    )
    ev.add_argument(
        "--progress", action="store_true", help="print the gold warehouse run's progress lines"
    )
    ev.add_argument(
        "--errors",
        action="store_true",
        help="also print the read half's errors (never the check half's), to study them",
    )
    ev.add_argument(
        "--in-articles",
        type=Path,
        metavar="CORPUS",
        help="conflicts: read each judged sentence in its article of CORPUS (context)",
    )
    ev.set_defaults(handler=_eval)

    train = sub.add_parser(
        "train", help="learn a model from its training pools, deterministically, into the package"
    )
    train.add_argument("kind", choices=TRAINABLE, help="which model")
    train.add_argument(
        "--data",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a training file (repeatable; default: the kind's pools in ../shared/eval)",
    )
    train.add_argument(
        "--out", type=Path, metavar="FILE", help="write the model here (default: the package's)"
    )
    train.add_argument("--folds", type=int, default=5, help="folds of the cross-validation")
    train.add_argument("--limit", type=int, help="only the first N records of each file")
    train.add_argument(
        "--progress", action="store_true", help="print the gold warehouse runs' progress lines"
    )
    train.set_defaults(handler=_train)

    bench = sub.add_parser(
        "bench", help="time the whole job against spaCy alone on the first N articles"
    )
    bench.add_argument("--input", type=Path, metavar="PATH", help="file or folder (required)")
    bench.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=FIELD",
        help="JSON field mapping, e.g. text=content_original (repeatable)",
    )
    bench.add_argument("--limit", type=int, default=60, help="N, the first N articles")
    bench.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR and keep it")
    bench.add_argument(
        "--pairs",
        type=int,
        default=3,
        help="back-to-back pairs of an N run and spaCy alone; the ratio is the median pair's",
    )
    bench.add_argument(
        "--series",
        type=lambda text: [int(n) for n in text.split(",") if n.strip()],
        default=[],
        metavar="N1,N2,...",
        help="sizes of the scaling series (default N/4,N/2; N is always run)",
    )
    bench.add_argument(
        "--writer",
        type=int,
        metavar="N",
        help="instead: N synthetic articles' results through the warehouse writer alone",
    )
    bench.add_argument(
        "--update-readme", action="store_true", help="rewrite the README's benchmark block"
    )
    bench.set_defaults(handler=_bench)

    verify = sub.add_parser("verify", help="recompute a release's checksums and contracts")
    verify.add_argument("release", type=Path, help="release folder (or the releases root: LATEST)")
    verify.set_defaults(handler=_verify)
    return parser


def _instance():
    """The local Dagster instance: ``$DAGSTER_HOME`` or ``./dagster_home``, telemetry off."""
    import dagster as dg

    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
    home = Path(os.environ.get("DAGSTER_HOME") or PROJECT_HOME).resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(_DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return dg.DagsterInstance.get()


def _run(args: argparse.Namespace) -> int:
    from assets.definitions import build_definitions

    fields = dict(_split_field(item) for item in args.field)
    defs = build_definitions(
        warehouse=args.warehouse,
        inputs=args.input,
        fields=fields,
        releases=args.releases,
        cluster=args.cluster,
    )
    return _execute(defs, "warehouse" if args.no_release else "build", wait=not args.no_wait)


def _release(args: argparse.Namespace) -> int:
    """Materialise only the ``release`` asset (through Dagster, so it shows in the UI)."""
    import dagster as dg

    from assets.definitions import build_definitions

    defs = build_definitions(warehouse=args.warehouse, releases=args.releases)
    return _execute(defs, "build", selection=[dg.AssetKey("release")])


def _execute(defs, job_name: str, *, wait: bool = True, selection=None) -> int:
    """Run a job in-process on the local instance under the writer lock, then summarise.

    Args:
        defs: Definitions whose resources say where the warehouse and releases are.
        job_name: The job to run.
        wait: Wait for another writer, else stop at once (exit 3) with a clear message.
        selection: Only these asset keys of the job (default: all of it).
    """
    from assets.progress import PROGRESS, quiet_about_skipped_checks, with_progress
    from assets.resources import ReleaseResource, WarehouseResource, resource_of

    skipped: set[str] = set()
    defs = with_progress(defs, skipped)
    job = defs.resolve_job_def(job_name)
    warehouse = resource_of(defs, "warehouse", WarehouseResource)
    started = time.perf_counter()
    waiting = f"another run is writing {warehouse.path}; waiting for it to finish ..."
    try:
        with (
            warehouse.hold(wait=wait, on_wait=lambda: _say(waiting)),
            quiet_about_skipped_checks(skipped),
        ):
            result = job.execute_in_process(
                instance=_instance(),
                run_config=PROGRESS,
                asset_selection=selection,
                raise_on_error=False,
            )
    except RuntimeError as exc:
        print(f"newsledger: {exc}", file=sys.stderr)
        return 3
    seconds = time.perf_counter() - started
    for event in result.all_events:  # say why in full (a refused release lists what failed)
        if event.is_step_failure and event.step_failure_data.error is not None:
            error = event.step_failure_data.error
            while error.cause is not None:
                error = error.cause
            print(error.message.strip())
    outcome = _RunOutcome.of(result)
    releases = resource_of(defs, "releases", ReleaseResource).root
    _print_summary(warehouse, seconds, outcome, releases if job_name != "warehouse" else None)
    return 0 if result.success else 1


class _RunOutcome:
    """What a run did, step by step, and the release it published (if it did)."""

    def __init__(self, success: bool, steps: dict[str, str], release: str | None) -> None:
        self.success = success
        #: Step key -> "ok", "failed" or "skipped"; steps missing from it never started.
        self.steps = steps
        #: The folder of the release this run published or found current; None: none.
        self.release = release

    @classmethod
    def of(cls, result) -> "_RunOutcome":
        steps: dict[str, str] = {}
        release = None
        for event in result.all_events:
            key = event.step_key
            if key is None:
                continue
            if event.is_step_success:
                steps[key] = "ok"
            elif event.is_step_failure:
                steps[key] = "failed"
            elif event.is_step_skipped:
                steps[key] = "skipped"
            elif event.is_step_materialization:
                materialization = event.step_materialization_data.materialization
                if materialization.asset_key.path == ["release"]:
                    path = materialization.metadata.get("path")
                    release = getattr(path, "path", None) or getattr(path, "value", None)
        for node in result.job_def.graph.node_names():  # the steps of this run's selection
            steps.setdefault(node, "not run")
        return cls(result.success, steps, release)


def _split_field(item: str) -> tuple[str, str]:
    name, sep, field = item.partition("=")
    if not sep or not name or not field:
        raise SystemExit(f"--field takes NAME=FIELD (e.g. text=content_original), got {item!r}")
    return name.strip(), field.strip()


def _say(line: str) -> None:
    print(line, flush=True)


def _print_summary(warehouse, seconds: float, outcome: _RunOutcome, releases: str | None) -> None:
    """The run's result as it is: counts, quarantine, and only a release it published.

    A failed or partial run never names a release: it says which step failed, what the steps
    that finished committed, and that the failed step's open transaction was rolled back (every
    write is one DuckDB transaction). A run whose release step was skipped because the build
    seal held names the current release as unchanged.
    """
    from pipeline.release import latest

    with warehouse.open() as wh:
        counts = {
            table: wh.count(table)
            for table in ("articles", "rejected", "sources", "claims", "figures", "locations")
        }
        quarantined = wh.quarantine_counts()
    status = "done" if outcome.success else "FAILED"
    print(f"\n{status} in {seconds:.1f}s  warehouse: {warehouse.path}")
    print("  " + "  ".join(f"{table}={count}" for table, count in counts.items()))
    if quarantined:
        stages = ", ".join(f"{stage} {count}" for stage, count in quarantined.items())
        print(f"  quarantined articles (table quarantine): {stages}")
    failed = [step for step, state in outcome.steps.items() if state == "failed"]
    if failed:
        done = [step for step, state in outcome.steps.items() if state == "ok"]
        not_run = [step for step, state in outcome.steps.items() if state == "not run"]
        print(f"  failed at: {', '.join(failed)}; its open transaction was rolled back")
        if done:
            print(f"  committed by the steps that finished: {', '.join(done)}")
        if not_run:
            print(f"  not run: {', '.join(not_run)}")
    if releases is None:
        return
    if outcome.release is not None:
        print(f"  release: {outcome.release}")
    elif outcome.success and outcome.steps.get("release") == "skipped":
        current = latest(Path(releases))
        if current is not None:
            print(f"  release: {current} (unchanged: nothing new since it was published)")
    else:
        print("  no release was published by this run")


#: Seconds the UI's processes get to stop after SIGTERM or SIGINT before they are killed.
UI_STOP_GRACE = 10.0


def _ui(args: argparse.Namespace) -> int:
    """Run ``dagster dev`` (webserver, daemon, code server) until a signal, then stop it all.

    ``dagster dev`` runs in a session of its own, so that the terminal's Ctrl-C does not reach
    its children before it does; SIGTERM (a service manager, ``kill``) and SIGINT sent to this
    process are forwarded to every process it started (its process group and every
    descendant, found by walking the process tree, since a code server may start a group of
    its own), which then get :data:`UI_STOP_GRACE` seconds before SIGKILL. Without this,
    ``dagster dev``'s servers outlived a SIGTERM to ``newsledger ui`` for the next 45 minutes.
    """
    import signal

    _instance()
    command = [
        sys.executable,
        "-m",
        "dagster",
        "dev",
        "-w",
        "workspace.yaml",
        "-h",
        args.host,
        "-p",
        str(args.port),
    ]
    process = subprocess.Popen(command, start_new_session=True)

    def stop(signum: int, _frame: object) -> None:
        _stop_process_tree(process, signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        code = process.wait()
    finally:
        _stop_process_tree(process, signal.SIGTERM)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return code if code >= 0 else 128 - code


def _stop_process_tree(process: subprocess.Popen, signum: int) -> None:
    """Send ``signum`` to ``process``, its group and descendants; kill what outlives the grace."""
    import signal

    import psutil

    try:
        root = psutil.Process(process.pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        tree = []
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)  # the session's group: pid == pgid (start_new_session)
    for member in tree:
        with contextlib.suppress(psutil.Error):
            member.send_signal(signum)
    _, alive = psutil.wait_procs(tree, timeout=UI_STOP_GRACE)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    for member in alive:
        with contextlib.suppress(psutil.Error):
            member.kill()
    psutil.wait_procs(alive, timeout=5)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def _eval(args: argparse.Namespace) -> int:
    """Score one kind of extraction against a gold file.

    Figures, claims and locations are scored over the rows of a warehouse that
    ``newsledger run``'s job builds from the gold texts (:mod:`assets.goldrun`); HTML extraction
    and stories score ingest and clustering as the pipeline calls them.
    """
    import functools
    import importlib
    import inspect

    from assets.goldrun import open_gold_warehouse
    from pipeline.evaluate.gold import json_line

    module = importlib.import_module(f"pipeline.evaluate.{args.kind}")
    options: dict[str, object] = {"limit": args.limit}
    parameters = inspect.signature(module.run).parameters
    if "warehouse_for" in parameters:
        options["warehouse_for"] = functools.partial(open_gold_warehouse, echo=args.progress)
    if args.in_articles is not None:
        if "articles" not in parameters:
            print(f"eval {args.kind} reads no articles", file=sys.stderr)
            return 2
        options["articles"] = args.in_articles
    if args.errors:
        if "show_errors" not in parameters:
            print(f"eval {args.kind} has no error listing", file=sys.stderr)
            return 2
        options["show_errors"] = True
    metrics = module.run(args.gold, **options)
    if args.kind == "html":  # the HTML scorer returns its report; the others print as they go
        print(module.format_report(metrics))
    if args.json not in (None, "-"):
        Path(args.json).write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")
    if args.json is not None:
        print(json_line(metrics), flush=True)
    return 0


#: Models that ``newsledger train`` learns: kind -> module of :mod:`pipeline.learn` with ``train``.
TRAINABLE: dict[str, str] = {
    "claims": "claims",  # attribution: cues, content and source spans (PolNeAR train)
    "figures": "units",  # the unit disambiguator for ambiguous surfaces (CQE's unit sentences)
    "locations": "places",  # the candidate ranker of place resolution (GWN, LGL, GeoVirus)
}


def _train(args: argparse.Namespace) -> int:
    """Learn the model of ``args.kind`` and print what it was learned from and how it scores."""
    import importlib

    from pipeline.learn import TrainRequest

    module = importlib.import_module(f"pipeline.learn.{TRAINABLE[args.kind]}")
    request = TrainRequest(
        data=tuple(args.data), out=args.out, folds=max(2, args.folds), limit=args.limit
    )
    pools = getattr(module, "pools", None)
    if pools is not None:  # a trainer that learns from the product's parses: refresh them first
        _build_gold_warehouses(pools(request), limit=args.limit, echo=args.progress)
    report = module.train(request)
    print(f"model: {report.model}  (training data sha256 {report.data_digest[:16]})")
    print(json.dumps(dict(report.metrics), sort_keys=True), flush=True)
    return 0


def _build_gold_warehouses(paths: Sequence[Path], *, limit: int | None, echo: bool) -> None:
    """Build or refresh the gold warehouse of each training file, as ``newsledger eval`` does.

    The trainers read the pipeline's parses from there (no fallback to parsing the gold texts
    themselves, which gives other features): the same texts, job and warehouse as the eval's,
    incremental, so a current cache costs seconds and a fresh machine parses once.
    """
    from assets.goldrun import build_gold_warehouse
    from pipeline.evaluate.gold import GoldText, read_jsonl

    for path in paths:
        texts = [GoldText(row["id"], row["text"]) for row in read_jsonl(path, limit)]
        built = build_gold_warehouse(path.stem, texts, echo=echo)
        print(f"gold warehouse {built.path} ({len(texts)} texts, {built.seconds}s)", flush=True)


def _bench(args: argparse.Namespace) -> int:
    from assets.bench import run_bench
    from pipeline import bench, bench_report

    if args.writer is not None:
        return _bench_writer(args.writer, args.keep)
    if args.input is None:
        print("newsledger bench: --input is required (or --writer N)", file=sys.stderr)
        return 2
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
    fields = bench.field_map(args.field)
    result = run_bench(
        args.input,
        args.limit,
        fields,
        keep=args.keep,
        pairs=max(1, args.pairs),
        series=args.series,
    )
    for line in bench_report.report_lines(result):
        print(line)
    if args.update_readme:
        command = f"newsledger bench --input {args.input.name} " + " ".join(
            [*(f"--field {f}" for f in args.field), f"--limit {args.limit}"]
        )
        readme = Path("README.md")
        if not bench_report.update_readme(readme, bench_report.readme_block(result, command)):
            print(f"  (no {bench.README_START} block in {readme}: not updated)")
    print(bench_report.json_line(result), flush=True)
    timed = [result.first, result.rerun, *result.reruns, *(run for run, _ in result.pairs)]
    return 0 if all(run.success for run in timed) else 1


def _bench_writer(articles: int, keep: Path | None) -> int:
    """The writer alone: ``articles`` synthetic results committed as a pass commits them."""
    import dataclasses
    import tempfile

    from pipeline import writer_sim

    with tempfile.TemporaryDirectory(prefix="newsledger-writer-") as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        report = writer_sim.simulate(folder / "writer.duckdb", articles)
    print(
        f"writer alone: {report.articles} articles, {report.rows} rows in {report.seconds} s: "
        f"{report.articles_per_second} articles/s, {report.rows_per_second} rows/s, "
        f"{report.megabytes} MiB"
    )
    print(json.dumps(dataclasses.asdict(report), sort_keys=True), flush=True)
    return 0


def _verify(args: argparse.Namespace) -> int:
    import tempfile

    from assets.publish import check_release_folder
    from pipeline.release import latest, verify_release

    path = args.release
    if not (path / "manifest.json").exists():
        path = latest(path) or path
    problems = verify_release(path)
    if (path / "manifest.json").exists():
        # The expectations again, on the published Parquet (Data Docs to a scratch folder:
        # the release itself is immutable).
        try:
            with tempfile.TemporaryDirectory(prefix="newsledger-verify-") as scratch:
                gate = check_release_folder(path, docs=Path(scratch) / "docs")
        except Exception as exc:  # unreadable files (already listed above): report, go on
            problems.append(f"expectations could not run: {exc}")
        else:
            problems += [f"expectation failed: {failure}" for failure in gate.failures]
            print(f"  {gate.evaluated} expectations in {gate.suites} suites re-run on the Parquet")
    for problem in problems:
        print(f"  {problem}")
    print(f"{path}: {'intact' if not problems else f'{len(problems)} problems'}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
