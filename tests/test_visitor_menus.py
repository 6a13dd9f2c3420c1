import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri

from .conftest import LANGUAGES, html
from .test_public_pages import public_urls


def every_page(site, language):
    with translation.override(language):
        return [
            *public_urls(site, language),
            reverse("stories:list"),
            reverse("glossary"),
            reverse("search") + "?q=relapse",
            reverse("newsletter:signup"),
            f"/{language}/no-such-page/",
        ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_stories_glossary_and_newsletter_are_linked_from_every_page(client, site, language):
    with translation.override(language):
        stories, glossary = reverse("stories:list"), reverse("glossary")
        newsletter = reverse("newsletter:signup")
    for url in every_page(site, language):
        page = html(client.get(url))
        header = {iri_to_uri(a["href"]) for a in page.select("header .main-nav a")}
        footer = {iri_to_uri(a["href"]) for a in page.select("footer .footer-nav a")}
        assert {stories, glossary} <= header, url
        assert {stories, glossary, newsletter} <= footer, url


def test_menu_entries_are_named_in_the_page_language(client, site):
    page = html(client.get("/es/"))
    names = [a.get_text() for a in page.select(".main-nav a")]
    assert names[:4] == ["Inicio", "Comprender la LMA", "Historias", "Glosario"]
    footer = [a.get_text() for a in page.select(".footer-nav a")]
    assert footer[:3] == ["Historias", "Glosario", "Boletín"]
