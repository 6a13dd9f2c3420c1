from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri

from .conftest import LANGUAGES, html


def public_urls(site, language):
    with translation.override(language):
        return [
            reverse("education:home"),
            site["section"].get_absolute_url(),
            *[article.get_absolute_url() for article in site["articles"]],
            site["about"].get_absolute_url(),
        ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_set_no_cookie_and_may_be_cached(client, site, language):
    for url in public_urls(site, language):
        response = client.get(url)
        assert not response.cookies, url
        assert "public" in response["Cache-Control"]
        assert "Cookie" not in response.get("Vary", "")


def test_every_page_carries_urgent_help_and_own_team_advice(client, site):
    for language in LANGUAGES:
        for url in public_urls(site, language):
            page = html(client.get(url))
            assert page.select_one(".urgent"), url
            assert page.select_one(".site-footer__advice"), url


def test_untranslated_article_shows_english_with_notice(client, relapse, settings):
    settings.SITE_URL = "https://knowaml.example"
    with translation.override("de"):
        url = relapse.get_absolute_url()
    assert url == "/de/understanding-aml/relapse/"
    page = html(client.get(url))
    assert page.html["lang"] == "de"
    notice = page.select_one(".notice")
    assert "Deutsch" in notice.get_text()
    content = page.select_one("[data-fallback]")
    assert content["lang"] == "en"
    assert content.h1.get_text() == "Relapse"
    assert (
        page.find("link", rel="canonical")["href"]
        == "https://knowaml.example/en/understanding-aml/relapse/"
    )


def test_translated_article_is_served_in_its_language_without_notice(client, relapse, settings):
    settings.SITE_URL = "https://knowaml.example"
    page = html(client.get("/es/comprender-la-lma/recaida/"))
    assert page.h1.get_text() == "Recaída"
    assert not page.select(".notice")
    assert not page.select("[data-fallback]")
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical == "https://knowaml.example/es/comprender-la-lma/recaida/"


def test_partly_translated_article_counts_as_untranslated(client, relapse):
    relapse.body_es = ""
    relapse.save()
    page = html(client.get("/es/comprender-la-lma/recaida/"))
    assert page.select_one("[data-fallback]")["lang"] == "en"
    assert page.h1.get_text() == "Relapse"


def test_hreflang_lists_only_languages_that_have_the_page(client, relapse):
    page = html(client.get("/en/understanding-aml/relapse/"))
    hreflangs = {link["hreflang"] for link in page.find_all("link", rel="alternate")}
    assert hreflangs == {"en", "es", "fr", "x-default"}


def test_language_switcher_leads_to_the_same_page(client, site):
    relapse = site["articles"][1]
    page = html(client.get("/en/understanding-aml/relapse/"))
    links = {a["lang"]: a["href"] for a in page.select(".languages a")}
    assert set(links) == set(LANGUAGES)
    for language, href in links.items():
        target = html(client.get(href))
        assert target.html["lang"] == language
        with translation.override(language):
            assert iri_to_uri(href) == relapse.get_absolute_url()
        assert target.select_one(".breadcrumbs [aria-current]").get_text() in {
            "Relapse",
            "Recaída",
            "Rechute",
        }


def test_english_slug_under_spanish_prefix_redirects_to_spanish_url(client, relapse):
    response = client.get("/es/understanding-aml/relapse/")
    assert response.status_code == 301
    assert response["Location"] == "/es/comprender-la-lma/recaida/"


def test_english_section_slug_under_spanish_prefix_redirects(client, site):
    response = client.get("/es/understanding-aml/")
    assert response.status_code == 301
    assert response["Location"] == "/es/comprender-la-lma/"


def test_arabic_page_uses_arabic_slug_and_lays_out_right_to_left(client, what_is_aml):
    with translation.override("ar"):
        url = what_is_aml.get_absolute_url()
    assert unquote(url) == "/ar/فهم-المرض/ما-هو-المرض/"
    response = client.get(url)
    page = html(response)
    assert page.html["dir"] == "rtl"
    assert page.h1.get_text() == "ما هو ابيضاض الدم النقوي الحاد؟"


def test_changed_slug_answers_301_from_the_old_address(client, relapse):
    relapse.slug_en = "when-aml-comes-back"
    relapse.save()
    response = client.get("/en/understanding-aml/relapse/")
    assert response.status_code == 301
    assert response["Location"] == "/en/understanding-aml/when-aml-comes-back/"
    assert client.get(response["Location"]).status_code == 200


def test_draft_articles_are_invisible_to_visitors(client, section):
    from .conftest import make_article, page_text

    make_article(section, status="draft", en=page_text("secret-draft"))
    assert client.get("/en/understanding-aml/secret-draft/").status_code == 404
    page = html(client.get("/en/understanding-aml/"))
    assert "Secret draft" not in page.get_text()


@pytest.mark.parametrize(
    "url",
    ["/en/no-such-section/", "/es/understanding-aml/no-such-page/", "/xx/understanding-aml/"],
)
def test_unknown_addresses_get_a_translated_404(client, site, url):
    response = client.get(url, headers={"accept-language": "fr"}, follow=True)
    assert response.status_code == 404
    page = html(response)
    assert len(page.find_all("h1")) == 1
    assert page.html["lang"] in {"fr", url[1:3]}
    assert "Traceback" not in page.decode()


def test_404_page_is_in_the_language_of_the_prefix(client, site):
    response = client.get("/es/no-existe/")
    assert response.status_code == 404
    assert html(response).html["lang"] == "es"


def test_root_redirects_by_accept_language(client, site):
    response = client.get("/", headers={"accept-language": "fr-FR,fr;q=0.9"})
    assert response.status_code in (301, 302)
    assert response["Location"] == "/fr/"
    response = client.get("/", headers={"accept-language": "ar"})
    assert response["Location"] == "/ar/"


def test_article_shows_toc_references_and_review_box(client, relapse):
    page = html(client.get("/en/understanding-aml/relapse/"))
    toc = {a.get_text(): a["href"] for a in page.select(".toc a")}
    assert toc["Refractory AML"] == "#refractory-aml"
    assert page.find(id="refractory-aml").name == "h2"
    review = page.select_one(".review-box")
    assert review.find("time", datetime="2026-09-01")
    assert review.find("time", datetime="2027-09-01")
    assert "Dr Sample Reviewer" in review.get_text()
    reference = page.select_one(".references li")
    assert "Blood. 2022" in reference.get_text()
    assert reference.find("time", datetime="2026-09-01")
    crumbs = [a.get_text() for a in page.select(".breadcrumbs a")]
    assert crumbs == ["Home", "Understanding AML", "Relapse"]
    in_section = [a.get_text() for a in page.select(".in-section a")]
    assert in_section == ["Relapse"]


def test_no_public_page_loads_anything_from_another_host(client, site):
    for language in LANGUAGES:
        for url in public_urls(site, language):
            page = html(client.get(url))
            for tag in page.find_all(["script", "img", "iframe", "link", "source", "video"]):
                source = tag.get("src") or (
                    tag.get("href")
                    if tag.name == "link" and "stylesheet" in tag.get("rel", [])
                    else None
                )
                assert not source or source.startswith("/"), (url, str(tag))
            assert not page.select("#google_translate_element, [class^=goog-te]"), "no widget"
