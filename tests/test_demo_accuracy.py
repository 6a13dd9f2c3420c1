"""The demo content says what is true of AML care as of late 2025, in every language it loads."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import translation

from education.models import Article

from .conftest import html

LANGUAGES = ["en", "es", "fr", "de", "ar"]
YEAR = re.compile(r"\b(19|20)\d\d\b")


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def page(client, slug, language):
    with translation.override(language):
        url = Article.objects.get(slug_en=slug).get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200, url
    return html(response)


def text_of(element):
    return " ".join(element.get_text(" ").split())


def blocks(soup):
    """Paragraphs and list items of the article's text, as a reader sees them."""
    return [text_of(b) for b in soup.select(".prose p, .prose li")]


def section_text(soup, heading_id):
    """The text under the heading whose id matches, up to the next heading of its level."""
    heading = soup.find(["h2", "h3"], id=re.compile(heading_id))
    assert heading is not None, heading_id
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name in ("h2", heading.name):
            break
        parts.append(text_of(sibling))
    return " ".join(parts)


def block_with(soup, word):
    found = [b for b in blocks(soup) if word.lower() in b.lower()]
    assert found, f"nothing mentions {word}"
    return found[0]


def test_relapse_page_counts_a_remission_without_full_count_recovery_as_a_remission(client, demo):
    for language in LANGUAGES:
        section = section_text(page(client, "relapse", language), "^(lam-|lma-)?r[eé]fract")
        assert "CRi" in section and "CRh" in section, language
        for old in (
            "This includes remissions where the blood counts have not fully recovered",
            "Esto incluye las remisiones en las que las cifras",
            "Cela comprend les rémissions où les chiffres",
        ):
            assert old not in section
        assert re.search(r"not refractory|no es refractaria|n'est pas réfractaire", section)


def test_relapse_page_gives_each_menin_inhibitor_its_us_approvals(client, demo):
    for language in LANGUAGES:
        menin = block_with(page(client, "relapse", language), "KMT2A")
        for fact in ("NPM1", "2024", "2025", "ziftom"):
            assert fact.lower() in menin.lower(), (language, fact)
        assert re.search("r[eé]vum[eé]nib", menin), language
        if language in ("en", "de", "ar"):
            assert "October 2025" in menin and "November 2025" in menin
            assert "relapsed or refractory AML with an NPM1 mutation" in menin
            assert "for adults" in menin


TREATMENT_TARGETS = {
    "en": {
        "Midostaurin": ["FLT3", "ITD", "TKD"],
        "Quizartinib": ["FLT3-ITD"],
        "Gemtuzumab ozogamicin": ["CD33-positive"],
        "Ivosidenib": ["IDH1", "azacitidine"],
        "Olutasidenib": ["IDH1", "relapsed or refractory"],
        "enasidenib": ["IDH2", "relapsed or refractory"],
        "Gilteritinib": ["FLT3", "relapsed or refractory"],
    },
    "es": {
        "midostaurina": ["FLT3", "ITD", "TKD"],
        "quizartinib": ["FLT3-ITD"],
        "Gemtuzumab ozogamicina": ["CD33 positiva"],
        "ivosidenib": ["IDH1", "azacitidina"],
        "olutasidenib": ["IDH1", "recaída o refractaria"],
        "gilteritinib": ["FLT3", "recaída o refractaria"],
    },
    "fr": {
        "midostaurine": ["FLT3", "ITD", "TKD"],
        "quizartinib": ["FLT3-ITD"],
        "gemtuzumab ozogamicine": ["CD33 positives"],
        "ivosidénib": ["IDH1", "azacitidine"],
        "olutasidénib": ["IDH1", "rechute ou réfractaires"],
        "giltéritinib": ["FLT3", "rechute ou réfractaires"],
    },
    "ar": {
        "midostaurin": ["FLT3", "ITD", "TKD"],
        "quizartinib": ["FLT3-ITD"],
        "gemtuzumab ozogamicin": ["CD33"],
        "ivosidenib": ["IDH1"],
        "olutasidenib": ["IDH1"],
        "gilteritinib": ["FLT3"],
    },
}


