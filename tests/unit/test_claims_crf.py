"""The learned attribution taggers: token features, the link step, and their place in claims."""

import json
import math
from pathlib import Path

import pytest

from pipeline.extract.attribution import crf
from pipeline.extract.attribution.model import MODEL_PATH
from pipeline.extract.attribution.tagging import (
    cue_features,
    sentence_window,
    span_features,
    spans_of,
    token_range,
    token_table,
)
from pipeline.extract.claim_method import METHODS
from pipeline.extract.claims import extract_claims
from pipeline.learn import read_jsonl
from pipeline.nlp import annotate

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "claims-train.jsonl"

TEXT = (
    "Senator Jane Holt said on Monday that the budget would pass.\n\n"
    "“We have the votes,” Holt told reporters. Her aides believe the vote is safe. "
    "The plan failed last year.\n\n"
    "Critics were unconvinced."
)


@pytest.fixture(scope="module")
def doc():
    return next(iter(annotate([TEXT])))


def test_the_token_table_reads_the_parse_once_into_arrays(doc):
    table = token_table(doc)
    assert len(table) == len(doc)
    assert table.lemma[2] == doc[2].lemma_.lower() and table.dep[2] == doc[2].dep_
    assert [int(h) for h in table.head] == [t.head.i for t in doc]
    assert [int(i) for i in table.idx] == [t.idx for t in doc]
    assert [s for s, _ in table.sent_bounds] == [s.start for s in doc.sents]
    votes = next(t.i for t in doc if t.text == "votes")
    said = next(t.i for t in doc if t.text == "said")
    assert table.quoted[votes] == 1 and table.quoted[said] == 0
    marks = [t.i for t in doc if t.text in "“”"]
    assert [int(table.quoted[m]) for m in marks] == [2, 2]
    assert table.ent[0] == "PERSON" or table.ent[1] == "PERSON"


def test_cue_features_see_the_window_and_what_the_word_governs(doc):
    table = token_table(doc)
    said = next(t.i for t in doc if t.text == "said")
    start, end = table.sent_bounds[int(table.sent[said])]
    features = cue_features(table, start, end)[said - start]
    assert "l=say" in features
    assert any(f.startswith("g=") and "ccomp" in f for f in features)
    assert "sj=PERSON" in features
    assert "l-1=holt" in features


def test_span_features_tell_the_branch_of_the_cue(doc):
    table = token_table(doc)
    said = next(t.i for t in doc if t.text == "said")
    budget = next(t.i for t in doc if t.text == "budget")
    window = sentence_window(table, (said, said + 1), before=1, after=2)
    features = span_features(table, (said, said + 1), *window)
    assert "br=cue" in features[said - window[0]]
    assert "br=under:ccomp" in features[budget - window[0]]
    assert "br=under:nsubj" in features[said - 1 - window[0]]


def test_the_window_stays_in_the_cue_paragraph(doc):
    table = token_table(doc)
    believe = next(t.i for t in doc if t.text == "believe")
    start, end = sentence_window(table, (believe, believe + 1), before=1, after=2)
    assert doc[start:end].text.startswith("“We have the votes")
    assert doc[start:end].text.rstrip().endswith("last year.")


def test_spans_of_reads_bio_runs():
    assert spans_of(["O", "B", "I", "O", "I", "I", "B", "B"]) == [(1, 3), (4, 6), (6, 7), (7, 8)]
    assert spans_of([]) == []


def test_token_range_covers_the_tokens_a_character_span_touches(doc):
    table = token_table(doc)
    start = TEXT.index("budget")
    assert token_range(table, start, start + 6) == (
        next(t.i for t in doc if t.text == "budget"),
        next(t.i for t in doc if t.text == "budget") + 1,
    )
    assert token_range(table, 10_000, 10_001) is None


@pytest.fixture(scope="module")
def fixture_taggers(tmp_path_factory):
    """Taggers trained on the repository's small fixture (parsed here)."""
    from pipeline.learn.claims_crf import load, tagger_article, train_taggers

    rows = read_jsonl(FIXTURE)
    docs = annotate([row["text"] for row in rows])
    articles = [
        tagger_article(d, row, lambda s, e: (s, e)) for d, row in zip(docs, rows, strict=True)
    ]
    card = tmp_path_factory.mktemp("taggers") / "claims.json"
    return load(card, train_taggers(articles, card))


