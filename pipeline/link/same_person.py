"""Which surname-only person sources the corpus shows to be one named person.

Why: a source's id comes from its article alone, and an article that never gives the full name
("President Obama" throughout, "Obama said") leaves the person as "Obama", a source apart from
"Barack Obama". On the first 1,000 AllSides articles "Obama" had 1,222 mentions and "Barack
Obama" 1,005: a user asking what Barack Obama said missed more than half of it. The ids stay
as they are (an id never depends on other articles); ``sources.same_as`` points the surname's
source to the full name the corpus makes plain, when it does:

- the surname source is a person (any person kind) named by one word, not a country's name
  ("Israel said" taken for a person is not Steve Israel) nor a title ("Judge allows ..." in a
  headline), not written with both a man's and a woman's title ("Mr. Clinton" and "Mrs.
  Clinton" are two people under one surname), cited in at least
  :data:`MIN_ARTICLES` articles: a surname a few articles use alone is as often another
  person of that name never named in full (James Cole, not Tom Cole; Hal Rogers, not Mike
  Rogers);
- the candidates are the person sources whose name ends in that word, with more words;
- the most mentioned candidate has at least :data:`MIN_MENTIONS` mentions and
  :data:`DOMINANCE` times as many as the other candidates and the person sources whose name
  begins with the word together ("Obama": Barack Obama 1,005 mentions against 280, Michelle
  Obama's 161 and headline fragments such as "Team Obama" and "Obama Hails Growth";
  "Clinton" stays unlinked, Hillary Clinton 47 against Bill Clinton's 46 and more; "Paul"
  is Paul Ryan's given name, 101 mentions, more than Rand Paul's surname, 39; Riyad Mansour
  5 against Adly and Adli Mansour 1 each stays unlinked).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache

import pycountry

from pipeline.link.sources import PERSON_KINDS, TITLE_SEX, Source, is_title, normalise_name

#: The fewest mentions a full name needs to stand for its surname across the corpus.
MIN_MENTIONS = 5
#: How many times the rival names' mentions the chosen full name needs.
DOMINANCE = 3
#: The fewest articles that must cite a surname alone for it to be linked.
MIN_ARTICLES = 3


def same_person(
    sources: Iterable[Source], mentions: Mapping[str, int], articles: Mapping[str, int]
) -> dict[str, str]:
    """``{surname or initialled source id: full-name source id}``, as the corpus settles them.

    A name with a middle initial links to the same name without it (:func:`_initialled`),
    whose mentions it then adds to when the surnames are weighed.

    Args:
        sources: The merged sources (:func:`~pipeline.link.sources.merge_sources`).
        mentions: Mentions per source id (as speaker or relay).
        articles: Articles citing each source id.
    """
    persons = [s for s in sources if s.kind in PERSON_KINDS]
    words = {s.source_id: normalise_name(s.name).split() for s in persons}
    aliases = {s.source_id: s.aliases for s in persons}
    linked = _initialled(words, mentions)
    # an initialled name's mentions count as its plain one's
    counts: dict[str, int] = defaultdict(int)
    for source_id in words:
        counts[linked.get(source_id, source_id)] += mentions.get(source_id, 0)
    opening: dict[str, int] = defaultdict(int)
    by_surname: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for source_id, name in sorted(words.items()):
        if len(name) > 1 and source_id not in linked:
            by_surname[name[-1]].append((counts[source_id], source_id))
            opening[name[0]] += counts[source_id]
    for source_id, name in sorted(words.items()):
        if (
            len(name) != 1
            or not by_surname.get(name[0])
            or articles.get(source_id, 0) < MIN_ARTICLES
            or _is_country(name[0])
            or is_title(name[0])
            or len(_title_sexes(aliases[source_id])) > 1
        ):
            continue
        (most, top), *rest = sorted(by_surname[name[0]], key=lambda c: (-c[0], c[1]))
        rival = sum(count for count, _ in rest) + opening.get(name[0], 0)
        if most >= MIN_MENTIONS and most >= DOMINANCE * rival:
            linked[source_id] = top
    return linked


def _initialled(words: Mapping[str, list[str]], mentions: Mapping[str, int]) -> dict[str, str]:
    """``{initialled source id: plain source id}``: "Donald J. Trump" is "Donald Trump".

    Why: outlets that write a middle initial ("Donald J. Trump", "John A. Boehner", the
    signature of an embedded tweet) made a second person of the same name: on all 4,004
    AllSides articles 131 such names with 1,298 claims, "Donald J. Trump" 500 of them. A name
    with one-letter middle words links to the same name without them, when that plain name is
    a person source mentioned at least as often, and no other initials give the same plain
    name ("George W. Bush" and "George H. W. Bush" are two people; "George Bush" stays apart).
    """
    variants: dict[tuple[str, ...], list[str]] = defaultdict(list)  # plain name: initialled ids
    for source_id, name in words.items():
        if len(name) > 2 and any(len(word) == 1 for word in name[1:-1]):
            plain = (name[0], *(word for word in name[1:-1] if len(word) > 1), name[-1])
            variants[plain].append(source_id)
    by_words = {tuple(name): source_id for source_id, name in words.items()}
    linked = {}
    for plain, initialled in sorted(variants.items()):
        target = by_words.get(plain)
        if target is None or len(initialled) != 1:
            continue
        (source_id,) = initialled
        if mentions.get(target, 0) >= mentions.get(source_id, 0):
            linked[source_id] = target
    return linked


def _title_sexes(aliases: Iterable[str]) -> set[str]:
    """The sexes the titles in a source's surfaces say ("Mr. Clinton", "Mrs. Clinton": both)."""
    return {
        TITLE_SEX[word]
        for alias in aliases
        for word in (w.rstrip(".,").casefold() for w in alias.split())
        if word in TITLE_SEX
    }


@lru_cache(maxsize=4096)
def _is_country(word: str) -> bool:
    """Whether a normalised word is a country's name or code (pycountry's ISO 3166 list)."""
    try:
        pycountry.countries.lookup(word)
    except LookupError:
        return False
    return True
