import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from knowaml.readability import (
    amstad,
    analyse,
    count_syllables,
    fernandez_huerta,
    flesch_reading_ease,
    glossary_words,
    kandel_moles,
    reading_age,
    split_sentences,
)

from .conftest import html, make_article

ENGLISH = "Leukaemia is a cancer of the blood. It starts in the bone marrow."


# The formulas, on 100 words in 5 sentences with 150 syllables -------------------


def test_flesch_reading_ease():
    # 206.835 - 1.015 * 20 - 84.6 * 1.5
    assert flesch_reading_ease(100, 5, 150) == pytest.approx(59.635)


def test_fernandez_huerta():
    # 206.84 - 60 * 1.5 - 1.02 * 20
    assert fernandez_huerta(100, 5, 150) == pytest.approx(96.44)


def test_kandel_moles():
    # 207 - 1.015 * 20 - 73.6 * 1.5
    assert kandel_moles(100, 5, 150) == pytest.approx(76.3)


def test_amstad():
    # 180 - 20 - 58.5 * 1.5
    assert amstad(100, 5, 150) == pytest.approx(72.25)


# Short texts, counted by hand ---------------------------------------------------


@pytest.mark.parametrize(
    "language, text, words, syllables, score",
    [
        # Leu-kae-mi-a is a can-cer of the blood (11); it starts in the bone mar-row (7).
        ("en", ENGLISH, 13, 18, 83.1),
        ("en", "The cat sat on the mat.", 6, 6, 116.1),
        # el ni-ño co-me pan: 206.84 - 60 * 6/4 - 1.02 * 4
        ("es", "El niño come pan.", 4, 6, 112.8),
        # 207 - 1.015 * 6 - 73.6 * 6/6
        ("fr", "Le chat dort sur le lit.", 6, 6, 127.3),
        # die Ärz-tin er-klärt die Be-hand-lung: 180 - 5 - 58.5 * 9/5
        ("de", "Die Ärztin erklärt die Behandlung.", 5, 9, 69.7),
    ],
)
def test_scores_of_short_texts(language, text, words, syllables, score):
    analysis = analyse(text, language)
    assert analysis.words == words
    counted = [count_syllables(word, language) for word in text.rstrip(".").split()]
    assert sum(counted) == syllables
    assert analysis.score == score


@pytest.mark.parametrize(
    "language, counts",
    [
        (
            "en",
            {"every": 3, "create": 2, "idea": 3, "people": 2, "simple": 2, "chemotherapy": 5},
        ),
        ("en", {"diagnosis": 4, "social": 2, "region": 2, "use": 1, "cells": 1, "don't": 1}),
        ("es", {"día": 2, "aorta": 3, "leucemia": 3, "quimioterapia": 5, "médula": 3}),
        ("fr", {"anémie": 3, "hôpital": 3, "idée": 2, "moelle": 1, "l'anémie": 3}),
        ("de", {"Arzt": 1, "neue": 2, "Leukämie": 3, "Knochenmark": 3, "Übelkeit": 3}),
    ],
)
def test_syllables(language, counts):
    assert {word: count_syllables(word, language) for word in counts} == counts


def test_arabic_has_no_formula_but_is_measured():
    analysis = analyse("هذا نص قصير. وهذه جملة ثانية أطول قليلا؟", "ar")
    assert analysis.score is None and analysis.reading_age is None and analysis.formula is None
    assert [sentence.words for sentence in analysis.longest] == [5, 3]
    assert not analysis.is_above(11)


def test_no_words_no_analysis():
    assert analyse("", "en") is None
    assert analyse("123 — 456", "en") is None


# Reading age ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "score, youngest, oldest",
    [
        (116.1, 10, 11),
        (90, 10, 11),
        (89.9, 11, 12),
        (75, 12, 13),
        (60, 13, 15),
        (55, 15, 18),
        (30, 18, 21),
        (29.9, 21, None),
        (-40, 21, None),
    ],
)
def test_reading_age_bands(score, youngest, oldest):
    age = reading_age(score)
    assert (age.youngest, age.oldest) == (youngest, oldest)


def test_above_the_threshold_means_the_band_starts_above_it():
    assert not reading_age(85).is_above(11)  # about 11–12
    assert reading_age(79.9).is_above(11)  # about 12–13
    assert reading_age(85).is_above(10)


# Sentences and glossary words ---------------------------------------------------


def test_sentences_end_at_full_stops_and_lines_but_not_abbreviations():
    text = (
        "Dr. Smith said “Come back.” Then, e.g. after lunch, we talk!\n\n"
        "- A list item\n1. Another item with a link (https://example.org/page) here\n\n"
        "Zum Beispiel z. B. das?"
    )
    assert split_sentences(text) == [
        "Dr. Smith said “Come back.”",
        "Then, e.g. after lunch, we talk!",
        "A list item",
        "Another item with a link here",
        "Zum Beispiel z. B. das?",
    ]


def test_three_longest_sentences_longest_first():
    analysis = analyse(
        "One two. One two three four. One. One two three. Five words are in here.", "en"
    )
    assert [(s.text, s.words) for s in analysis.longest] == [
        ("Five words are in here.", 5),
        ("One two three four.", 4),
        ("One two three.", 3),
    ]


