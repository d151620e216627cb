"""Where ``newsledger eval`` keeps its gold warehouses: one rule for the eval and the trainers.

The trainers learn from the parses the eval's warehouses hold (see :mod:`pipeline.learn`), so
both must find the same folder.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The default folder (ignored by git, like every cache).
EVAL_ROOT = Path("data/cache/eval")


def eval_root() -> Path:
    """``NEWSLEDGER_EVAL_DIR`` when set (tests, a second cache), else :data:`EVAL_ROOT`."""
    return Path(os.environ.get("NEWSLEDGER_EVAL_DIR") or EVAL_ROOT)


def gold_warehouse_path(name: str) -> Path:
    """The warehouse file of the gold file whose stem is ``name``."""
    return eval_root() / name / "warehouse.duckdb"
