"""A compact offline GeoNames gazetteer: the memory-mapped file and fast name lookups.

The file holds one row per (lookup key, place) pair. Rows of one key are contiguous, best first
(by kind, then population), and the key groups are ordered by a stable 64-bit hash of the key,
so a lookup is a binary search over the file's own ``key_hash`` column that returns a row range.
The file is uncompressed Arrow IPC in one record batch, memory-mapped: loading it reads no rows,
columns are used in place, and every process (forked workers included) shares the same pages of
the OS page cache instead of holding a private copy.

This module is the file's reading side and its format (the key normalisation, the hash order,
the writer), which reader and builder must agree on;
:mod:`pipeline.link.gazetteer_build` assembles the rows from GeoNames and the other sources.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

#: Row kinds: how a key reaches a place.
KIND_NAME, KIND_ALT, KIND_ALIAS, KIND_DEMONYM, KIND_FUZZY, KIND_ABBREV = 0, 1, 2, 3, 4, 5

#: The GeoNames admin1/admin2 codes, countryInfo and demonym files shipped with the project
#: (CC-BY 4.0). Found from this file, not the working directory, so any folder can run the CLI.
BUNDLED_GEONAMES = Path(__file__).resolve().parents[2] / "data" / "gazetteer"

_PUNCT = re.compile(r"[\.\u2019'`´]")
_SEP = re.compile(r"[^0-9a-z]+")

_SCHEMA = {
    "key": pl.String,
    "kind": pl.Int8,
    "geonameid": pl.Int64,
    "name": pl.String,
    "feature_class": pl.String,
    "feature_code": pl.String,
    "country_code": pl.String,
    "admin1_code": pl.String,
    "admin1": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "population": pl.Int64,
    "approx": pl.Boolean,
    "names": pl.Int32,
}


def name_key(text: str) -> str:
    """Normalise a place name for lookup: fold accents and case, drop dots and apostrophes.

    >>> name_key("Qayyārah"), name_key("U.S."), name_key("Al-Asad")
    ('qayyarah', 'us', 'al asad')
    """
    folded = text.lower()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = _PUNCT.sub("", folded)
    return _SEP.sub(" ", folded).strip()


def key_hash(key: str) -> int:
    """Stable signed 64-bit hash of a lookup key, the order of the gazetteer file.

    blake2b, not Python's ``hash``: that is salted per process, and the file must be the same on
    every machine (candidates are ranked in file order).
    """
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def fuzzy_key(key: str) -> str:
    """A spelling skeleton for transliteration variants: ``qayara`` == ``qayyarah``.

    Drops a leading Arabic article, spaces, doubled letters, a final ``h`` and vowel/``y``/``w``
    distinctions after the first letter.
    """
    key = re.sub(r"^(al|el|ad|an|ar|as|ash|at|az) ", "", key).replace(" ", "")
    key = re.sub(r"(.)\1+", r"\1", key)
    if len(key) > 4 and key.endswith("h"):
        key = key[:-1]
    if not key:
        return ""
    head, tail = key[0], key[1:]
    tail = re.sub(r"[aeiouyw]+", "a", tail)
    return "~" + head + tail


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry (a GeoNames feature)."""

    geonameid: int
    name: str
    feature_class: str
    feature_code: str
    country_code: str
    admin1_code: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    population: int
    approx: bool = False


#: Columns stored as enums (few distinct strings): the file holds a small code per row.
_CODED = ("feature_code", "country_code", "admin1_code")


def _by_key_hash(frame: pl.DataFrame) -> pl.DataFrame:
    """The built rows in file order, with ``key_hash`` and enum-coded columns.

    Within a key the order of :func:`pipeline.link.gazetteer_build.build_rows` is kept (kind,
    population, id): candidates are ranked in it.
    """
    keys = frame["key"].unique().sort()
    hashes = pl.Series("key_hash", [key_hash(key) for key in keys.to_list()], dtype=pl.Int64)
    if hashes.n_unique() != hashes.len():  # about 1 in 50 million for a million keys
        raise RuntimeError("two gazetteer keys share a 64-bit hash: key_hash needs more bits")
    frame = frame.join(pl.DataFrame([keys, hashes]), on="key", how="left", maintain_order="left")
    frame = frame.with_columns(
        pl.col(name).cast(pl.Enum(sorted(frame[name].drop_nulls().unique().to_list())))
        for name in _CODED
    )
    return frame.select("key_hash", *_SCHEMA).sort(
        ["key_hash", "key", "kind", "population", "geonameid"],
        descending=[False, False, False, True, False],
        maintain_order=True,
    )