def test_glossary_words_in_order_of_use_whole_words_only():
    terms = [
        ("Bone marrow", ["Bone marrow"]),
        ("Blast", ["Blast", "blasts", "blast cells"]),
        ("Refractory", ["Refractory"]),
        ("Remission", ["remission"]),
    ]
    text = "Blasts grow in the bone\nmarrow. Not refractoryish, and no remissions."
    assert glossary_words(text, terms) == ["Blast", "Bone marrow"]


# The change form ------------------------------------------------------------------


@pytest.fixture
def editor_client(client, db):
    editor = get_user_model().objects.create_user("eddie", "e@example.org", "pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def body(text):
    return {"title": "T", "summary": "", "body": f"## A heading\n\n{text}"}


@pytest.fixture
def article(section, glossary):
    return make_article(
        section,
        en={**body(ENGLISH + " Blasts crowd out healthy cells."), "slug": "leukaemia"},
        es={**body("El niño come pan. Los blastos crecen en la médula ósea."), "slug": "ni"},
        fr=body("Le chat dort sur le lit."),
        de=body("Die Ärztin erklärt die Behandlung."),
        ar=body("هذا نص قصير. وهذه جملة ثانية أطول قليلا؟"),
    )


def columns(response):
    panel = html(response).find("section", class_="plain-language")
    assert panel.find("h2").get_text() == "Plain language"
    return {
        column.find("h3").get_text(): column
        for column in panel.find_all("section", class_="plain-language-column")
    }


def details(column):
    return {
        dt.get_text(strip=True): " ".join(dt.find_next_sibling("dd").get_text(" ").split())
        for dt in column.find_all("dt")
    }


def test_editor_sees_plain_language_scores_on_the_change_form(editor_client, article):
    url = reverse("admin:education_article_change", args=[article.pk])
    response = editor_client.get(url)
    assert response.status_code == 200
    found = columns(response)
    assert list(found) == ["English", "Spanish", "French", "German", "Arabic"]

    english = details(found["English"])
    # 18 + 6 syllables in 18 words and 3 sentences (the heading is not scored)
    assert english["Score"].startswith("87.9 (Flesch reading ease")
    assert english["Reading age"] == "about 11–12 years"
    assert english["Longest sentences"].startswith(
        "Leukaemia is a cancer of the blood. (7 words) It starts in the bone marrow. (6 words)"
        " Blasts crowd out healthy cells. (5 words)"
    )
    assert english["Words in the glossary"] == "Bone marrow Blast"
    assert found["English"].find("ul", class_="plain-language-glossary")["lang"] == "en"

    assert "Fernández-Huerta" in details(found["Spanish"])["Score"]
    assert details(found["Spanish"])["Words in the glossary"] == "Blasto Médula ósea"
    assert details(found["French"])["Score"].startswith("127.3 (Kandel–Moles")
    assert details(found["German"])["Score"].startswith("69.7 (Amstad")
    assert "plain-language-above" in found["German"]["class"]  # about 13–15 years
    assert (
        "Harder than the target: readers older than 11" in details(found["German"])["Reading age"]
    )
    assert "plain-language-above" not in found["English"]["class"]

    arabic = details(found["Arabic"])
    assert arabic["Score"] == "No formula for Arabic"
    assert "Reading age" not in arabic
    assert arabic["Words in the glossary"] == "None"
    sentence = found["Arabic"].find("ol").find("span")
    assert (sentence["lang"], sentence["dir"]) == ("ar", "rtl")


def test_threshold_is_a_setting(editor_client, article, settings):
    settings.PLAIN_LANGUAGE_MAX_READING_AGE = 10
    response = editor_client.get(reverse("admin:education_article_change", args=[article.pk]))
    english = columns(response)["English"]
    assert "plain-language-above" in english["class"]
    assert "readers older than 10" in details(english)["Reading age"]


def test_untranslated_language_says_so_and_saving_is_never_blocked(editor_client, section):
    article = make_article(section, en={**body("A long sentence " * 30 + "."), "slug": "long"})
    url = reverse("admin:education_article_change", args=[article.pk])
    found = columns(editor_client.get(url))
    assert "plain-language-above" in found["English"]["class"]
    assert found["Spanish"].get_text(" ", strip=True) == "Spanish No text in this language yet."


def test_glossary_term_form_scores_its_definition(editor_client, glossary):
    term = glossary["biopsy"]
    found = columns(
        editor_client.get(reverse("admin:education_glossaryterm_change", args=[term.pk]))
    )
    english = details(found["English"])
    assert english["Longest sentences"].startswith(
        "A test that takes a small sample of bone marrow."
    )
    assert english["Words in the glossary"] == "Bone marrow"  # not the term itself


def test_model_without_running_text_has_no_panel(editor_client, section):
    response = editor_client.get(reverse("admin:education_section_change", args=[section.pk]))
    assert response.status_code == 200
    assert html(response).find("section", class_="plain-language") is None


def test_story_and_page_forms_have_the_panel(editor_client, about):
    from .stories_fixtures import make_story

    story = make_story(en={"title": "Sam", "slug": "sam", "summary": "Hi.", "body": "I am well."})
    for url in (
        reverse("admin:stories_story_change", args=[story.pk]),
        reverse("admin:education_page_change", args=[about.pk]),
    ):
        assert "Flesch reading ease" in details(columns(editor_client.get(url))["English"])["Score"]
