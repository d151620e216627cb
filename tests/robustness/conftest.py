from pathlib import Path

import pytest
from hostile_corpus import build


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("corpus")
    return root / "hostile", build(root)
