"""The figures lexicon: number words, units, currencies, qualifiers and not-figure patterns.

The rules of :mod:`pipeline.extract.figures` are data: the TOML files in
``pipeline/extract/data/figures/`` (``numbers``, ``units``, ``currencies``, ``qualifiers``,
``not_figures``), which a reviewer reads without reading code. This module loads them, once per
process, into one frozen :class:`Lexicon`.

Two tables come from kept libraries rather than being typed:

- **pint's unit definitions** (``pint/default_en.txt``): for a unit that names a pint unit, its
  symbol and aliases are surfaces, and the SI prefixes listed beside it make the prefixed units
  (symbols such as ``kWh``, ``GHz``, ``µm`` and spellings such as ``kilometers``). The file is
  parsed directly: building pint's ``UnitRegistry`` costs 0.7 s per process and gives nothing
  more that a surface lookup needs.
- **ISO 4217 from pycountry**: every active currency code (``EUR 5m``, ``5m SEK``), named as
  NewsQuant names currencies (pycountry's name lowercased, "swedish krona"; the names it writes
  differently are in ``currencies.toml``), and its name as a written unit.

No number-word parser from PyPI is used: the ones there (word2number, text2num) parse a whole
string, not a token stream, so they cannot say where a number ends inside a sentence ("three
hundred and five people"), and they would be called at every word; the grammar here reads
number words token by token from the tables in ``numbers.toml``.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

#: The data files, shipped inside the package.
DATA = Path(__file__).resolve().parent / "data" / "figures"
_FILES = ("numbers", "units", "currencies", "qualifiers", "not_figures")


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """A unit name and the kind of figure it makes."""

    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class Compound:
    """A unit and its smaller part written after it ("3 dollars 50 cents")."""

    major: str | None
    major_kind: str | None
    minor: frozenset[str]
    per: float
    bare: bool

    def applies(self, unit: UnitInfo) -> bool:
        """Whether ``unit`` is this compound's whole unit."""
        return unit.name == self.major or unit.kind == self.major_kind


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Every table the figures grammar reads (see the data files for what each holds)."""

    cardinals: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, float]
    scale_letters: dict[str, float]
    scale_letters_ambiguous: dict[str, float]
    groups: dict[str, float]
    vague: dict[str, float]
    fractions: dict[str, float]
    ordinals: dict[str, int]
    multiple_suffixes: tuple[str, ...]
    multiple_unit: str
    vulgar: dict[str, float]
    unit_phrases: dict[tuple[str, ...], UnitInfo]
    max_unit_tokens: int
    unit_sizes: dict[str, tuple[int, ...]]
    cased_units: dict[str, UnitInfo]
    glued_only: frozenset[str]
    part_marks: frozenset[str]
    article_units: frozenset[str]
    unit_bases: dict[str, str]
    ambiguous: dict[str, tuple[UnitInfo, ...]]
    currency_symbols: dict[str, str]
    currency_codes: dict[str, str]
    whole_currencies: frozenset[str]
    small_name_prefixes: frozenset[str]
    small_name_below: float
    glued_only_symbols: frozenset[str]
    dollar_countries: dict[str, str]
    dollar_suffixes: dict[str, str]
    qualifiers_before: dict[tuple[str, ...], str]
    max_qualifier_tokens: int
    qualifier_sizes: dict[str, tuple[int, ...]]
    qualifiers_after: dict[tuple[str, ...], str]
    range_connectors: frozenset[str]
    up_unless_opened: frozenset[str]
    size_signs: frozenset[str]
    same_currency: dict[str, int]
    up_verbs: frozenset[str]
    down_verbs: frozenset[str]
    up_particle_verbs: frozenset[str]
    label_words: frozenset[str]
    label_words_capitalised: frozenset[str]
    index_names: frozenset[str]
    standards: frozenset[str]
    time_words: frozenset[str]
    military_time_words: frozenset[str]
    months: frozenset[str]
    glued_suffixes: frozenset[str]
    one_pronoun_after: frozenset[str]
    score_largest: float
    count_nouns: frozenset[str]
    compounds: tuple[Compound, ...]


def data_files() -> list[Path]:
    """The data files, in load order (their bytes make :func:`data_version`)."""
    return [DATA / f"{name}.toml" for name in _FILES]


def data_version() -> str:
    """Digest of the data files and of the library tables read (pint's, pycountry's versions).

    The figures stage adds it to its version, so a changed table re-extracts.
    """
    from importlib import metadata

    digest = hashlib.sha256()
    for path in data_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for library in ("pint", "pycountry"):
        digest.update(f"{library}=={metadata.version(library)}".encode())
    return digest.hexdigest()[:16]


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


_PINT_LINE = re.compile(r"^([A-Za-z_]\w*)(-?)\s*=\s*(.+)$")


def _pint_definitions() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Pint's units and prefixes: name -> [symbol, aliases...] (``_`` symbols dropped)."""
    import pint

    units: dict[str, list[str]] = {}
    prefixes: dict[str, list[str]] = {}
    text = (Path(pint.__file__).parent / "default_en.txt").read_text(encoding="utf-8")
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        match = _PINT_LINE.match(line)
        if match is None:
            continue
        name, dash, rest = match.groups()
        parts = [p.strip() for p in rest.split("=")][1:]
        names = [p.rstrip("-") for p in parts if p and p != "_" and p != "_-"]
        (prefixes if dash else units)[name] = names
    return units, prefixes