def test_learned_claims_add_to_the_rules_and_keep_offsets(doc, fixture_taggers):
    rules = list(extract_claims(doc, taggers=False))
    both = list(extract_claims(doc, taggers=fixture_taggers))
    assert {(c.content_start, c.content_end) for c in rules} <= {
        (c.content_start, c.content_end) for c in both
    }
    for claim in both:
        assert TEXT[claim.content_start : claim.content_end] == claim.content
        assert TEXT[claim.cue_start : claim.cue_end] == claim.cue


def test_each_claim_says_which_part_found_its_cue():
    (doc,) = annotate(
        [
            "Pyongyang still denies responsibility for the sinking of the warship. "
            "Grubbs conceded a modest edge in Iowa, the campaign said."
        ]
    )
    methods = {claim.cue: claim.method for claim in extract_claims(doc)}
    assert methods == {"still denies": "tagged", "said": "rules"}  # the committed taggers
    assert {claim.method for claim in extract_claims(doc, taggers=False)} == {"rules"}
    assert set(methods.values()) <= set(METHODS)


def test_learned_cues_skip_the_rules_cues(doc, fixture_taggers):
    every = crf.learned_cues(doc, fixture_taggers, [])
    taken = [c.cue for c in every]
    assert crf.learned_cues(doc, fixture_taggers, taken) == []


def test_the_committed_taggers_are_small_and_match_the_card():
    import hashlib

    section = json.loads(MODEL_PATH.read_text(encoding="utf-8")).get("taggers")
    assert section, "newsledger train claims writes the taggers"
    total = MODEL_PATH.stat().st_size
    for name in crf.TAGGERS:
        path = crf.tagger_path(MODEL_PATH, name)
        total += path.stat().st_size
        assert hashlib.sha256(path.read_bytes()).hexdigest() == section["files"][name]
    assert total < 20_000_000
    assert crf.default_taggers() is not None


def test_the_cue_gate_keeps_lemmas_that_head_cues_often_enough(doc):
    """A word that heads a cue now and then (a full stop) does not open the cue tagger."""
    from pipeline.learn.claims_crf import MIN_LEMMA_SHARE, GoldSpans, TaggerArticle, cue_lemmas

    table = token_table(doc)
    said, told, stop = (table.lemma.index(w) for w in ("say", "tell", "."))
    cues = tuple(GoldSpans((i, i + 1), None, None) for i in (said, told))
    odd = TaggerArticle(table, (*cues, GoldSpans((stop, stop + 1), None, None)))
    articles = [odd, odd] + [TaggerArticle(table, cues)] * 8
    # "." heads 2 cues in 10 articles of 5 full stops each: 4%, under the share
    assert 2 / (10 * table.lemma.count(".")) < MIN_LEMMA_SHARE
    assert cue_lemmas(articles) == ["say", "tell"]


def test_the_committed_cue_gate_leaves_out_punctuation_and_function_words():
    taggers = crf.default_taggers()
    assert taggers is not None and "say" in taggers.lemmas
    assert not {".", ",", '"', "be", "of", "to", "have"} & taggers.lemmas


def test_match_cues_visits_the_nouns_verbs_in_and_accord_a_token_loop_would(doc):
    from pipeline.extract.attribution.cues import _candidate_words

    everything = [t.i for t in doc if t.pos_ in ("NOUN", "VERB") or t.lower_ == "in"]
    everything += [t.i for t in doc if t.lemma_.casefold() == "accord"]
    assert _candidate_words(doc, None) == sorted(set(everything))
    lemmas = frozenset({"say", "plan"})
    assert _candidate_words(doc, lemmas) == [
        i for i in sorted(set(everything)) if doc[i].lemma_.casefold() in lemmas
    ]


def test_a_learned_cue_with_a_subject_takes_it_over_the_tagged_source():
    from pipeline.extract.attribution.crf import learned_speaker
    from pipeline.nlp import load_nlp

    doc = load_nlp()("The mayor insisted that the plan was wrong, and it seems clear.")
    words = {t.text: t for t in doc}
    assert learned_speaker(words["insisted"], words["plan"]).text == "mayor"
    # an expletive subject says nothing: the tagged source stands
    assert learned_speaker(words["seems"], words["mayor"]).text == "mayor"