def test_treatment_page_names_each_drug_with_its_gene_or_target(client, demo):
    for language, drugs in TREATMENT_TARGETS.items():
        soup = page(client, "treatment", language)
        for drug, targets in drugs.items():
            block = block_with(soup, drug)
            for target in targets:
                assert target in block, (language, drug, target)
        text = text_of(soup.select_one(".prose"))
        assert "CPX-351" in text and "IDH2" in text, language


def test_treatment_page_is_precise_about_cpx_351_oral_azacitidine_and_availability(client, demo):
    soup = page(client, "treatment", "en")
    types = text_of(page(client, "types", "en").select_one(".prose"))
    cpx = section_text(soup, "^cpx-351$")
    assert "liposomes" in cpx and "fit for intensive treatment" in cpx
    for who_term in ("myeloid neoplasm post cytotoxic therapy", "AML, myelodysplasia-related"):
        assert who_term.lower() in cpx.lower() and who_term.lower() in types.lower()
    oral = block_with(soup, "oral azacitidine")
    for fact in ("first remission", "intensive chemotherapy", "not going on to have a stem cell"):
        assert fact in oral
    assert "not the same as azacitidine injections" in oral
    assert "enasidenib is not authorised in the European Union" in block_with(
        soup, "depends on the country"
    )


def test_covid_page_names_the_transplant_medicines_beside_paxlovid(client, demo):
    for language in LANGUAGES:
        soup = page(client, "covid-19", language)
        lists = [text_of(ul) for ul in soup.select(".prose ul")]
        interactions = next(t for t in lists if "venetoclax" in t)
        for medicine in ("azole", "tacrolimus", "ciclosporin", "sirolimus", "everolimus"):
            assert medicine in interactions, (language, medicine)
        text = text_of(soup.select_one(".prose"))
        assert "lasts for several days after the last dose" in text
        assert "Check with your haematology team before you take Paxlovid" in text


def test_prognosis_figures_name_their_country_period_and_source(client, demo):
    figures = re.compile(r"\d+\s?%|\d+ (in|de cada|personnes? sur|sur) \d+")
    checked = 0
    for language in LANGUAGES:
        for block in blocks(page(client, "prognosis", language)):
            if figures.search(block):
                checked += 1
                assert "SEER" in block and "Sasaki" in block, block
                assert re.search(r"2010 (to|y|et) 2017", block), block
                assert re.search(r"United States|Estados Unidos|États-Unis", block), block
    assert checked >= 5


def test_references_are_specific_dated_and_never_a_home_page(client, demo):
    for article in Article.objects.all():
        with translation.override("en"):
            soup = page(client, article.slug_en, "en")
        items = soup.select(".references li")
        assert len(items) >= 2, article
        for item in items:
            link = item.find("a")
            if link is not None:
                assert link["href"].startswith("https://doi.org/10."), link["href"]
                assert urlsplit(link["href"]).path not in ("", "/")
            assert YEAR.search(text_of(item.select_one(".meta"))), text_of(item)
            assert "n.d." not in text_of(item)


@pytest.mark.parametrize(
    ("slug", "sources"),
    [
        ("relapse", ["ELN", "revumenib", "KMT2A", "NPM1", "ziftomenib", "Gilteritinib"]),
        ("covid-19", ["nirmatrelvir/ritonavir", "PAXLOVID", "haematological malignancies"]),
        (
            "treatment",
            [
                "ELN",
                "Midostaurin",
                "Quizartinib",
                "gemtuzumab ozogamicin",
                "CPX-351",
                "Oral azacitidine",
                "ivosidenib",
                "Ivosidenib and azacitidine",
                "olutasidenib",
                "Enasidenib",
                "Gilteritinib",
                "venetoclax",
            ],
        ),
    ],
)
def test_every_medical_claim_has_a_reference(client, demo, slug, sources):
    references = " ".join(text_of(li) for li in page(client, slug, "en").select(".references li"))
    for source in sources:
        assert source in references, source
