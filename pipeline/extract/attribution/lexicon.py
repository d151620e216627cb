"""The cue lexicon: which reporting words count as cues, in which frame.

Data, not code: the tables live in ``data/cue_lexicon.json`` beside this module. The seed lists
are the usual reporting verbs, extended with the lemmas that head a gold cue at least 55% of the
times they take a subject and a clausal complement (60% with an object) in PolNeAR training
articles. The ``learned`` tables are (frame, lemma) pairs whose candidate claims match a gold
attribution often enough (lower end of the 90% Wilson interval of precision at least 0.26,
learned on all 840 PolNeAR training articles by ``learn_lexicon`` in
:mod:`pipeline.evaluate.claims`); ``narration`` pairs count only outside quotation marks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

_DATA = json.loads((Path(__file__).parent / "data" / "cue_lexicon.json").read_text("utf-8"))

#: Reporting verbs (lemmas) that introduce speech, writing or a stated position with a clausal
#: complement.
CUE_LEMMAS: frozenset[str] = frozenset(_DATA["seed_comp"])

#: Verbs whose content is their object ("criticized Obama for ...", "endorsed Clinton").
OBJECT_CUE_LEMMAS: frozenset[str] = frozenset(_DATA["seed_obj"])

#: Cues that count only when a quotation is attached to them.
WEAK_CUES: frozenset[str] = frozenset(_DATA["weak"])

#: Raising verbs ("appears to", "seems to"): their subject is what the sentence is about, not
#: who speaks ("The war appears to be in full swing" is nobody's claim), so they are no cue;
#: "Trump appeared to say that ..." is still a claim, through "say".
RAISING_VERBS: frozenset[str] = frozenset(_DATA["raising"])


_SPEAKERS = json.loads((Path(__file__).parent / "data" / "speakers.json").read_text("utf-8"))

#: Prepositions through which a nominal cue is voiced by the doer of the verb they hang on
#: ("says in a statement that", "bristled at the suggestion that"); not "despite", "because
#: of", "amid", whose noun is someone else's ("despite complaints that he ...").
DOER_PREPOSITIONS: frozenset[str] = frozenset(_SPEAKERS["doer_prepositions"])

#: Verbs whose passive participle names who was addressed, not who spoke ("Asked about X,
#: she said ..."): the asker is the speaker, and is mostly unnamed.
ADDRESSEE_VERBS: frozenset[str] = frozenset(_SPEAKERS["addressee_verbs"])

#: Verbs whose object does the complement they govern ("led some allies to worry", "prompted
#: NATO to order", "left some to question"): the object speaks, not the verb's subject.
CAUSING_VERBS: frozenset[str] = frozenset(_SPEAKERS["causing_verbs"])

#: Pronouns that stand for a thing, never a speaker, as the object of a causing verb ("could
#: leave it thinking"): :func:`~.cue_speakers._controller` does not take them.
THING_OBJECTS: frozenset[str] = frozenset(_SPEAKERS["thing_objects"])

#: Subjects that never introduce a quotation as its speaker ("Wait, it gets better:", "Here
#: is what he said:"): :func:`~.signatures.colon_intro` takes no speaker from them.
COLON_NON_SPEAKERS: frozenset[str] = frozenset(_SPEAKERS["colon_non_speakers"])

#: Subjects that stand for no one when a predicate adjective or noun follows them: "it's hard
#: to know", "it is premature to assume", "It means acknowledging" (:func:`~.fallback.spoken_by`).
EXPLETIVES: frozenset[str] = frozenset(_SPEAKERS["expletives"])

#: Personal and indefinite pronouns for people that, as a raising verb's subject, make its
#: clause a claim ("he seemed rattled", "others appeared ready to abandon him";
#: :func:`~.crf.raised_someone`).
RAISED_PEOPLE: frozenset[str] = frozenset(_SPEAKERS["raised_people"])

#: Reporting verbs that open a sentence before a name ("Said Obama: ...", "Says Trump"), which
#: the tagger takes into the person entity: never the first word of a name
#: (:func:`pipeline.extract.person_names.name_tokens`).
NAME_OPENING_VERBS: frozenset[str] = frozenset(_SPEAKERS["name_opening_verbs"])

#: Words of a page's rubrics in capitals ("SEE ALSO:", "FILE PHOTO:", "SPECIAL COVERAGE:",
#: "JUST IN:"), which a transcript's speaker label ("AMY GOODMAN:") never holds
#: (:func:`~.signatures.transcript_cues`).
RUBRIC_WORDS: frozenset[str] = frozenset(_SPEAKERS["rubric_words"])

#: Pronouns that never stand for a person ("its decision", "it said"): resolved to an
#: organisation or thing mentioned before, never to a person
#: (:func:`pipeline.extract.speakers.resolve_speaker`).
NON_PERSON_PRONOUNS: frozenset[str] = frozenset(_SPEAKERS["non_person_pronouns"])


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Which (frame, lemma) pairs count as cues.

    Frames: ``comp`` (verb with a clausal complement, or governing one as in "X, he said"),
    ``obj`` (verb whose object is the content), ``prep:<p>`` (verb whose prepositional object
    is the content), ``pass`` (passive verb: "it was reported that", "X is expected to"),
    ``noun`` (nominal cue with a clause or prepositional object: "the claim that", "concerns
    about"). ``narration`` holds "frame key" pairs that are cues only outside quotation marks,
    in the article's own words: "Democrats want ..." reports a position, while "I want ..." or
    "we think ..." inside a quote is usually the speaker's own phrasing, not an attribution.
    ``admit_all`` turns every candidate into a cue: it is how the learned tables are measured on
    training data (see :mod:`pipeline.evaluate.claims`).
    """

    comp: frozenset[str]
    obj: frozenset[str]
    prep: frozenset[str]  # "lemma prep"
    passive: frozenset[str]
    noun: frozenset[str]  # "lemma" or "lemma prep"
    narration: frozenset[str] = frozenset()  # "frame key", e.g. "comp want", "prep ask for"
    admit_all: bool = False
    #: Each frame's table, and its narration-only keys, by frame name (derived once: ``admits``
    #: runs for nearly every verb of an article).
    _tables: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)
    _narrated: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)
    #: What a "prep" or "noun" key can start with: a word that starts none needs no search for
    #: its prepositional object (most verbs and nouns of an article).
    _heads: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        tables = {
            "comp": self.comp,
            "obj": self.obj,
            "prep": self.prep,
            "pass": self.passive,
            "noun": self.noun,
        }
        narrated: dict[str, set[str]] = {frame: set() for frame in tables}
        for pair in self.narration:
            frame, key = pair.split(" ", 1)
            narrated[frame].add(key)
        prep, noun = self.prep | narrated["prep"], self.noun | narrated["noun"]
        heads = {
            "prep": frozenset(key.rsplit(" ", 1)[0] for key in prep),
            "noun": noun | {key.rsplit(" ", 1)[0] for key in noun},
        }
        object.__setattr__(self, "_tables", tables)
        object.__setattr__(self, "_narrated", {f: frozenset(k) for f, k in narrated.items()})
        object.__setattr__(self, "_heads", heads)

    def may_admit(self, frame: str, lemma: str) -> bool:
        """False when no key of ``frame`` ("prep" or "noun") is ``lemma`` or starts with it."""
        return self.admit_all or lemma in self._heads[frame]

    def admits(self, frame: str, key: str) -> bool:
        """True when ``key`` (a lemma, or "lemma prep") is a cue in ``frame``."""
        return self.admit_all or key in self._tables[frame] or key in self._narrated[frame]

    def narration_only(self, frame: str, key: str) -> bool:
        """True when ``key`` is a cue in ``frame`` only outside quotation marks."""
        if self.admit_all or key not in self._narrated.get(frame, frozenset()):
            return False
        return key not in self._tables[frame]


def _learned(frame: str) -> frozenset[str]:
    return frozenset(_DATA["learned"][frame])


#: The cues :func:`~pipeline.extract.claims.extract_claims` uses.
LEXICON = Lexicon(
    _learned("comp"),
    _learned("obj"),
    _learned("prep"),
    _learned("pass"),
    _learned("noun"),
    narration=_learned("narration"),
)