def test_a_passive_learned_cue_is_voiced_by_its_agent_or_by_no_one():
    from pipeline.extract.attribution.crf import _by_agent
    from pipeline.extract.attribution.cue_speakers import is_passive
    from pipeline.nlp import load_nlp

    doc = load_nlp()("He was invited to speak. The change was seen by some as a demotion.")
    words = {t.text: t for t in doc}
    assert is_passive(words["invited"]) and _by_agent(words["invited"]) is None
    assert is_passive(words["seen"])
    agent = _by_agent(words["seen"])
    assert agent is not None and agent.text == "some"


class _Marginals:
    """A stand-in source tagger whose last sequence had these P(not O) per token."""

    def __init__(self, source: list[float]) -> None:
        self.source = source

    def marginal(self, label: str, i: int) -> float:
        assert label == "O"
        return 1.0 - self.source[i]


def test_a_learned_cue_without_a_source_takes_the_likeliest_source_noun():
    from pipeline.extract.attribution.crf import SOURCE_MARGINAL, _likeliest_source
    from pipeline.nlp import load_nlp

    doc = load_nlp()("The risk, said Edward Leamer, is large.")
    leamer = next(t.i for t in doc if t.text == "Leamer")
    probs = [0.0] * len(doc)
    probs[leamer] = SOURCE_MARGINAL + 0.05
    found = _likeliest_source(doc, _Marginals(probs), 0, len(doc))
    assert found is not None and found.text == "Leamer"
    probs[leamer] = SOURCE_MARGINAL / 2  # too unsure: no speaker
    assert _likeliest_source(doc, _Marginals(probs), 0, len(doc)) is None


class _Labelling:
    """A stand-in content tagger whose best labelling tags ``run`` (token indices in the window).

    Its best labelling has probability ``best``; every other labelling ``other``.
    """

    def __init__(self, run: tuple[int, int], best: float, other: float) -> None:
        self.run, self.best, self.other = run, best, other
        self.labels: list[str] = []

    def tag(self, features: list[list[str]]) -> list[str]:
        first, end = self.run
        self.labels = [
            "B" if i == first else "I" if first < i < end else "O" for i in range(len(features))
        ]
        return self.labels

    def probability(self, labels: list[str]) -> float:
        return self.best if list(labels) == self.labels else self.other

    def marginal(self, label: str, i: int) -> float:
        assert label == "O"
        return 0.0 if self.labels[i] != "O" else 1.0


def test_a_rule_span_the_content_tagger_doubts_gives_way_to_its_run(doc):
    from types import SimpleNamespace

    from pipeline.extract.attribution.crf import RULE_DOUBT, Taggers, doubted_contents

    said = TEXT.index("said")
    cue = SimpleNamespace(cue=(said, said + 4))
    rule = (TEXT.index("the budget"), TEXT.index(" would pass"))  # "the budget": too short
    table = token_table(doc)
    run = token_range(table, TEXT.index("the budget"), TEXT.index("."))
    assert run is not None
    wanted = (TEXT.index("the budget"), TEXT.index("."))

    def retagged(best: float, *, direct: bool = False, others=()) -> tuple[int, int]:
        tagger = _Labelling(run, best, 1.0)
        taggers = Taggers(cue=None, content=tagger, source=None, lemmas=frozenset())
        raw = [(*rule, direct, cue), *others]
        out = doubted_contents(doc, raw, taggers)  # type: ignore[arg-type]
        return next((s, e) for s, e, _, c in out if c is cue)

    doubt = math.exp(RULE_DOUBT)
    assert retagged(doubt * 2) == wanted  # far likelier than the rule's span: the run
    assert retagged(doubt / 2) == rule  # not likely enough: the rule's span stands
    assert retagged(doubt * 2, direct=True) == rule  # a quotation keeps its marks' span
    other = (*wanted, False, SimpleNamespace(cue=(0, 7)))
    assert retagged(doubt * 2, others=[other]) == rule  # the run is another claim's content


class _Tagged:
    """A stand-in source tagger that tags tokens ``first:end`` of a one-sentence doc."""

    def __init__(self, first: int, end: int) -> None:
        self.first, self.end = first, end

    def tag(self, features: list[list[str]]) -> list[str]:
        return [
            "B" if i == self.first else "I" if self.first < i < self.end else "O"
            for i in range(len(features))
        ]


