"""The warehouse ``newsledger eval`` scores: gold texts through ``newsledger run``'s own job.

An extractor's quality is what users get from the warehouse, so the eval never calls an
extractor directly: it writes the gold texts as a JSON-lines input (``id`` and ``text`` only, as
a plain export would carry them), runs the ``warehouse`` job (``newsledger run --no-release``:
the same Definitions, resources, settings and steps, contracts included) into a warehouse of its
own, and the scorers in :mod:`pipeline.evaluate` read the rows from there.

The warehouse lives in ``data/cache/eval/<name>/`` and is kept between evals: the pipeline is
incremental, so a second eval re-runs only the stages whose code changed (a changed extractor
re-extracts, it does not re-parse). Runs go to a temporary Dagster instance, as the bench's do,
so evals do not clutter the project's run history.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from assets.definitions import build_definitions
from assets.progress import PROGRESS, quiet_about_skipped_checks, with_progress
from assets.resources import WarehouseResource, resource_of
from pipeline.evaluate.cache import eval_root
from pipeline.evaluate.gold import GoldText
from pipeline.warehouse import Warehouse, connect


@dataclass(frozen=True, slots=True)
class GoldWarehouse:
    """A warehouse built from gold texts, and how long the run took."""

    path: Path
    seconds: float

    @contextmanager
    def open(self) -> Iterator[Warehouse]:
        """The warehouse, read-only."""
        con = connect(self.path, read_only=True)
        try:
            yield Warehouse(con)
        finally:
            con.close()


def write_input(path: Path, texts: Sequence[GoldText]) -> None:
    """Write the gold texts as JSON lines (rewritten only when they differ, for reuse)."""
    lines = "".join(
        json.dumps({"id": t.id, "text": t.text}, ensure_ascii=False) + "\n" for t in texts
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != lines:
        path.write_text(lines, encoding="utf-8")


def build_gold_warehouse(
    name: str, texts: Sequence[GoldText], *, root: Path | None = None, echo: bool = False
) -> GoldWarehouse:
    """Run ``newsledger run --no-release``'s job on ``texts`` into ``root/name``.

    Args:
        name: Folder name (the gold file's stem): one warehouse per gold file.
        texts: The gold records, in gold-file order.
        root: Where the warehouse folders live (default
            :func:`pipeline.evaluate.cache.eval_root`).
        echo: Print the run's progress lines, as ``newsledger run`` does.

    Raises:
        RuntimeError: When the run fails: a score of a partial warehouse would mislead.
    """
    workdir = (root or eval_root()) / name
    input_path = workdir / "input" / f"{name}.jsonl"
    write_input(input_path, texts)
    skipped: set[str] = set()
    defs = with_progress(
        build_definitions(
            warehouse=str(workdir / "warehouse.duckdb"),
            inputs=[str(input_path)],
            releases=str(workdir / "releases"),
        ),
        skipped,
        echo=echo,
    )
    job = defs.resolve_job_def("warehouse")
    warehouse = resource_of(defs, "warehouse", WarehouseResource)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newsledger-eval-") as home:
        instance = dg.DagsterInstance.local_temp(
            tempdir=home, overrides={"telemetry": {"enabled": False}}
        )
        try:
            with warehouse.hold(), quiet_about_skipped_checks(skipped):
                result = job.execute_in_process(
                    instance=instance, run_config=PROGRESS, raise_on_error=False
                )
        finally:
            instance.dispose()
    if not result.success:
        failed = [
            event.step_key
            for event in result.all_events
            if event.is_step_failure and event.step_key is not None
        ]
        raise RuntimeError(f"the eval's warehouse run failed at {', '.join(failed) or '?'}")
    return GoldWarehouse(Path(warehouse.path), round(time.perf_counter() - started, 3))


@contextmanager
def open_gold_warehouse(
    name: str, texts: Sequence[GoldText], *, echo: bool = False
) -> Iterator[Warehouse]:
    """Build (or refresh) the gold warehouse ``name`` and open it read-only.

    This is the :data:`pipeline.evaluate.gold.WarehouseFor` that ``newsledger eval`` hands the
    scorers.
    """
    built = build_gold_warehouse(name, texts, echo=echo)
    with built.open() as warehouse:
        yield warehouse
