"""What ``newsledger train`` shares: deterministic training and models committed with digests.

Each learned part of the pipeline has a module here with a ``train`` function (see
:class:`Trainer`) and a model file under ``pipeline/models/``, shipped in the package. A model
file records what it was learned from (the sha256 of every training file and of the code that
learned it), so a reviewer can tell a model from its data, and ``newsledger train`` run again on
the same data and code writes the same bytes:

- inputs are read in sorted order and shuffled, where at all, with fixed seeds;
- BLAS runs on one thread while training (summation order is then fixed);
- models are written as canonical JSON (sorted keys, fixed separators, floats by ``repr``) or,
  for a library's own binary format, after checking that it is deterministic.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

#: Where the committed models live (inside the package, so an install carries them).
MODELS = Path(__file__).resolve().parent.parent / "models"

#: The shared gold and training pools, beside the project (not needed at run time).
SHARED_EVAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval"


@dataclass(frozen=True, slots=True)
class TrainRequest:
    """What ``newsledger train KIND`` asks of a trainer.

    Attributes:
        data: Training files; empty means the kind's default pools.
        out: Where to write the model; ``None`` means the committed model's path.
        folds: Folds of the grouped cross-validation reported beside the model.
        limit: Only the first ``limit`` records of each file (fixtures, quick checks).
        direct_parse_for_tests: Parse the gold texts here instead of reading the product's
            parses from each file's gold warehouse (:func:`gold_warehouse`). Only for the unit
            tests that retrain on a small fixture without Dagster or a cache: a model learned
            this way differs from the product's, so ``newsledger train`` never sets it.
    """

    data: tuple[Path, ...] = ()
    out: Path | None = None
    folds: int = 5
    limit: int | None = None
    direct_parse_for_tests: bool = False


@dataclass(frozen=True, slots=True)
class TrainReport:
    """What a training run wrote and measured."""

    model: Path
    data_digest: str
    metrics: Mapping[str, object] = field(default_factory=dict)


#: A trainer: learns from the request's data, writes the model, reports.
Trainer = Callable[[TrainRequest], TrainReport]


def gold_warehouse(path: Path) -> Path:
    """Where ``newsledger eval`` (:mod:`assets.goldrun`) keeps the warehouse of gold file ``path``.

    Trainers read the pipeline's own parses from it; ``newsledger train`` builds or refreshes
    it first, by the eval's code path (``NEWSLEDGER_EVAL_DIR`` moves it, as it moves the eval's).
    """
    from pipeline.evaluate.cache import gold_warehouse_path

    return gold_warehouse_path(path.stem)


def require_gold_warehouse(path: Path) -> Path:
    """:func:`gold_warehouse` of ``path``, which must exist: no silent fallback to other parses.

    Raises:
        FileNotFoundError: When it was not built (``newsledger train`` builds it).
    """
    database = gold_warehouse(path)
    if not database.exists():
        raise FileNotFoundError(
            f"no gold warehouse {database} for {path.name}: train with `newsledger train`, "
            "which builds it by the eval's code path, so the model learns from the product's "
            "parses"
        )
    return database


def library_versions(*names: str) -> dict[str, str]:
    """The installed versions of the distributions ``names`` (what learns, and what parses).

    Recorded beside a model: the same data and code under another scikit-learn, crfsuite or
    spaCy model may learn other weights.
    """
    from importlib import metadata

    return {name: metadata.version(name) for name in sorted(names)}


def files_digest(paths: Sequence[Path], *, limit: int | None = None) -> str:
    """sha256 over the files' names and bytes, in sorted order (the first ``limit`` lines each).

    With a ``limit`` only those lines count: the digest names exactly what was learned from.
    """
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        data = path.read_bytes()
        if limit is not None:
            data = b"".join(data.splitlines(keepends=True)[:limit])
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def code_digest(*modules: ModuleType, files: Sequence[Path] = ()) -> str:
    """sha256 of the source of the modules (and data files) that decide what a model learns.

    Each trainer lists exactly that code, its ``learning_code()``: the features, the labels and
    their alignment to the gold, the learning itself; not the rules that only use the model's
    output, so that a model goes stale (``tests/unit/test_model_digests.py`` fails) when what
    it would learn may change, and only then. Files (lexicons that decide which candidates
    become examples) count by name and bytes. Modules count in order of name and files in
    order of file name, so a list derived or reordered gives the same digest for the same code;
    a module listed twice counts once.
    """
    digest = hashlib.sha256()
    for module in sorted({m.__name__: m for m in modules}.values(), key=lambda m: m.__name__):
        source = Path(module.__file__ or "").read_bytes()
        digest.update(module.__name__.encode() + b"\0" + hashlib.sha256(source).digest())
    for path in sorted(set(files), key=lambda p: (p.name, str(p))):
        digest.update(
            b"file\0" + path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest()
        )
    return digest.hexdigest()


def canonical_json(payload: object) -> bytes:
    """JSON bytes that are the same for the same payload (sorted keys, no spacing drift)."""
    return (
        json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), indent=None)
        + "\n"
    ).encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (never half a model)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.tmp")
    scratch.write_bytes(data)
    scratch.replace(path)


@contextlib.contextmanager
def deterministic() -> Iterator[None]:
    """One BLAS and OpenMP thread while training: the same sums in the same order every time."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        yield


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    """Records of a JSON-lines file in file order (the first ``limit`` only)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return rows[:limit] if limit else rows
