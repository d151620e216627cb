"""The per-article stages (parsing, claims, figures, locations) as functions over a warehouse.

Each builds the stages' code versions and what the engine's workers load before their first
batch, and runs one pass of :mod:`pipeline.articles` on an engine (:mod:`pipeline.engine`):
the local pool by default, a Dask cluster with ``cluster``.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import ids
from pipeline.articles import PassReport, PassStage, Progress, run_pass
from pipeline.version import modules_version
from pipeline.work import STAGES, ArticleRows, ArticleWork, StageSpec, WorkerContext

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from pipeline.warehouse import Warehouse

#: The extraction stages in pass order (figures after the claims they link to).
EXTRACTION_STAGES = ("claims", "figures", "locations")

#: The per-article stages whose failures are quarantined (``quarantine.stage``).
QUARANTINE_STAGES = ("nlp", *EXTRACTION_STAGES)

#: An extractor: one article's rows per table, from its doc (or a window of it), the rows the
#: pass's earlier stages produced for it, and what the worker loaded (see pipeline.work).
Extractor = Callable[[ArticleWork, "Doc", ArticleRows, WorkerContext], Mapping[str, list]]


@dataclass(frozen=True, slots=True)
class ExtractionStage:
    """One extraction stage: what it records, what it writes, how it turns a doc into rows.

    Attributes:
        name: Stage name recorded in ``stage_state``.
        version: Fingerprint of the stage's code (the model's name is added to it).
        tables: The tables it writes (no two stages of a pass write the same table).
        extract: Rows per table of one article (see :data:`Extractor`).
        prepare: Loads what ``extract`` needs (the figures' tables, the gazetteer) where the
            batches run, before the first (see :meth:`pipeline.engine.Engine.prepare`); called
            only when the stage has something pending. A module-level function (or a partial
            of one), so that workers started afresh receive it by name.
    """

    name: str
    version: str
    tables: tuple[str, ...]
    extract: Extractor
    prepare: Callable[[], None] | None = None

    def as_pass_stage(self) -> PassStage:
        """The stage as :func:`pipeline.articles.run_pass` takes it."""
        return PassStage(
            StageSpec(self.name, self.tables, self.extract), self.version, self.prepare
        )


@dataclass(frozen=True, slots=True)
class ParseReport:
    """What filling the doc cache did."""

    parsed: int
    cached: int
    words: int
    seconds: float
    #: Bodies the model failed on (see the ``quarantine`` table).
    quarantined: int = 0


@dataclass(frozen=True, slots=True)
class StageReport:
    """What an extraction stage did."""

    stage: str
    articles: int
    rows: dict[str, int]
    #: Seconds of the pass the stage ran in (shared by the stages of one pass).
    seconds: float
    #: Articles it failed on in this pass (see the ``quarantine`` table).
    quarantined: int = 0


def engine_factory(cluster: str | None, n_process: int) -> Callable:
    """Opens the engine of a pass (only when something is pending): see :mod:`pipeline.engine`."""
    from pipeline.engine import open_engine

    return lambda: open_engine(cluster, n_process=n_process)


def parse_pending(
    warehouse: Warehouse,
    *,
    n_process: int = 2,
    cluster: str | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> ParseReport:
    """Annotate every article body not yet in the doc cache (of this model), chunk by chunk.

    The cache is keyed by ``content_hash``: changing an extractor never re-runs spaCy, and an
    unchanged body (or an exact copy) is parsed once. With nothing pending the model is never
    loaded (a no-op re-run stays cheap). A body the model fails on is quarantined (stage
    ``nlp``) and retried only when it or the model changes.

    Args:
        warehouse: The warehouse.
        n_process: Processes of the local pool (2 uses both cores of the reference machine).
        cluster: A Dask cluster instead (``local:N`` or an address; see :mod:`pipeline.engine`).
        on_progress: Called after every batch.
    """
    report = run_pass(
        warehouse, [], engine_factory(cluster, n_process), parse=True, on_progress=on_progress
    )
    return ParseReport(
        parsed=report.parsed,
        cached=report.cached,
        words=report.words,
        seconds=report.seconds,
        quarantined=report.quarantined.get("nlp", 0),
    )


def run_extractions(
    warehouse: Warehouse,
    stages: Sequence[ExtractionStage],
    *,
    n_process: int = 2,
    cluster: str | None = None,
    parse: bool = False,
    gazetteer: Path | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> dict[str, StageReport]:
    """Run ``stages`` in one pass over the articles any of them has not processed.

    Each article's doc is restored (or parsed) once for all the stages that have it pending;
    each stage keeps its own bookkeeping, so a stage whose code changed redoes its articles
    alone. The rows, and their order, are the same on any engine and any number of workers.

    Args:
        warehouse: The warehouse; only this process reads and writes it.
        stages: The stages, in the order they run on an article.
        n_process: Processes of the local pool.
        cluster: A Dask cluster instead (see :mod:`pipeline.engine`).
        parse: Also fill the doc cache for bodies that have no doc (one pass for both).
        gazetteer: The gazetteer file the workers load (locations).
        on_progress: Called after every batch.
    """
    report = run_pass(
        warehouse,
        [stage.as_pass_stage() for stage in stages],
        engine_factory(cluster, n_process),
        parse=parse,
        gazetteer=str(gazetteer) if gazetteer is not None else None,
        on_progress=on_progress,
    )
    return stage_reports(report, stages)


def stage_reports(report: PassReport, stages: Sequence[ExtractionStage]) -> dict[str, StageReport]:
    """Per stage, what a pass did for it."""
    return {
        stage.name: StageReport(
            stage=stage.name,
            articles=report.handled.get(stage.name, 0),
            rows={table: report.rows.get(table, 0) for table in stage.tables},
            seconds=report.seconds,
            quarantined=report.quarantined.get(stage.name, 0),
        )
        for stage in stages
    }


def claims_stage() -> ExtractionStage:
    """Claims and the source mentions behind them (the outlet comes with each article)."""
    spec = STAGES["claims"]
    return ExtractionStage(spec.name, _claims_version(), spec.tables, spec.extract)


def _claims_version() -> str:
    """The claims code version: assembly, components, speakers, sources and data files.

    The components and the data files (cue tables, the learned model) shape the claims as much
    as the assembly does: a change to any re-extracts.
    """
    from pipeline import assemble
    from pipeline.extract import claims as claims_module
    from pipeline.link import sources as sources_module

    code = modules_version(claims_module, *claims_module.COMPONENTS, sources_module, assemble)
    digest = hashlib.sha256(code.encode())
    for path in claims_module.DATA_FILES:
        data = path.read_bytes() if path.exists() else b""
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:16]


def figures_stage() -> ExtractionStage:
    """Figures, linked to the claim whose content contains them.

    The claims come from the same pass when it extracts the article's claims too, else with the
    article (the claims the warehouse holds for it).
    """
    from pipeline import assemble
    from pipeline.extract import (
        composite,
        counted,
        lexicon,
        notfigures,
        quantities,
        ranges,
        unitphrases,
        unitsense,
    )
    from pipeline.extract import figures as figures_module
    from pipeline.extract import frame_context as frame_context_module
    from pipeline.extract import frame_counted as frame_counted_module
    from pipeline.extract import frame_lexicon as frame_lexicon_module
    from pipeline.extract import frame_roles as frame_roles_module
    from pipeline.extract import frame_where_when as frame_where_when_module
    from pipeline.extract import frames as frames_module
    from pipeline.extract import numbers as numbers_module

    # Figures depend on the claims they fall in: new claims code means new claim ids.
    code = modules_version(
        figures_module,
        numbers_module,
        quantities,
        unitphrases,
        ranges,
        composite,
        counted,
        notfigures,
        unitsense,
        lexicon,
        assemble,
        frames_module,
        frame_roles_module,
        frame_lexicon_module,
        frame_counted_module,
        frame_where_when_module,
        frame_context_module,
    )
    # The data files, pint's and pycountry's tables, the disambiguator's weights, the frames'
    # lexicon and the claims' code and data: a changed table, model or claim re-extracts.
    code += lexicon.data_version() + unitsense.model_version() + frames_module.data_digest()
    version = hashlib.sha256((code + _claims_version()).encode()).hexdigest()[:16]
    spec = STAGES["figures"]
    return ExtractionStage(spec.name, version, spec.tables, spec.extract, _load_figure_tables)


def _load_figure_tables() -> None:
    """The figures' tables and the unit model (a module function: workers get it by name)."""
    from pipeline.extract import lexicon, unitsense

    lexicon.lexicon()
    unitsense.load()


def locations_stage(gazetteer_path: Path) -> ExtractionStage:
    """Place mentions resolved against the gazetteer (each worker maps the file once)."""
    from pipeline import assemble
    from pipeline.extract import locations as locations_module
    from pipeline.extract import place_spans as place_spans_module
    from pipeline.link import candidates as candidates_module
    from pipeline.link import gazetteer as gazetteer_module
    from pipeline.link import geocode as geocode_module
    from pipeline.link import mention as mention_module
    from pipeline.link import points as points_module
    from pipeline.link import ranker as ranker_module
    from pipeline.stages import gazetteer_version

    version = modules_version(
        locations_module,
        place_spans_module,
        geocode_module,
        candidates_module,
        mention_module,
        points_module,
        ranker_module,
        gazetteer_module,
        assemble,
    )
    # The learned ranker: a retrained model re-resolves every article.
    version += "-" + ids.file_sha256(ranker_module.MODEL_PATH)[:12]
    # The recognition word lists: an edited list re-extracts.
    version += "-" + ids.file_sha256(place_spans_module.WORDS_PATH)[:12]
    version += "-" + gazetteer_version(gazetteer_path)

    spec = STAGES["locations"]
    prepare = functools.partial(_load_gazetteer, str(gazetteer_path))
    return ExtractionStage(spec.name, version, spec.tables, spec.extract, prepare)


def _load_gazetteer(path: str) -> None:
    """Map the gazetteer file (a module function: workers get it by name, with the path)."""
    _ = WorkerContext(path).gazetteer


def extraction_stages(
    gazetteer_path: Path, only: Iterable[str] = EXTRACTION_STAGES
) -> list[ExtractionStage]:
    """The pipeline's stages of ``only``, in pass order."""
    builders: dict[str, Callable[[], ExtractionStage]] = {
        "claims": claims_stage,
        "figures": figures_stage,
        "locations": lambda: locations_stage(gazetteer_path),
    }
    wanted = set(only)
    return [builders[name]() for name in EXTRACTION_STAGES if name in wanted]


def extract_all(
    warehouse: Warehouse,
    gazetteer_path: Path,
    *,
    only: Iterable[str] = EXTRACTION_STAGES,
    n_process: int = 2,
    cluster: str | None = None,
) -> dict[str, StageReport]:
    """Claims, figures and locations of new or changed articles, in one pass (see below)."""
    reports, _ = extract_pass(
        warehouse, gazetteer_path, only=only, n_process=n_process, cluster=cluster
    )
    return reports


def extract_pass(
    warehouse: Warehouse,
    gazetteer_path: Path,
    *,
    only: Iterable[str] = EXTRACTION_STAGES,
    n_process: int = 2,
    cluster: str | None = None,
    parse: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
) -> tuple[dict[str, StageReport], PassReport]:
    """Claims, figures and locations of new or changed articles, in one pass.

    Args:
        warehouse: The warehouse.
        gazetteer_path: The gazetteer file (see :func:`pipeline.stages.ensure_gazetteer`).
        only: The stages to run (of :data:`EXTRACTION_STAGES`).
        n_process: Processes of the local pool.
        cluster: A Dask cluster instead.
        parse: Also fill the doc cache in the same pass (the ``nlp_docs`` asset is selected).
        on_progress: Called after every batch.

    Returns:
        Each stage's report, and the pass's (words parsed, parse and extraction seconds).
    """
    stages = extraction_stages(gazetteer_path, only)
    report = run_pass(
        warehouse,
        [stage.as_pass_stage() for stage in stages],
        engine_factory(cluster, n_process),
        parse=parse,
        gazetteer=str(gazetteer_path),
        on_progress=on_progress,
    )
    return stage_reports(report, stages), report