def _write_mappable(frame: pl.DataFrame, path: Path) -> None:
    """Write ``frame`` as uncompressed Arrow IPC in one record batch, Polars' own string layout.

    Why: Polars maps such a file without copying (compressed data must be decoded, other
    string layouts are converted, several batches make every column a copy when read as one
    array). Polars' own writer splits the frame into batches, so pyarrow writes it.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    # Strings leave Polars as plain offsets and bytes, and are laid out as views again here:
    # Polars' own views point into buffers in whatever order its threads filled them, so the
    # same rows would not give the same bytes.
    table = frame.to_arrow(compat_level=pl.CompatLevel.oldest()).combine_chunks()
    for index, field in enumerate(table.schema):
        if pa.types.is_large_string(field.type):
            view = pc.cast(table.column(index), pa.string_view())
            table = table.set_column(index, field.with_type(pa.string_view()), view)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=max(table.num_rows, 1))


class Gazetteer:
    """Read-only gazetteer over a memory-mapped file that :mod:`.gazetteer_build` wrote.

    Nothing is copied at load but the three small code columns: the numeric columns are NumPy
    views of the mapped file, and a lookup binary-searches the file's ``key_hash`` column. The
    dict of 844k keys it replaces, with Polars' decoded Parquet, held about 430 MiB per process,
    private memory that every forked worker counted again.
    """

    #: Lookups remembered per process (at most about 10 MB; cleared when full).
    _MEMO = 65536

    def __init__(self, frame: pl.DataFrame) -> None:
        """Use a frame read from a gazetteer file (rows in file order, see :func:`_by_key_hash`)."""
        self._hashes = frame["key_hash"].to_numpy().data  # a memoryview: its items are plain ints
        self._keys = frame["key"]
        self.kind = frame["kind"].to_numpy()
        self.geonameid = frame["geonameid"].to_numpy()
        self.population = frame["population"].to_numpy()
        self.latitude = frame["latitude"].to_numpy()
        self.longitude = frame["longitude"].to_numpy()
        self.approx = frame["approx"].to_numpy()
        self.names = frame["names"].to_numpy()
        self._frame = frame
        self.rows = frame.height
        self._feature_codes, self._feature_code = _coded(frame["feature_code"])
        self._country_codes, self._country_code = _coded(frame["country_code"])
        self._admin1_codes, self._admin1_code = _coded(frame["admin1_code"])
        self._found: dict[str, range] = {}

    def __len__(self) -> int:
        return self.rows

    def rows_for(self, key: str) -> range:
        """Row indices whose lookup key is exactly ``key`` (already normalised)."""
        found = self._found.get(key)
        if found is None:
            if len(self._found) >= self._MEMO:
                self._found.clear()
            found = self._found[key] = self._search(key)
        return found

    def _search(self, key: str) -> range:
        wanted = key_hash(key)
        first = bisect_left(self._hashes, wanted)
        if first == self.rows or self._hashes[first] != wanted or self._keys[first] != key:
            return range(0)  # the last test: a string that is no key but has a key's hash
        return range(first, bisect_right(self._hashes, wanted, lo=first))

    def lookup(self, text: str) -> range:
        """Row indices for a surface string (normalised with :func:`name_key`)."""
        return self.rows_for(name_key(text))

    def fuzzy(self, text: str) -> range:
        """Row indices reached through the spelling skeleton of ``text``."""
        key = name_key(text)
        return self.rows_for(fuzzy_key(key)) if len(key) >= 5 else range(0)

    def __contains__(self, text: str) -> bool:
        return bool(self.lookup(text))

    def feature_code(self, row: int) -> str:
        """GeoNames feature code of a row."""
        return self._feature_codes[self._feature_code[row]]

    def country_code(self, row: int) -> str:
        """ISO country code of a row ('' for continents and seas)."""
        return self._country_codes[self._country_code[row]]

    def admin1_code(self, row: int) -> str | None:
        """Admin1 code of a row."""
        return self._admin1_codes[self._admin1_code[row]]

    def division_key(self, row: int) -> str | None:
        """The row's country and first-level division ("US.MN"), as document context counts it.

        None for a country itself and for rows with no country (continents, seas).
        """
        cc = self.country_code(row)
        if not cc or self.feature_code(row) == "PCLI":
            return None
        return f"{cc}.{self.admin1_code(row)}"

    def place(self, row: int) -> Place:
        """The full record of a row."""
        rec = self._frame.row(row, named=True)
        return Place(
            geonameid=rec["geonameid"],
            name=rec["name"],
            feature_class=rec["feature_class"],
            feature_code=rec["feature_code"],
            country_code=rec["country_code"],
            admin1_code=rec["admin1_code"],
            admin1=rec["admin1"],
            latitude=rec["latitude"],
            longitude=rec["longitude"],
            population=rec["population"],
            approx=rec["approx"],
        )


def _coded(column: pl.Series) -> tuple[list[Any], memoryview]:
    """An enum column as its values and a small code per row: ``values[codes[row]]``.

    The codes are the enum's own (``None`` gets the last value): the only copy made at load,
    one or two bytes a row. A memoryview, since indexing it gives plain ints without touching
    reference counts on shared pages (a list of a million strings held 60 MB per column, and a
    forked worker reading it copied every page it touched).
    """
    values = [*column.cat.get_categories().to_list(), None]
    codes = column.to_physical().fill_null(len(values) - 1).to_numpy()
    return values, np.ascontiguousarray(codes).data


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Gazetteer:
    return Gazetteer(pl.read_ipc(path, memory_map=True))


def load_gazetteer(path: Path) -> Gazetteer:
    """Load a gazetteer file once per path (cached; reloaded if the file changes)."""
    path = Path(path).resolve()
    return _load(str(path), path.stat().st_mtime)
