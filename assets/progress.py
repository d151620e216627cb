"""The CLI's progress lines, and Dagster's warnings that a sealed run makes needless.

Shared by ``newsledger run`` (which prints the lines) and ``newsledger bench`` (which runs the
job with the same logger, silent).
"""

import contextlib
import logging
import re
import time
from collections.abc import Iterator

import dagster as dg

from pipeline.articles import Progress

#: Run config that makes the progress logger the run's only logger (no Dagster DEBUG lines).
PROGRESS = {"loggers": {"progress": {}}}


def with_progress(defs: dg.Definitions, skipped: set[str], *, echo: bool = True) -> dg.Definitions:
    """Attach the progress logger (run it with :data:`PROGRESS`): a line per step and check.

    The steps it sees skipped are added to ``skipped``. With ``echo`` off it prints nothing:
    the bench runs the job with the same logger as ``newsledger run``, without the lines.
    """

    def make_logger(_init_context: dg.InitLoggerContext) -> logging.Logger:
        logger = logging.Logger("newsledger.progress", level=logging.DEBUG)
        logger.addHandler(ProgressHandler(skipped, echo=echo))
        return logger

    progress = dg.LoggerDefinition(
        logger_fn=make_logger, description="Compact progress lines for the terminal."
    )
    return dg.Definitions.merge(defs, dg.Definitions(loggers={"progress": progress}))


class ProgressHandler(logging.Handler):
    """Turns Dagster step and check events into short terminal lines."""

    def __init__(self, skipped: set[str], *, echo: bool = True) -> None:
        super().__init__()
        self.started: dict[str, float] = {}
        self.skipped = skipped
        self.say = _say if echo else _silent

    def emit(self, record: logging.LogRecord) -> None:
        """One line for a step's start, end, skip or failure, a check's result, or progress."""
        event = getattr(record, "dagster_event", None)
        if event is None:
            message = getattr(record, "dagster_meta", {}).get("orig_message") or ""
            if message.startswith("progress:"):
                self.say(f"       {message.removeprefix('progress:').strip()}")
            return
        kind = event.event_type_value
        step = event.step_key or ""
        if kind == "STEP_START":
            self.started[step] = time.perf_counter()
            self.say(f"  ... {step}")
        elif kind == "STEP_SUCCESS":
            took = time.perf_counter() - self.started.get(step, time.perf_counter())
            self.say(f"  ok  {step} ({took:.1f}s)")
        elif kind == "STEP_SKIPPED":
            self.skipped.add(step)
            self.say(f"  --  {step} (skipped: nothing new upstream)")
        elif kind == "STEP_FAILURE":
            data = event.event_specific_data
            error = getattr(getattr(data, "error", None), "message", "") or ""
            self.say(f"  FAIL {step}: {error.strip().splitlines()[-1] if error.strip() else ''}")
        elif kind == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            status = "pass" if data.passed else "FAIL"
            self.say(f"       check {data.check_name}: {status}")


@contextlib.contextmanager
def quiet_about_skipped_checks(skipped: set[str]) -> Iterator[None]:
    """Drop Dagster's warning that a skipped step's blocking check "emitted no result".

    When the build seal holds, the steps after ingest are skipped, and Dagster warns once per
    blocking check of a skipped step and per step downstream of it that the downstream step
    "will proceed without gating on it", just before skipping that step too. The warning is
    kept for a step that ran (a check that really emitted nothing).
    """
    named_step = re.compile(r"emitted no result in step '([^']+)'")

    def keep(record: logging.LogRecord) -> bool:
        found = named_step.search(record.getMessage())
        return found is None or found.group(1) not in skipped

    logger = logging.getLogger("dagster._core.execution.plan.active")
    logger.addFilter(keep)
    try:
        yield
    finally:
        logger.removeFilter(keep)


def _say(line: str) -> None:
    print(line, flush=True)


def _silent(line: str) -> None:
    del line


class ProgressLog:
    """Logs a long step's progress through Dagster (the run's logs, and the CLI's lines).

    At most one line every :attr:`every` seconds, and the last: articles done of the total,
    the rate, and the time left at that rate. Lines start with ``progress:``, which the CLI's
    handler prints as they come.
    """

    every = 5.0

    def __init__(self, context: dg.AssetExecutionContext, what: str = "articles") -> None:
        self.context = context
        self.what = what
        self._last = 0.0

    def __call__(self, progress: Progress) -> None:
        """Log ``progress`` if the last line is old enough, or the step is done."""
        now = time.perf_counter()
        if progress.done < progress.total and now - self._last < self.every:
            return
        self._last = now
        left = progress.left_seconds
        eta = (
            f", about {left:.0f}s left"
            if left is not None and progress.done < progress.total
            else ""
        )
        self.context.log.info(
            f"progress: {progress.done:,}/{progress.total:,} {self.what}, "
            f"{progress.rate:.1f}/s{eta}"
        )