def test_a_rule_cue_without_a_speaker_takes_the_source_taggers_run():
    from types import SimpleNamespace
    from typing import Any

    from pipeline.extract.attribution.crf import tagged_speaker
    from pipeline.extract.attribution.cues import Cue
    from pipeline.nlp import load_nlp

    def cue_of(doc, word):
        verb = next(t for t in doc if t.text == word)
        return Cue((verb.idx, verb.idx + len(verb)), None, None, None, verb, False, "verb")

    def taggers(first: int, end: int) -> Any:
        return SimpleNamespace(source=_Tagged(first, end))

    doc = load_nlp()("The board, after a long debate, announced a new plan.")
    found = tagged_speaker(doc, cue_of(doc, "announced"), taggers(0, 2))
    assert found is not None and found.text == "board"
    assert tagged_speaker(doc, cue_of(doc, "announced"), taggers(-1, -1)) is None
    # a passive's subject is what is spoken of, whatever the tagger says
    passive = load_nlp()("The plan was announced on Monday by the board.")
    assert tagged_speaker(passive, cue_of(passive, "announced"), taggers(0, 2)) is None


def test_a_tagged_run_drops_its_leading_preposition_and_trailing_aside():
    """PolNeAR's cue takes "about"; its content stops before ", which ..." and ", but X ...".

    A verb coordinated without a subject of its own stays ("would fail and cost jobs").
    """
    from pipeline.nlp import load_nlp

    nlp = load_nlp()
    doc = nlp("He talks about the wall, which voters like.")
    talks = next(t.i for t in doc if t.text == "talks")
    about = next(t.i for t in doc if t.text == "about")
    first, end = crf.tidied(doc, about, len(doc) - 1, talks)
    assert doc[first:end].text == "the wall"
    doc = nlp("She argued that taxes should fall, but Democrats have pushed for action.")
    argued = next(t.i for t in doc if t.text == "argued")
    first, end = crf.tidied(doc, argued + 1, len(doc) - 1, argued)
    assert doc[first:end].text == "that taxes should fall"
    doc = nlp("She argued that the plan would fail and cost jobs.")
    argued = next(t.i for t in doc if t.text == "argued")
    first, end = crf.tidied(doc, argued + 1, len(doc) - 1, argued)
    assert doc[first:end].text == "that the plan would fail and cost jobs"


def test_a_raising_verb_is_a_claim_only_of_someone_it_raises():
    from pipeline.extract.attribution.crf import raised_someone
    from pipeline.nlp import load_nlp

    nlp = load_nlp()
    for text, someone in (
        ("Ted Cruz seemed lost at the debate.", True),
        ("He appeared to lose his temper.", True),
        ("Others appeared ready to abandon him.", True),
        ("The donors appear to have ties to the movement.", True),
        ("The more than 16-year-old Afghan war appears to be in full swing.", False),
        ("The idea seems to sit behind obstacles.", False),
    ):
        verb = next(t for t in nlp(text) if t.lemma_ in ("seem", "appear"))
        assert raised_someone(verb) is someone, text


def test_a_raised_claim_is_the_whole_clause_from_its_subject():
    from pipeline.extract.attribution.crf import raised_clause
    from pipeline.nlp import load_nlp

    text = "But Ms. Kelly seemed certain to leave."
    doc = load_nlp()(text)
    start, end = raised_clause(next(t for t in doc if t.lemma_ == "seem"))
    assert text[start:end] == "Ms. Kelly seemed certain to leave"


def test_it_appears_that_is_the_writers_inference_a_claim_it_seems_clear_is_not():
    from pipeline.extract.attribution.crf import _it_appears
    from pipeline.nlp import load_nlp

    nlp = load_nlp()
    for text, inference in (
        ("It appears that the game was not boring to everyone.", True),
        ("It seems clear.", False),
    ):
        verb = next(t for t in nlp(text) if t.lemma_ in ("seem", "appear"))
        assert _it_appears(verb) is inference, text


def test_it_appears_that_claims_the_clause_not_the_words_around_the_cue():
    from pipeline.extract.attribution.crf import _inferred_clause
    from pipeline.nlp import load_nlp

    text = "It appears, though, that the game was not boring to everyone."
    doc = load_nlp()(text)
    span = _inferred_clause(next(t for t in doc if t.lemma_ == "appear"))
    assert span is not None
    assert text[span[0] : span[1]] == "that the game was not boring to everyone"
