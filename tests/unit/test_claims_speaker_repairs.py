"""Who speaks where no subject says: nominal cues, texts, a speaker named before a quotation.

Each case is a short synthetic article written for the test, run through the pipeline's parse
and :func:`pipeline.extract.claims.extract_claims` as the claims stage runs it.
"""

import pytest

from pipeline.extract.claims import extract_claims

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def claims_of():
    from pipeline.nlp import load_nlp

    nlp = load_nlp()

    def run(text: str):
        doc = nlp(text)
        return list(extract_claims(doc, taggers=False))

    return run


def _speaker_of(found, needle):
    hits = [c for c in found if needle in c.content]
    assert hits, f"no claim containing {needle!r} in {[c.content for c in found]}"
    return hits[0].speaker


def test_concerns_from_someone_are_theirs(claims_of):
    found = claims_of(
        "The bill passed on Friday.\n\n"
        "The vote came despite concerns from Democrats that the bill would raise costs for "
        "millions of families."
    )
    assert _speaker_of(found, "raise costs") == "Democrats"


def test_a_claim_by_someone_is_theirs(claims_of):
    found = claims_of(
        "The bill passed on Friday.\n\n"
        "The vote followed a claim by the governor that the bill would raise costs for "
        "millions of families."
    )
    assert _speaker_of(found, "raise costs") == "the governor"


def test_according_to_a_text_someone_delivered_is_theirs(claims_of):
    found = claims_of(
        "The tax plan has changed twice this year.\n\n"
        "The goal is to curb short-term trading, according to a speech Senator Maria Lopez "
        "delivered at the university in July."
    )
    speaker = _speaker_of(found, "curb short-term trading")
    assert speaker is not None and "Lopez" in speaker


def test_a_new_speaker_named_before_a_quotation_takes_it(claims_of):
    found = claims_of(
        "“We will not back down,” he said of the strike.\n\n"
        "The union may hold out until spring, Martinez said. “Nobody here wants to go back "
        "without a contract that protects our pensions.”"
    )
    speaker = _speaker_of(found, "Nobody here wants")
    assert speaker == "Martinez"