def _units(
    data: dict,
) -> tuple[dict[tuple[str, ...], UnitInfo], dict[str, UnitInfo], dict[str, str]]:
    """Unit phrases, case-sensitive symbols and prefixed units' bases, from data and pint.

    Phrases are lowercase token tuples; a prefixed unit's base is "farad" for "nanofarad". A
    symbol listed in ``[ambiguous]`` ("F", "C") is left to the disambiguator: pint's reading
    of it is not made a plain surface.
    """
    phrases: dict[tuple[str, ...], UnitInfo] = {}
    cased: dict[str, UnitInfo] = {}
    by_name: dict[str, UnitInfo] = {}
    bases: dict[str, str] = {}
    ambiguous = set(data["ambiguous"])

    def add(surface: str, info: UnitInfo) -> None:
        key = tuple(surface.lower().split())
        if key and key not in phrases:
            phrases[key] = info

    def add_symbol(symbol: str, info: UnitInfo) -> None:
        if symbol in ambiguous:
            return
        if symbol.lower() != symbol:
            cased.setdefault(symbol, info)
            if len(symbol) == 1:
                return  # "B" is a byte, "b" is not
        add(symbol, info)

    pint_units, pint_prefixes = _pint_definitions()
    entries = data["unit"]
    for entry in entries:
        info = by_name.setdefault(entry["name"], UnitInfo(entry["name"], entry["kind"]))
        for surface in entry.get("surfaces", []):
            add(surface, info)
        if "base" in entry:
            bases[entry["name"]] = entry["base"]
    for entry in entries:  # pint's surfaces after every typed one: typed surfaces win
        if "pint" not in entry:
            continue
        info = by_name[entry["name"]]
        symbol, *aliases = pint_units[entry["pint"]] or [entry["pint"]]
        words = [w for w in entry.get("surfaces", []) if w.isalpha() and len(w) > 3]
        add_symbol(symbol, info)
        for alias in aliases:
            if "_" not in alias:
                add(alias, info)
                add(_plural(alias), info)
        for prefix in entry.get("prefixes", []):
            prefix_symbol = pint_prefixes[prefix][0]
            name = prefix + entry["name"]
            prefixed = by_name.setdefault(name, UnitInfo(name, info.kind))
            bases.setdefault(name, entry["name"])
            for variant in {prefix_symbol, *(a for a in pint_prefixes[prefix][1:] if a in "µμ")}:
                add_symbol(variant + symbol, prefixed)
            for word in words:
                add(prefix + word, prefixed)
            add(name, prefixed)
            add(_plural(name), prefixed)
    for symbol, name in data["cased"].items():
        cased[symbol] = by_name.setdefault(name, UnitInfo(name, "other"))
    return phrases, cased, bases


def _currencies(
    data: dict, phrases: dict[tuple[str, ...], UnitInfo]
) -> tuple[dict[str, str], frozenset[str]]:
    """ISO 4217 code -> name (pycountry, renamed as NewsQuant names them); adds written names.

    Also the names of the currencies without a minor unit (``[no_minor_unit]``).
    """
    import pycountry

    names: dict[str, str] = data["names"]
    skip = set(data["codes"]["not_codes"])
    whole = set(data["no_minor_unit"]["codes"])
    codes: dict[str, str] = {}
    whole_names: set[str] = set()
    for currency in pycountry.currencies:
        code: str = currency.alpha_3
        name: str = names.get(code) or str(currency.name).lower()
        if "(" in name or "," in name:
            continue
        info = UnitInfo(name, "currency")
        for surface in (name, _plural(name)):
            phrases.setdefault(tuple(surface.split()), info)
        if code not in skip:
            codes[code] = name
        if code in whole:
            whole_names.add(name)
    return codes, frozenset(whole_names)


def _phrases(groups: dict[str, list[str]]) -> dict[tuple[str, ...], str]:
    return {tuple(p.split()): sign for sign, items in groups.items() for p in items}


def _comparatives(groups: dict[str, list[str]]) -> dict[tuple[str, ...], str]:
    """Comparative phrases: "greater than", "greater or equal than", "no less than" (opposite)."""
    opposite = {">": "<", "<": ">"}
    out: dict[tuple[str, ...], str] = {}
    for sign, words in groups.items():
        for w in words:
            for pattern in (
                f"{w} than",
                f"{w} than or equal to",
                f"{w} than or equal",
                f"{w} or equal than",
                f"{w} or equal to",
                f"equal to or {w} than",
                f"equal or {w} than",
            ):
                out[tuple(pattern.split())] = sign
            for negation in ("no", "not"):
                out[(negation, w, "than")] = opposite[sign]
    return out


