"""Place recognition and resolution on the seed articles (spaCy model: marked slow)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.extract.locations import Location, extract_locations, find_mentions
from pipeline.link.gazetteer import Gazetteer, load_gazetteer
from pipeline.link.gazetteer_build import build_gazetteer
from pipeline.link.geocode import Mention, resolve

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "data" / "sample" / "seeds").glob("*.txt"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    """Build the gazetteer once per session into a temporary folder."""
    path = tmp_path_factory.mktemp("gazetteer-loc") / "gazetteer.arrow"
    build_gazetteer(path, geonames_dir=ROOT / "data" / "gazetteer")
    return load_gazetteer(path)


@pytest.fixture(scope="session")
def seed_locations(gazetteer: Gazetteer) -> list[tuple[str, list[Location]]]:
    """(text, locations) for every seed article."""
    from pipeline.nlp import parse

    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    return [(doc.text, list(extract_locations(doc, gazetteer))) for doc in parse(texts)]


def _by_surface(seed_locations) -> dict[str, list[Location]]:
    out: dict[str, list[Location]] = {}
    for _, locs in seed_locations:
        for loc in locs:
            out.setdefault(loc.text, []).append(loc)
    return out


def test_offsets_match_text(seed_locations) -> None:
    for text, locs in seed_locations:
        assert locs
        for loc in locs:
            assert text[loc.start : loc.end] == loc.text
            assert 0.0 <= loc.confidence <= 1.0


@pytest.mark.parametrize(
    ("surface", "geonameid", "code"),
    [
        ("Iraq", 99237, "PCLI"),
        ("Afghanistan", 1149361, "PCLI"),
        ("Syria", 163843, "PCLI"),
        ("Mosul", 99072, None),
        ("Baghdad", 98182, None),
        ("Nineveh", 92877, "ADM1"),
    ],
)
def test_seed_places_resolve(seed_locations, surface: str, geonameid: int, code: str | None):
    found = _by_surface(seed_locations).get(surface)
    assert found, f"{surface} not recognised"
    assert all(loc.geonameid == geonameid for loc in found), [loc.name for loc in found]
    if code:
        assert found[0].feature_code == code


def test_kirkuk_resolves_to_the_city(gazetteer: Gazetteer) -> None:
    text = "Iraqi forces entered Kirkuk, north of Baghdad."
    res = resolve(gazetteer, [Mention("Kirkuk", 21, 27), Mention("Baghdad", 38, 45)])
    place = gazetteer.place(res[0].row)
    assert text[21:27] == "Kirkuk"
    assert place.name == "Kirkuk" and place.feature_code.startswith("PPL")
    assert place.country_code == "IQ"


def test_qayara_resolves_near_mosul(seed_locations) -> None:
    found = _by_surface(seed_locations).get("Qayara")
    assert found, "Qayara not recognised"
    assert all(loc.country_code == "IQ" for loc in found)
    assert all(abs(loc.latitude - 35.8) < 0.3 and abs(loc.longitude - 43.3) < 0.3 for loc in found)


def test_al_asad_is_the_air_base(seed_locations) -> None:
    # "the Al-Asad base": the word after the name says what kind of place it is.
    found = _by_surface(seed_locations).get("Al-Asad")
    assert found, "Al-Asad not recognised"
    assert all(loc.feature_code == "AIRB" and loc.country_code == "IQ" for loc in found)


def test_the_word_beside_a_name_says_its_kind(gazetteer: Gazetteer) -> None:
    import spacy
    from spacy.tokens import Span

    doc = spacy.blank("en")("Troops left the Al Asad air base for the city of Tulsa .")
    doc.ents = [Span(doc, 3, 5, "FAC"), Span(doc, 11, 12, "GPE")]
    hints = {m.text: m.hint for m in find_mentions(doc, gazetteer)}
    assert hints == {"Al Asad": "facility", "Tulsa": "town"}


def test_a_bracketed_dateline_names_a_town(gazetteer: Gazetteer) -> None:
    import spacy

    # The magazine form of a dateline: the filing town in brackets before the dash.
    doc = spacy.blank("en")("(NEW YORK) — Police officers responded to reports .")
    hints = {m.text: m.hint for m in find_mentions(doc, gazetteer)}
    assert hints == {"NEW YORK": "town"}


def test_the_longest_country_name_inside_an_entity(gazetteer: Gazetteer) -> None:
    import spacy
    from spacy.tokens import Span

    # Not "Republic of Korea" (the South) inside the North's full name.
    doc = spacy.blank("en")("the Democratic People's Republic of Korea Foreign Ministry said")
    doc.ents = [Span(doc, 1, 9, "ORG")]
    (mention,) = find_mentions(doc, gazetteer)
    assert mention.text == "Democratic People's Republic of Korea"
    ((place, _),) = _places(gazetteer, [mention])
    assert place.country_code == "KP"


def test_a_town_tagged_as_a_nationality_is_the_town(gazetteer: Gazetteer) -> None:
    import spacy
    from spacy.tokens import Span

    doc = spacy.blank("en")("Police in Pakistan said Lahore was calm .")
    doc.ents = [Span(doc, 2, 3, "GPE"), Span(doc, 4, 5, "NORP")]
    found = {m.text: m for m in find_mentions(doc, gazetteer)}
    assert found["Lahore"].form == "name" and not found["Lahore"].demonym


def test_organisations_are_not_places(seed_locations) -> None:
    surfaces = {loc.text for _, locs in seed_locations for loc in locs}
    assert "Daesh" not in surfaces
    assert not any("Islamic State" in s for s in surfaces)


def test_division_adjectives_name_the_division(gazetteer: Gazetteer) -> None:
    # "English" is England (not the UK, nor English, Indiana); "Scottish" is Scotland.
    from pipeline.nlp import parse

    doc = next(parse(["Scottish fishermen sold their catch to English buyers in Leeds."]))
    found = {loc.text: loc for loc in extract_locations(doc, gazetteer)}
    assert found["Scottish"].name == "Scotland" and found["Scottish"].mention == "demonym"
    assert found["English"].name == "England" and found["English"].country_code == "GB"


def test_demonyms_are_places_typed_as_such(gazetteer: Gazetteer) -> None:
    # Users get demonyms as place mentions (GDELT-style counts), typed so that names alone are
    # one filter away; demonyms=False leaves them out.
    from pipeline.nlp import parse

    doc = next(parse(["Iraqi officials met American diplomats in Baghdad after U.S.-led talks."]))
    found = {loc.text: loc for loc in extract_locations(doc, gazetteer)}
    assert found["Iraqi"].country_code == "IQ" and found["Iraqi"].mention == "demonym"
    assert found["American"].country_code == "US" and found["American"].mention == "demonym"
    assert found["Baghdad"].mention == "name"
    assert found["U.S."].mention == "modifier" and found["U.S."].country_code == "US"
    plain = {loc.text for loc in extract_locations(doc, gazetteer, demonyms=False)}
    assert "Iraqi" not in plain and "Baghdad" in plain


def test_unresolvable_mentions_keep_null_id(gazetteer: Gazetteer) -> None:
    res = resolve(gazetteer, [Mention("Xqzvbnr Wkplm", 0, 13)])
    assert res[0].row is None and res[0].confidence == 0.0


def test_records_are_json_serialisable(seed_locations) -> None:
    from dataclasses import asdict

    json.dumps([asdict(loc) for _, locs in seed_locations for loc in locs])


def _resolved(gazetteer: Gazetteer, surfaces: list[str], containers: dict[int, str] | None = None):
    containers = containers or {}
    mentions, pos = [], 0
    for i, s in enumerate(surfaces):
        mentions.append(Mention(s, pos, pos + len(s), container=containers.get(i)))
        pos += len(s) + 2
    return [
        (gazetteer.place(r.row) if r.row is not None else None, r)
        for r in resolve(gazetteer, mentions)
    ]


def test_facility_names_resolve_to_their_place(gazetteer: Gazetteer) -> None:
    # NER often takes "Paris City Hall" or "Titus County Sheriff's Office" as one place name.
    (hall, _), (jail, _) = _resolved(gazetteer, ["Houston Police Department", "Titus County Jail"])
    assert hall is not None and hall.name == "Houston" and hall.country_code == "US"
    assert jail is not None and jail.name == "Titus County" and jail.feature_code == "ADM2"


def test_natural_features_do_not_fall_back_to_namesakes(gazetteer: Gazetteer) -> None:
    ((river, _),) = _resolved(gazetteer, ["Red River"])
    assert river is None or "Red River" in river.name


def test_one_sense_per_discourse(gazetteer: Gazetteer) -> None:
    out = _resolved(gazetteer, ["Springfield", "Ohio", "Springfield"], {0: "Ohio"})
    assert out[0][0].admin1_code == "OH" and out[2][0].admin1_code == "OH"


def test_saint_abbreviation_and_country_names(gazetteer: Gazetteer) -> None:
    (paul, _), (mexico, _) = _resolved(gazetteer, ["St. Paul", "Mexico"])
    assert paul.name == "Saint Paul" and paul.country_code == "US"
    assert mexico.feature_code == "PCLI"


def test_county_point_comes_from_the_document(gazetteer: Gazetteer) -> None:
    # A second-level division with no point of its own (outside the US, where
    # us_county_points.txt has none) takes the document's same-division towns: County Kerry
    # beside Tralee and Killarney lies in the south-west, not at Munster's middle.
    out = _resolved(gazetteer, ["County Kerry", "Tralee", "Killarney", "Ireland", "Tralee"])
    county, res = out[0]
    assert county.feature_code == "ADM2" and county.country_code == "IE"
    assert res.approx and abs(res.latitude - 52.2) < 0.3 and abs(res.longitude + 9.65) < 0.3


def test_us_county_has_a_point_of_its_own(gazetteer: Gazetteer) -> None:
    # A US county has its own point (the mean of its ZIP code points): Hall County, Georgia
    # (Gainesville's county) is not approximate, and no town of the document moves it.
    out = _resolved(
        gazetteer, ["Hall County", "Gainesville", "Georgia", "Gainesville"], {1: "Georgia"}
    )
    county, res = out[0]
    assert county.feature_code == "ADM2" and county.admin1_code == "GA"
    assert not res.approx and abs(res.latitude - 34.3) < 0.3 and abs(res.longitude + 83.8) < 0.3


def test_unmatched_local_names_take_the_document_focus(gazetteer: Gazetteer) -> None:
    out = _resolved(gazetteer, ["Mosul", "Mosul", "Xqzvbnr Street"])
    place, res = out[2]
    assert place is None and res.approx and res.confidence <= 0.2
    assert abs(res.latitude - 36.3) < 0.3


def test_an_unmatched_building_lies_in_the_documents_town(gazetteer: Gazetteer) -> None:
    # Russia is named most, but a building with no gazetteer entry lies in a town (Moscow),
    # not at Russia's middle in Siberia; a polity with no entry stands where the country does.
    names = ["Russia", "Russia", "Russia", "Moscow", "Xqzvbnr Embassy", "Xqzvbnr Empire"]
    out = _resolved(gazetteer, names)
    (_, building), (_, polity) = out[4], out[5]
    assert building.approx and abs(building.latitude - 55.75) < 0.3
    assert polity.approx and abs(polity.latitude - 60) < 0.3 and abs(polity.longitude - 100) < 0.3


def test_an_unmatched_building_lies_in_the_town_just_named(gazetteer: Gazetteer) -> None:
    # "In Washington, diplomats were seen leaving the Russian Embassy": a building with no
    # entry lies in the town named just before it, not in the town the story names most; a
    # township or district is an area of its own and keeps the document's main town.
    names = ["Moscow", "Moscow", "Moscow", "London", "Xqzvbnr Embassy", "Xqzvbnr Township"]
    out = _resolved(gazetteer, names)
    (_, building), (_, township) = out[4], out[5]
    assert building.approx and abs(building.latitude - 51.5) < 0.3
    assert township.approx and abs(township.latitude - 55.75) < 0.3


def _mentions(*specs: tuple[str, dict]) -> list[Mention]:
    """Mentions two characters apart, each with its keyword fields."""
    out, pos = [], 0
    for text, fields in specs:
        out.append(Mention(text, pos, pos + len(text), **fields))
        pos += len(text) + 2
    return out


def _places(gazetteer: Gazetteer, mentions: list[Mention]):
    return [
        (gazetteer.place(r.row) if r.row is not None else None, r)
        for r in resolve(gazetteer, mentions)
    ]


@pytest.mark.xfail(
    strict=True,
    reason="with no other name in the document the learned ranker reads a bare 'New York' as "
    "the state by a hair (log-odds within 0.1): the training pool labels it the state and the "
    "city about equally often; context decides it in real articles; see issue 24",
)
def test_bare_new_york_is_the_city(gazetteer: Gazetteer) -> None:
    ((place, _),) = _places(gazetteer, _mentions(("New York", {})))
    assert place.geonameid == 5128581


def test_name_and_container_read_as_one_name(gazetteer: Gazetteer) -> None:
    # "Washington, D.C." is one name: "D.C." does not contain a place called Washington.
    out = _places(gazetteer, _mentions(("Washington", {"container": "D.C."}), ("D.C.", {})))
    assert all(p.country_code == "US" and p.admin1_code == "DC" for p, _ in out)


def test_container_running_into_the_next_sentence(gazetteer: Gazetteer) -> None:
    ((county, _),) = _places(gazetteer, _mentions(("Jefferson County", {"container": "Colo. A"})))
    assert county.feature_code == "ADM2" and county.admin1_code == "CO"


def test_listed_places_are_of_one_kind(gazetteer: Gazetteer) -> None:
    # "England and Wales": Wales is the division, not the village of Wales in Yorkshire.
    out = _places(gazetteer, _mentions(("England", {}), ("Wales", {"listed": True})))
    assert out[1][0].feature_code == "ADM1" and out[1][0].admin1_code == "WLS"
    state = _places(gazetteer, _mentions(("Texas", {}), ("Georgia", {"listed": True})))
    country = _places(gazetteer, _mentions(("Syria", {}), ("Georgia", {"listed": True})))
    assert state[1][0].country_code == "US" and country[1][0].country_code == "GE"


def test_division_named_in_another_form(gazetteer: Gazetteer) -> None:
    # "Lakewood, Wash." and "Wash." name the state: a bare "Washington" is the state too.
    out = _places(
        gazetteer,
        _mentions(("Lakewood", {"container": "Wash."}), ("Wash.", {}), ("Washington", {})),
    )
    assert out[2][0].feature_code == "ADM1" and out[2][0].admin1_code == "WA"


def test_a_name_of_something_of_a_country_stands_for_it(gazetteer: Gazetteer) -> None:
    # NER called an organisation a place: what it locates is the country or state it is "of",
    # never a town that merely shares the last word.
    ((place, _),) = _places(gazetteer, _mentions(("United Way of America", {})))
    assert place.geonameid == 6252001
    ((state, _),) = _places(gazetteer, _mentions(("Medical Board of Texas", {})))
    assert state.feature_code == "ADM1" and state.admin1_code == "TX"
    ((nothing, res),) = _places(gazetteer, _mentions(("Bank of Granite", {})))
    assert nothing is None and res.row is None


def test_spelling_guess_outside_the_document_stays_unresolved(gazetteer: Gazetteer) -> None:
    # Only "Portree" (Skye) is near "Portroe" in spelling; the story is in Ireland.
    out = _places(gazetteer, _mentions(("Nenagh", {}), ("Nenagh", {}), ("Portroe", {})))
    place, res = out[2]
    assert place is None and res.confidence <= 0.2
    assert abs(res.latitude - 52.9) < 0.3 and abs(res.longitude + 8.2) < 0.3


def test_bodies_of_the_solar_system_are_not_towns(gazetteer: Gazetteer) -> None:
    from pipeline.nlp import parse

    space, town = parse(
        [
            "NASA's Dragonfly will land on Titan, Saturn's largest moon, after the rover on "
            "Mars finishes in 2030.",
            "The council met in Mars, Pa., on Tuesday to discuss the budget.",
        ]
    )
    assert [loc.text for loc in extract_locations(space, gazetteer)] == []  # no Tītān, AF
    assert [loc.text for loc in extract_locations(town, gazetteer)] == ["Mars", "Pa."]


def test_a_surname_tagged_as_a_place_is_the_person(gazetteer: Gazetteer) -> None:
    import spacy
    from spacy.tokens import Span

    doc = spacy.blank("en")("Mitt Romney met George Washington fans . Romney left Washington .")
    doc.ents = [
        Span(doc, 0, 2, "PERSON"),
        Span(doc, 3, 5, "PERSON"),
        Span(doc, 7, 8, "GPE"),  # a small town of that name is in the gazetteer
        Span(doc, 9, 10, "GPE"),  # the capital stays a place
    ]
    assert [m.text for m in find_mentions(doc, gazetteer)] == ["Washington"]


def test_training_the_ranker_is_byte_identical(tmp_path: Path) -> None:
    # newsledger train locations on a small committed pool, twice: the same bytes, with the
    # digest of the data it learned from and a grouped cross-validation beside the model.
    from pipeline.learn import TrainRequest
    from pipeline.learn.places import train

    fixture = ROOT / "tests" / "fixtures" / "train" / "places.jsonl"
    request = TrainRequest(data=(fixture,), folds=2, direct_parse_for_tests=True)
    first = train(replace(request, out=tmp_path / "a.json"))
    second = train(replace(request, out=tmp_path / "b.json"))
    assert first.model.read_bytes() == second.model.read_bytes()
    payload = json.loads(first.model.read_text())
    assert payload["data_sha256"] == first.data_digest
    assert payload["trained_on"]["places.jsonl"]["records"] == "all"
    assert payload["model"]["static"]["weights"] and "all" in payload["cross_validation"]
    assert payload["inputs"]["gazetteer_fingerprint"]  # the candidates' source is data too


def test_training_the_ranker_requires_the_gold_warehouse(tmp_path: Path, monkeypatch) -> None:
    # The product path learns from the pipeline's parses only (newsledger train builds them).
    from pipeline.learn import TrainRequest
    from pipeline.learn.places import train

    monkeypatch.setenv("NEWSLEDGER_EVAL_DIR", str(tmp_path / "no-cache"))
    fixture = ROOT / "tests" / "fixtures" / "train" / "places.jsonl"
    with pytest.raises(FileNotFoundError, match="newsledger train"):
        train(TrainRequest(data=(fixture,), out=tmp_path / "a.json", folds=2))


def test_the_committed_ranker_names_its_training_data() -> None:
    # The committed model learned from the read halves of the dev files only (never a check
    # half), so the eval's check half stays a held-out measure.
    from pipeline.link.ranker import MODEL_PATH

    payload = json.loads(MODEL_PATH.read_text())
    trained_on = payload["trained_on"]
    assert trained_on["geowebnews-dev.jsonl"]["records"] == "read half"
    assert trained_on["lgl-dev.jsonl"]["records"] == "read half"
    assert len(payload["data_sha256"]) == 64


def test_seats_of_government_stand_for_their_capital(gazetteer: Gazetteer) -> None:
    # A parliament or palace named for its government is its capital, as "the White House" is
    # Washington: the seats metonyms.txt lists, typed as metonyms.
    from pipeline.nlp import parse

    doc = next(parse(["The Knesset passed the bill, and the Bundestag debated it in the spring."]))
    found = {loc.text: loc for loc in extract_locations(doc, gazetteer)}
    assert found["Knesset"].name == "Jerusalem" and found["Knesset"].mention == "metonym"
    assert found["Bundestag"].name == "Berlin"
