"""Dagster resources: where the warehouse, inputs, gazetteer and releases live.

One builder, :func:`build_resources`, makes every environment's resources (UI, CLI, tests), so
there are no copied dicts per environment. Values come from arguments or ``NEWSLEDGER_*``
environment variables.
"""

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import dagster as dg
import duckdb

from pipeline.link.gazetteer import BUNDLED_GEONAMES
from pipeline.warehouse import Warehouse, connect, writer_lock

R = TypeVar("R", bound=dg.ConfigurableResource)

DEFAULT_WAREHOUSE = "data/warehouse.duckdb"
DEFAULT_INPUTS = ("data/sample",)
DEFAULT_GAZETTEER = "data/cache/gazetteer.arrow"
DEFAULT_RELEASES = "data/releases"

_held: dict[str, int] = {}
#: Connections kept open by :meth:`WarehouseResource.hold`, by resolved warehouse path.
_kept: dict[str, duckdb.DuckDBPyConnection] = {}
_held_guard = threading.Lock()


@contextlib.contextmanager
def _process_lock(
    path: str, *, wait: bool = True, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """The writer lock, re-entrant within one process (the CLI holds it around a whole run)."""
    with _held_guard:
        depth = _held.get(path, 0)
        _held[path] = depth + 1
    try:
        if depth:
            yield
        else:
            with writer_lock(path, wait=wait, on_wait=on_wait):
                yield
    finally:
        with _held_guard:
            _held[path] -= 1


@contextlib.contextmanager
def _kept_open(key: str, path: str) -> Iterator[None]:
    """Keep one connection to the warehouse open while the writer lock is held for a run.

    DuckDB shares one database instance among the connections of a process: while this one is
    open, each step's ``connect`` reuses the loaded file instead of reopening it (reading its
    catalog, replaying its log) and creating the schema again. That was about 20 ms per step
    and check, a fifth of a no-op re-run. Only the outermost holder opens it. If it cannot be
    opened (another process has the file), the steps connect, and report the error, themselves.
    """
    with _held_guard:
        owner = key not in _kept
        if owner:
            try:
                _kept[key] = connect(path)
            except duckdb.Error:
                owner = False
    try:
        yield
    finally:
        if owner:
            with _held_guard:
                con = _kept.pop(key)
            con.close()


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file; one writer at a time."""

    path: str = DEFAULT_WAREHOUSE

    @contextlib.contextmanager
    def open(self) -> Iterator[Warehouse]:
        """Lock the file, connect, and hand out a :class:`Warehouse`."""
        key = str(Path(self.path).resolve())
        with _process_lock(key):
            # A run held by hold() has the file open and its schema made already.
            con = connect(self.path, ensure_schema=key not in _kept)
            try:
                yield Warehouse(con)
            finally:
                con.close()

    @contextlib.contextmanager
    def hold(
        self, *, wait: bool = True, on_wait: Callable[[], None] | None = None
    ) -> Iterator[None]:
        """Hold the writer lock across several steps (used by the CLI around a whole run).

        The warehouse stays open meanwhile (see :func:`_kept_open`), so steps connect cheaply.

        Args:
            wait: Wait for another writer to finish, else raise ``RuntimeError`` at once.
            on_wait: Called once if the lock is busy and we wait.
        """
        key = str(Path(self.path).resolve())
        with _process_lock(key, wait=wait, on_wait=on_wait), _kept_open(key, self.path):
            yield


class InputsResource(dg.ConfigurableResource):
    """What to ingest: files or folders, and a field-name mapping for JSON records."""

    paths: list[str] = list(DEFAULT_INPUTS)
    fields: dict[str, str] = {}
    #: Size cap per file (per line for JSON lines); larger records are quarantined as too_large.
    max_bytes: int = 20_000_000

    def resolved(self) -> list[Path]:
        """Input paths as given (relative paths are relative to the working directory)."""
        return [Path(p) for p in self.paths]


class GazetteerResource(dg.ConfigurableResource):
    """The built gazetteer file, and an optional full GeoNames dump to build it from."""

    path: str = DEFAULT_GAZETTEER
    geonames_dir: str = str(BUNDLED_GEONAMES)
    all_countries: str | None = None


class EngineResource(dg.ConfigurableResource):
    """Where the per-article work (parsing, extraction) runs: see :mod:`pipeline.engine`.

    ``cluster`` None runs it on a pool of ``n_process`` worker processes on this machine (the
    fastest on one machine); ``"local:N"`` starts a Dask cluster of N workers for the run; any
    other value is the address of a running Dask scheduler (``tcp://host:8786``), where the same
    code runs on many machines. Unset, ``NEWSLEDGER_CLUSTER`` is read when a run starts, so the
    UI's runs follow the environment of the code location.
    """

    cluster: str | None = None
    n_process: int = 2

    def cluster_spec(self) -> str | None:
        """The cluster this run uses (the setting, else ``NEWSLEDGER_CLUSTER``, else None)."""
        from pipeline.engine import cluster_from

        return cluster_from(self.cluster)


class ReleaseResource(dg.ConfigurableResource):
    """Where releases are written (one immutable folder per release)."""

    root: str = DEFAULT_RELEASES


def resource_of(defs: dg.Definitions, key: str, kind: type[R]) -> R:
    """The resource ``key`` of ``defs``, typed (the CLI and the bench read their settings)."""
    resource = (defs.resources or {})[key]
    if not isinstance(resource, kind):
        raise TypeError(f"resource {key!r} is {type(resource).__name__}, not {kind.__name__}")
    return resource


def build_resources(
    *,
    warehouse: str | None = None,
    inputs: list[str] | None = None,
    fields: dict[str, str] | None = None,
    releases: str | None = None,
    gazetteer: str | None = None,
    cluster: str | None = None,
    n_process: int = 2,
) -> dict[str, dg.ConfigurableResource]:
    """Resources for any environment: arguments first, then ``NEWSLEDGER_*`` variables.

    Args:
        warehouse: DuckDB file (``NEWSLEDGER_WAREHOUSE``).
        inputs: Files or folders to ingest (``NEWSLEDGER_INPUTS``, separated by ``os.pathsep``).
        fields: JSON field mapping, e.g. ``{"text": "content_original"}``.
        releases: Releases folder (``NEWSLEDGER_RELEASES``).
        gazetteer: Built gazetteer file (``NEWSLEDGER_GAZETTEER``); a full GeoNames
            ``allCountries.txt`` can be named with ``NEWSLEDGER_GEONAMES_ALL_COUNTRIES``.
        cluster: Where the per-article work runs (``NEWSLEDGER_CLUSTER``, read when a run
            starts; see :class:`EngineResource`).
        n_process: Workers of the local pool when there is no cluster.
    """
    env = os.environ.get
    env_inputs = env("NEWSLEDGER_INPUTS")
    return {
        "warehouse": WarehouseResource(
            path=warehouse or env("NEWSLEDGER_WAREHOUSE", DEFAULT_WAREHOUSE)
        ),
        "inputs": InputsResource(
            paths=inputs or (env_inputs.split(os.pathsep) if env_inputs else list(DEFAULT_INPUTS)),
            fields=fields or {},
        ),
        "gazetteer": GazetteerResource(
            path=gazetteer or env("NEWSLEDGER_GAZETTEER", DEFAULT_GAZETTEER),
            all_countries=env("NEWSLEDGER_GEONAMES_ALL_COUNTRIES"),
        ),
        "releases": ReleaseResource(root=releases or env("NEWSLEDGER_RELEASES", DEFAULT_RELEASES)),
        "engine": EngineResource(cluster=cluster, n_process=n_process),
    }
