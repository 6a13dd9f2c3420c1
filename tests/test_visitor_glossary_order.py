from django.urls import reverse
from django.utils import translation

from .conftest import html
from .glossary_fixtures import make_term


def term(slug, en, ar=None):
    languages = {"en": {"term": en, "slug": slug, "definition": f"About {en}."}}
    if ar:
        languages["ar"] = {"term": ar, "slug": f"{slug}-ar", "definition": f"عن {ar}."}
    return make_term(**languages)


def glossary_page(client, language):
    with translation.override(language):
        return html(client.get(reverse("glossary")))


def groups(page):
    return [
        (section.h2.get_text(), [dfn.get_text() for dfn in section.select("dfn")])
        for section in page.select("section.glossary-letter")
    ]


def test_arabic_words_are_filed_under_the_letter_after_the_article(client, db):
    term("relapse", "Relapse", "الانتكاس")
    term("marrow", "Bone marrow", "نخاع العظم")
    term("platelets", "Platelets", "الصفائح الدموية")
    term("chemo", "Chemotherapy", "العلاج الكيميائي")
    term("blast", "Blast", "أرومة")
    term("remission", "Remission")
    page = glossary_page(client, "ar")
    assert groups(page) == [
        ("ا", ["أرومة", "الانتكاس"]),
        ("ص", ["الصفائح الدموية"]),
        ("ع", ["العلاج الكيميائي"]),
        ("ن", ["نخاع العظم"]),
        ("R", ["Remission"]),
    ], "Arabic letters first, in order, then English entries not yet translated"
    jumps = [a.get_text() for a in page.select("nav.letters a")]
    assert jumps == ["ا", "ص", "ع", "ن", "R"]
    assert all(page.find(id=a["href"][1:]) for a in page.select("nav.letters a"))


def test_other_languages_keep_latin_a_to_z(client, db):
    term("relapse", "Relapse", "الانتكاس")
    term("blast", "Blast", "أرومة")
    term("aplasia", "Aplasia")
    page = glossary_page(client, "en")
    assert groups(page) == [("A", ["Aplasia"]), ("B", ["Blast"]), ("R", ["Relapse"])]
