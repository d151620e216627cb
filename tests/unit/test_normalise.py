import pytest

from pipeline.ingest.language import guess_language
from pipeline.normalise import (
    Removal,
    clean_line,
    clean_text,
    normalise_body,
    removal_kinds,
    split_blocks,
    word_count,
)


def test_clean_text_repairs_characters_and_whitespace():
    raw = "It\u00e2\u20ac\u2122s\u00a0here\u200b \t now\r\nCafe\u0301\x00 \x07ok  "
    assert clean_text(raw) == "It’s here now\nCafé ok"


def test_clean_text_keeps_valid_typography():
    text = "“Quoted” — ﬁne ’tis ＡＢＣ"
    assert clean_text(text) == text


def test_clean_line_collapses_and_blanks():
    assert clean_line("  A\n  title\u00a0 ") == "A title"
    assert clean_line("  \n ") is None
    assert clean_line(None) is None


def test_paragraphs_are_separated_by_exactly_two_newlines():
    body, removed = normalise_body("T", "First line\nsame para.\n\n\n\nSecond para.\n\n")
    assert body == "First line same para.\n\nSecond para."
    assert removed == ()


def test_text_without_blank_lines_has_a_paragraph_per_line():
    assert split_blocks("a\nb\nc") == [["a"], ["b"], ["c"]]
    assert split_blocks("\na\n\nb\nc\n") == [["a"], ["b", "c"]]


def test_repeated_title_removed_once():
    body, removed = normalise_body("Big News Today", "Big news today!\n\nThe story.")
    assert body == "The story."
    assert removal_kinds(removed) == ("repeated_title",)


def test_body_that_is_only_the_title_keeps_it():
    body, removed = normalise_body("Suit aims to stop move.", "Suit aims to stop move.")
    assert body == "Suit aims to stop move." and removed == ()


def test_title_mentioned_later_is_kept():
    body, _ = normalise_body("Big News", "The story.\n\nBig News")
    assert body == "The story.\n\nBig News"


def test_caption_keeps_its_text_and_loses_its_credit_line():
    text = (
        "Soldiers move through a base in Qayara, Iraq, Nov. 9, 2016. The town is\n"
        "AP Photo/Marko Drobnjakovic, File\n\nThe United States has begun to leave."
    )
    body, removed = normalise_body("Title", text)
    assert body == (
        "Soldiers move through a base in Qayara, Iraq, Nov. 9, 2016. The town is\n\n"
        "The United States has begun to leave."
    )
    assert removed == (
        Removal("photo_credit", "AP Photo/Marko Drobnjakovic, File", removed[0].reason),
    )


def test_parenthetical_credit_is_cut_from_its_caption():
    text = "President speaks in Washington on Monday. (AP Photo/Evan Vucci)\n\nReal text."
    body, removed = normalise_body(None, text)
    assert body == "President speaks in Washington on Monday.\n\nReal text."
    assert removal_kinds(removed) == ("photo_credit",)
    assert removed[0].text == "(AP Photo/Evan Vucci)"


def test_line_rules():
    text = "\n\n".join(
        [
            "7 years ago",
            "Real first paragraph.",
            "More news: North Korea arming Syria, Myanmar",
            "- Follow the Ticker on Twitter: @PoliticalTicker",
            "Advertisement",
            "Sign up for Daily Newsletters Manage Newsletters",
            "SHARE THIS ARTICLE Share Tweet Post Email",
            "Copyright © 2019 The Washington Times, LLC. Click here for reprint permission.",
            "Enlarge this image toggle caption Evan Vucci/AP Evan Vucci/AP",
            "Real last paragraph.",
            "Please let us know if you're having issues with commenting.",
        ]
    )
    body, removed = normalise_body("A title", text)
    assert body == "Real first paragraph.\n\nReal last paragraph."
    assert set(removal_kinds(removed)) == {
        "dateline",
        "more_news",
        "share_prompt",
        "advertisement",
        "newsletter",
        "copyright",
        "photo_caption",
        "comment_prompt",
    }


def test_related_articles_tail_removed_with_its_links():
    text = "Body sentence one.\n\nRelated Articles\n\nTrump visits Iraq\n\nOil prices fall"
    body, removed = normalise_body("T", text)
    assert body == "Body sentence one."
    assert removal_kinds(removed) == ("related_links",) * 3