def _sizes(phrases: Mapping[tuple[str, ...], object], *, first: bool) -> dict[str, tuple[int, ...]]:
    """Phrase lengths by first (or last) word, longest first: only those are tried."""
    sizes: dict[str, set[int]] = {}
    for key in phrases:
        sizes.setdefault(key[0] if first else key[-1], set()).add(len(key))
    return {word: tuple(sorted(lengths, reverse=True)) for word, lengths in sizes.items()}


@cache
def lexicon() -> Lexicon:
    """The lexicon, loaded once per process (the figures stage loads it before forking)."""
    data = {name: tomllib.loads((DATA / f"{name}.toml").read_text("utf-8")) for name in _FILES}
    numbers, units, money = data["numbers"], data["units"], data["currencies"]
    qualifiers, nots = data["qualifiers"], data["not_figures"]
    phrases, cased, bases = _units(units)
    codes, whole_currencies = _currencies(money, phrases)
    by_name = {info.name: info for info in [*phrases.values(), *cased.values()]}
    before = _comparatives(qualifiers["comparatives"]) | _phrases(qualifiers["before"])
    after = _phrases(qualifiers["after"])
    return Lexicon(
        cardinals=dict(numbers["cardinals"]),
        tens=dict(numbers["tens"]),
        scales={k: float(v) for k, v in numbers["scales"].items()},
        scale_letters={k: float(v) for k, v in numbers["scale_letters"].items()},
        scale_letters_ambiguous={
            k: float(v) for k, v in numbers["scale_letters_ambiguous"].items()
        },
        groups={k: float(v) for k, v in numbers["groups"].items()},
        vague={k: float(v) for k, v in numbers["vague"].items()},
        fractions={k: float(v) for k, v in numbers["fractions"].items()},
        ordinals=dict(numbers["ordinals"]),
        multiple_suffixes=tuple(numbers["multiples"]["suffixes"]),
        multiple_unit=numbers["multiples"]["unit"],
        vulgar={k: float(v) for k, v in numbers["vulgar_fractions"].items()},
        unit_phrases=phrases,
        max_unit_tokens=max(len(k) for k in phrases),
        unit_sizes=_sizes(phrases, first=True),
        cased_units=cased,
        glued_only=frozenset(units["glued_only"]["surfaces"]),
        part_marks=frozenset(units["marked_part"]["marks"]),
        article_units=frozenset(units["article_like"]["surfaces"]),
        unit_bases=bases,
        ambiguous={
            surface: tuple(by_name.get(name) or UnitInfo(name, "other") for name in candidates)
            for surface, candidates in units["ambiguous"].items()
        },
        currency_symbols=dict(money["symbols"]),
        currency_codes=codes,
        whole_currencies=whole_currencies,
        small_name_prefixes=frozenset(money["small_is_a_name"]["prefixes"]),
        small_name_below=float(money["small_is_a_name"]["below"]),
        glued_only_symbols=frozenset(money["glued_only"]["symbols"]),
        dollar_countries=dict(money["dollar_countries"]),
        dollar_suffixes=dict(money["dollar_suffixes"]),
        qualifiers_before=before,
        max_qualifier_tokens=max(len(k) for k in before),
        qualifier_sizes=_sizes(before, first=False),
        qualifiers_after=after,
        range_connectors=frozenset(qualifiers["range"]["connectors"]),
        up_unless_opened=frozenset(qualifiers["range"]["up_unless_opened"]),
        size_signs=frozenset(qualifiers["range"]["size_signs"]),
        same_currency={
            name: group
            for group, names in enumerate(money["same_currency"]["groups"])
            for name in names
        },
        up_verbs=frozenset(qualifiers["verbs"]["up"]),
        down_verbs=frozenset(qualifiers["verbs"]["down"]),
        up_particle_verbs=frozenset(qualifiers["verbs"]["up"])
        | frozenset(qualifiers["verbs"]["up_particle"]),
        label_words=frozenset(nots["label_words"]["words"]),
        label_words_capitalised=frozenset(nots["label_words_capitalised"]["words"]),
        index_names=frozenset(nots["index_names"]["words"]),
        standards=frozenset(nots["standards"]["words"]),
        time_words=frozenset(nots["time_words"]["words"]),
        military_time_words=frozenset(nots["time_words"]["military_only"]),
        months=frozenset(nots["months"]["words"]),
        glued_suffixes=frozenset(nots["glued_suffixes"]["words"]),
        one_pronoun_after=frozenset(nots["one_pronoun_after"]["words"]),
        score_largest=float(nots["scores"]["largest"]),
        count_nouns=frozenset(numbers["counted"]["count_nouns"]),
        compounds=tuple(
            Compound(
                c.get("major"),
                c.get("major_kind"),
                frozenset(c["minor"]),
                float(c["per"]),
                bool(c["bare"]),
            )
            for c in units["compound"]
        ),
    )
