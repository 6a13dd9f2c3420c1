import pytest
from django.core.management import call_command
from django.utils import translation

from education.models import Page

from .conftest import html

TRUST_PAGES = ["privacy", "accessibility", "editorial-policy"]


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_trust_pages_are_published_and_translated_by_people(client, demo):
    for english_slug in TRUST_PAGES:
        page = Page.objects.published().get(slug_en=english_slug)
        assert page.translated_languages() == ["en", "es", "fr"], english_slug
        for language in ["es", "fr"]:
            with translation.override(language):
                url = page.get_absolute_url()
            assert url == f"/{language}/{getattr(page, f'slug_{language}')}/"
            assert html(client.get(url)).h1.get_text() == getattr(page, f"title_{language}")
        assert page.last_reviewed is None and not page.reviewer_name, "sample text"


@pytest.mark.parametrize("language", ["en", "es", "fr", "ar"])
def test_footer_links_every_trust_page_in_the_visitors_language(client, demo, language):
    with translation.override(language):
        expected = {Page.objects.get(slug_en=slug).get_absolute_url() for slug in TRUST_PAGES}
        home = html(client.get(f"/{language}/"))
    footer_links = {a["href"] for a in home.select(".site-footer a")}
    assert expected <= footer_links


def test_privacy_notice_matches_how_the_site_works(client, demo):
    text = html(client.get("/en/privacy/")).select_one("article").get_text()
    promises = [
        "No cookies",
        "No tracking and no analytics",
        "load nothing from other websites",
        "double opt-in",
        "one click",
        "do not keep your name",
        "Server logs",
    ]
    for promise in promises:
        assert promise in text, promise


def test_accessibility_statement_names_the_standard_tests_and_a_way_to_report(client, demo):
    statement = Page.objects.get(slug_en="accessibility")
    with translation.override("fr"):
        page = html(client.get(statement.get_absolute_url()))
    assert page.select_one("h1").get_text(strip=True) == statement.title_fr
    text = page.select_one("article").get_text()
    for fact in ["WCAG", "2.2", "AA", "axe-core", "Chromium", "arabe", "Problèmes connus"]:
        assert fact in text, fact
    assert page.select_one("#feedback form"), "the feedback form is the way to report a problem"