def test_news_widget_run_into_the_last_paragraph_is_cut():
    # trafilatura ran PanARMENIAN's "Top stories" and "Partner news" boxes into the last line
    story = "Hundreds of demonstrators blocked roads. Snipers shot into crowds from rooftops. "
    widget = "Top stories The House voted Tuesday to recognize the genocide. Figaro reports."
    body, removed = normalise_body("T", story + widget)
    assert body == story.rstrip()
    assert removal_kinds(removed) == ("more_news",) and removed[0].text == widget


@pytest.mark.parametrize(
    "text",
    [
        "Top stories Lead sentence of a story. " + "More text of the article goes on. " * 4,
        "The story ends here. Top news outlets reported it first, the agency said.",
    ],
)
def test_news_widget_heading_early_or_in_prose_is_kept(text):
    body, removed = normalise_body("T", text)
    assert body == text.strip() and not removed


def test_photo_gallery_and_video_widgets_run_into_the_story_are_cut():
    # CNN pages: a gallery flattened into paragraphs, its first caption standing alone
    story = "Riggio said voters often let politicians get away with lies."
    first = "Photos: The rise and fall of John Edwards – Edwards endorsed Barack Obama."
    rest = (
        "Hide Caption 1 of 3 Photos: The rise and fall of John Edwards – Edwards campaigns in "
        "Iowa. Hide Caption 2 of 3 Photos: The rise and fall of John Edwards – Edwards speaks. "
        "Hide Caption 3 of 3"
    )
    video = (
        "JUST WATCHED Reid: I will not pick and choose Replay More Videos ... MUST WATCH Reid: "
        "I will not pick and choose 02:07"
    )
    after = "Norton said evasive answers are easier to spot in politicians we disagree with."
    text = "\n\n".join([story, first, rest, video, after])
    body, removed = normalise_body("T", text)
    assert body == f"{story}\n\n{after}"
    assert removal_kinds(removed) == ("photo_caption", "photo_caption", "media_label")


def test_text_around_a_gallery_in_one_paragraph_is_kept():
    text = (
        "The vote failed. Photos: Key players – The speaker. Hide Caption 1 of 1 The debate "
        "goes on."
    )
    body, removed = normalise_body("T", text)
    assert body == "The vote failed.\n\nThe debate goes on."
    assert removed[0].text == "Photos: Key players – The speaker. Hide Caption 1 of 1"


def test_related_heading_followed_by_prose_keeps_the_prose():
    text = "Intro.\n\nRelated\n\nThis is a real sentence that continues the story at length."
    body, _ = normalise_body("T", text)
    assert body == "Intro.\n\nThis is a real sentence that continues the story at length."


def test_a_sign_up_prompt_naming_your_inbox_is_a_newsletter_line():
    text = (
        "First paragraph.\n\nGet the Monitor Stories you care about delivered to your inbox. "
        "By signing up, you agree to our Privacy Policy.\n\nLast paragraph."
    )
    body, removed = normalise_body("T", text)
    assert body == "First paragraph.\n\nLast paragraph."
    assert removal_kinds(removed) == ("newsletter",)


def test_a_sign_up_form_scraped_into_one_long_line_is_a_newsletter_line():
    form = (
        "Newsletter Sign Up Continue reading the main story Please verify you're not a robot by "
        "clicking the box. Invalid email address. Please re-enter. You must select a newsletter "
        "to subscribe to. Sign Up You will receive emails containing news content , updates and "
        "promotions from The New York Times. You may opt-out at any time. You agree to receive "
        "occasional updates and special offers for The New York Times's products and services. "
        "Thank you for subscribing. An error has occurred. Please try again later. View all New "
        "York Times newsletters."
    )
    body, removed = normalise_body("T", f"First paragraph.\n\n{form}\n\nLast paragraph.")
    assert body == "First paragraph.\n\nLast paragraph."
    assert removal_kinds(removed) == ("newsletter",)


def test_a_parenthesised_link_to_the_outlets_own_story_is_a_related_link():
    text = "First paragraph.\n\n( Also on POLITICO: What is sequestration?)\n\nLast paragraph."
    body, removed = normalise_body("T", text)
    assert body == "First paragraph.\n\nLast paragraph."
    assert removal_kinds(removed) == ("related_links",)


def test_a_names_hover_card_run_into_the_text_is_cut_and_the_name_kept():
    # The Hill: the full name glued to a few headlines, up to " MORE"
    text = (
        "President Trump Donald John TrumpSessions says he still supports Trump despite ouster"
        " as AG Giuliani consulted with Manafort on Ukraine info: report MORE is looking for"
        " fast action.\n\n"
        "None of Hillary Clinton Hillary Diane Rodham Clinton2020 Democrats make play for"
        " veterans' votes MORE's emails were found, said Sen. Rand Paul Randal (Rand) Howard"
        " PaulSenate GOP waves Trump off early motion MORE (R-Ky.)."
    )
    body, removed = normalise_body(None, text)
    assert body == (
        "President Trump is looking for fast action.\n\n"
        "None of Hillary Clinton's emails were found, said Sen. Rand Paul (R-Ky.)."
    )
    assert removal_kinds(removed) == ("hover_card",) * 3
    assert [r.text[:17] for r in removed] == [
        "Donald John Trump",
        "Hillary Diane Rod",
        "Randal (Rand) How",
    ]


