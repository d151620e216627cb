"""Surname-only person sources linked to the full name the corpus shows them to be."""

from pipeline.link.same_person import same_person
from pipeline.link.sources import Source


def _person(
    source_id: str, name: str, kind: str = "politician", aliases: tuple[str, ...] = ()
) -> Source:
    return Source(source_id, name, kind, None, aliases)


def test_a_surname_links_to_the_full_name_the_corpus_cites_far_more_than_any_other():
    sources = [
        _person("s_obama", "Obama"),
        _person("s_barack", "Barack Obama"),
        _person("s_michelle", "Michelle Obama"),
        _person("s_fragment", "Obama Hails Growth"),  # a headline read as a name
    ]
    mentions = {"s_obama": 40, "s_barack": 100, "s_michelle": 20, "s_fragment": 6}
    articles = {"s_obama": 12}
    assert same_person(sources, mentions, articles) == {"s_obama": "s_barack"}


def test_a_surname_two_people_share_about_equally_stays_unlinked():
    sources = [
        _person("s_clinton", "Clinton"),
        _person("s_hillary", "Hillary Clinton"),
        _person("s_bill", "Bill Clinton"),
    ]
    mentions = {"s_clinton": 10, "s_hillary": 47, "s_bill": 46}
    assert same_person(sources, mentions, {"s_clinton": 5}) == {}


def test_a_given_name_a_country_or_a_surname_few_articles_use_is_not_linked():
    sources = [
        _person("s_paul", "Paul"),
        _person("s_rand", "Rand Paul"),
        _person("s_ryan", "Paul Ryan"),
        _person("s_israel", "Israel", kind="person"),
        _person("s_steve", "Steve Israel"),
        _person("s_cole", "Cole"),
        _person("s_tom", "Tom Cole"),
    ]
    mentions = {"s_rand": 39, "s_ryan": 101, "s_steve": 40, "s_tom": 36}
    articles = {"s_paul": 9, "s_israel": 9, "s_cole": 1}
    assert same_person(sources, mentions, articles) == {}


def test_a_title_or_a_surname_written_with_both_sexes_titles_is_not_linked():
    sources = [
        _person("s_clinton", "Clinton", aliases=("Mr. Clinton", "Mrs. Clinton")),
        _person("s_hillary", "Hillary Clinton"),
        _person("s_judge", "Judge", kind="person"),
        _person("s_mark", "Mark Judge"),
        _person("s_trump", "Trump", aliases=("Mr. Trump", "The younger Mr. Trump")),
        _person("s_donald", "Donald Trump"),
    ]
    mentions = {"s_hillary": 944, "s_mark": 9, "s_donald": 5030}
    articles = {"s_clinton": 40, "s_judge": 3, "s_trump": 400}
    assert same_person(sources, mentions, articles) == {"s_trump": "s_donald"}


def test_only_persons_are_linked():
    sources = [
        Source("s_org", "Reuters", "news_agency", None, ()),
        _person("s_full", "Jane Reuters"),
    ]
    assert same_person(sources, {"s_full": 50}, {"s_org": 20}) == {}


def test_a_middle_initial_links_to_the_same_name_without_it():
    sources = [
        _person("s_dj", "Donald J. Trump"),
        _person("s_d", "Donald Trump"),
        _person("s_trump", "Trump"),
        _person("s_gw", "George W. Bush"),
        _person("s_ghw", "George H. W. Bush"),
        _person("s_g", "George Bush"),
        _person("s_rj", "Richard J. Durbin"),
        _person("s_r", "Richard Durbin"),
    ]
    mentions = {"s_dj": 500, "s_d": 4900, "s_trump": 900, "s_gw": 79, "s_ghw": 10, "s_g": 200}
    mentions |= {"s_rj": 13, "s_r": 6}
    linked = same_person(sources, mentions, {"s_trump": 40})
    # two initials give "George Bush": two people, no link; the plain "Richard Durbin" is
    # mentioned less than the initialled one, which stays the name
    assert linked == {"s_dj": "s_d", "s_trump": "s_d"}
