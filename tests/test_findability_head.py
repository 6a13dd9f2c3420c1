"""What a page tells search engines and link previews: one address, the right type, a picture."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from PIL import Image

from education.models import Page

from .conftest import html, page_text, translations

SITE = "https://knowaml.example"
SITE_IMAGE = f"{SITE}/static/img/share.png"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = SITE


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    page = html(response)
    og = {}
    for meta in page.find_all("meta", property=True):
        og.setdefault(meta["property"], []).append(meta["content"])
    script = page.find("script", type="application/ld+json")
    canonical = page.find("link", rel="canonical")
    return {
        "canonical": canonical["href"] if canonical else None,
        "og": og,
        "data": json.loads(script.string) if script else None,
    }


def url_in(language, name):
    with translation.override(language):
        return reverse(name)


def test_fallback_page_gives_one_address_everywhere(client, relapse):
    english = f"{SITE}/en/understanding-aml/relapse/"
    found = head(client, "/de/understanding-aml/relapse/")
    assert found["canonical"] == found["og"]["og:url"][0] == found["data"]["url"] == english
    assert found["data"]["inLanguage"] == "en"


def test_translated_page_gives_its_own_address_everywhere(client, relapse):
    spanish = f"{SITE}/es/comprender-la-lma/recaida/"
    found = head(client, "/es/comprender-la-lma/recaida/")
    assert found["canonical"] == found["og"]["og:url"][0] == found["data"]["url"] == spanish


def make_page(slug, title, order):
    return Page.objects.create(
        status=Page.Status.PUBLISHED, order=order, **translations(en=page_text(slug, title))
    )


def test_site_pages_are_web_pages_and_health_pages_medical_ones(client, relapse, about):
    for slug, title in [
        ("privacy", "Privacy"),
        ("accessibility", "Accessibility"),
        ("editorial-policy", "Editorial policy"),
    ]:
        make_page(slug, title, order=5)
    types = {
        url: head(client, url)["data"]
        for url in [
            "/en/about-us/",
            "/es/sobre-nosotros/",
            "/en/privacy/",
            "/en/accessibility/",
            "/en/editorial-policy/",
            "/en/understanding-aml/relapse/",
        ]
    }
    assert types["/en/about-us/"]["@type"] == "AboutPage"
    assert types["/es/sobre-nosotros/"]["@type"] == "AboutPage"
    for url in ["/en/privacy/", "/en/accessibility/", "/en/editorial-policy/"]:
        assert types[url]["@type"] == "WebPage", url
    for url in ["/en/about-us/", "/en/privacy/", "/en/accessibility/", "/en/editorial-policy/"]:
        assert "about" not in types[url], "a page about the site is not about AML"
    medical = types["/en/understanding-aml/relapse/"]
    assert medical["@type"] == "MedicalWebPage"
    assert medical["about"] == {"@type": "MedicalCondition", "name": "Acute myeloid leukaemia"}


def test_site_image_is_a_1200_by_630_png():
    with Image.open(finders.find("img/share.png")) as image:
        assert image.format == "PNG"
        assert image.size == (1200, 630)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_type_has_a_share_image(client, site, omar, language):
    with translation.override(language):
        urls = [
            f"/{language}/",
            site["section"].get_absolute_url(),
            site["articles"][0].get_absolute_url(),
            site["about"].get_absolute_url(),
            reverse("glossary"),
            reverse("stories:list"),
            omar.get_absolute_url(),
            reverse("newsletter:signup"),
            reverse("search") + "?q=relapse",
        ]
    for url in urls:
        og = head(client, url)["og"]
        assert og["og:image"] == [SITE_IMAGE], url
        assert og["og:image:width"] == ["1200"] and og["og:image:height"] == ["630"], url
        assert og["og:image:alt"][0].strip(), url


def test_story_page_shares_the_storys_portrait(client, rosa):
    largest = rosa.renditions[-1]
    for url in ["/en/stories/caring-for-my-father/", "/es/historias/cuidar-de-mi-padre/"]:
        og = head(client, url)["og"]
        assert og["og:image"] == [SITE + default_storage.url(largest["name"])]
        assert og["og:image:width"] == [str(largest["width"])]
        assert og["og:image:height"] == [str(largest["height"])]
        assert og["og:image:alt"] == ["Rosa smiling in her garden"]


def test_open_graph_locale_uses_language_and_territory(client, site):
    relapse = head(client, "/en/understanding-aml/relapse/")["og"]
    assert relapse["og:locale"] == ["en_GB"]
    assert sorted(relapse["og:locale:alternate"]) == ["es_ES", "fr_FR"]
    home = head(client, "/ar/")["og"]
    assert home["og:locale"] == ["ar_AR"]
    assert sorted(home["og:locale:alternate"]) == ["de_DE", "en_GB", "es_ES", "fr_FR"]
    for language, locale in [("es", "es_ES"), ("fr", "fr_FR"), ("de", "de_DE")]:
        assert head(client, url_in(language, "glossary"))["og"]["og:locale"] == [locale]


def test_open_graph_locale_of_a_fallback_page_is_the_language_shown(client, relapse):
    og = head(client, "/de/understanding-aml/relapse/")["og"]
    assert og["og:url"] == [f"{SITE}/en/understanding-aml/relapse/"]
    assert og["og:locale"] == ["en_GB"]
    assert sorted(og["og:locale:alternate"]) == ["es_ES", "fr_FR"]