def test_a_spaced_hover_card_is_cut_and_the_name_kept():
    # The Hill, where the card's full name is not glued to its first headline
    text = (
        "Speaker Paul Ryan Paul Davis Ryan Retirees should say 'no thanks' to Romney's plan"
        " DC's liaison to rock 'n' roll MORE said no. Former Vice President Joe Biden Joe Biden"
        " Parnas: U.S. ambassador to Ukraine removed MORE led."
    )
    body, removed = normalise_body(None, text)
    assert body == "Speaker Paul Ryan said no. Former Vice President Joe Biden led."
    assert [r.text[:15] for r in removed] == ["Paul Davis Ryan", "Joe Biden Parna"]


def test_a_name_repeated_before_more_in_prose_is_no_hover_card():
    text = (
        "Obama met Obama supporters in Ohio. He wants MORE jobs, said Obama Obama. New York"
        " New York state wants MORE."
    )
    body, removed = normalise_body(None, text)
    assert body == text and not removed


def test_a_label_run_into_the_lead_loses_the_label_and_keeps_the_summary():
    text = "Story highlights Holder assigns prosecutors to investigate leaks\n\nThe story."
    body, removed = normalise_body("T", text)
    assert body == "Holder assigns prosecutors to investigate leaks\n\nThe story."
    assert [(r.kind, r.text) for r in removed] == [("media_label", "Story highlights")]


def test_real_sentences_mentioning_boilerplate_words_are_kept():
    sentences = [
        "Follow-up talks on Twitter's future were held on Monday.",
        "He said more news would come later in the week, according to aides.",
        "Advertisement revenue fell 5 percent, the company said.",
        "Related issues were raised by the committee: taxes, debt and jobs, officials said, "
        "in a long statement that ran for pages and pages.",
        "Photos by the dozens circulated online after the attack, witnesses said on Monday.",
        "The photo was taken by AP photographer Evan Vucci in 2019.",
        "Share prices rose 3 percent.",
        "Readers can follow the case on Twitter, the court said in a statement.",
        "Years ago, the town was deserted.",
        "Mike's name won't appear on the Playbook hitting your inbox, and the campaign goes on.",
        "Key points of the bill were debated on Monday.",
        "Also on the program: U.N. Secretary-General Ban Ki-Moon and President Obama.",
        "(Also in the race: a former school teacher, who entered in June.) Polls open at 7.",
        "An invalid email address kept the newsletter from reaching subscribers, she said.",
    ]
    body, removed = normalise_body("Title", "\n\n".join(sentences))
    assert removed == ()
    assert body == "\n\n".join(sentences)


def test_word_count_and_language():
    assert word_count("one two\n\nthree") == 3
    assert guess_language("The cat sat on the mat and it was said that he is at home.") == "en"
    assert (
        guess_language("El gato está en la casa y los perros de la calle no son del barrio.")
        == "es"
    )
    assert guess_language("1234 5678") is None


def test_plain_ascii_lines_skip_ftfy_with_the_same_result(sample_dir, seeds_dir):
    import ftfy

    from pipeline.normalise import _FTFY, _fix_text

    crafted = [
        "",
        "\n",
        "plain\n\nlines\tand tabs\n",
        "It\u00e2\u20ac\u2122s mojibake\nthen plain\n",
        "x\x1b[31mred\x1b[0m\n",
        "a\x00b\x07c\x0bd\x0ce\x7f\n",
        "next\x85line\u2028and\u2029para",
        "c1 \x9c quote\n",
        "Cafe\u0301 decomposed\nplain ending without newline",
        "lone \ud800 surrogate\n",
        "ﬁne “typography” — ＡＢＣ\n",
        "A" * 50 + "\n" * 3 + "CafÃ©",
    ]
    files = [*seeds_dir.glob("*.txt"), *(sample_dir / "jsonl").glob("*.jsonl")]
    texts = crafted + [path.read_text(encoding="utf-8") for path in files]
    for text in texts:
        assert _fix_text(text) == ftfy.fix_text(text, _FTFY), text[:60]
