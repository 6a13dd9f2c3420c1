"""Articles, pages and stories are served by one kind of view; the admin preview reuses it."""

import pytest
from django.urls import reverse
from django.utils import translation

from .conftest import html


def shown(response):
    """The page's text, without the address printed for paper copies (a draft has none)."""
    article = html(response).select_one("article")
    for address in article.select(".print-address"):
        address.decompose()
    return " ".join(str(article).split())


@pytest.mark.parametrize("language", ["en", "es"])
def test_preview_shows_the_page_exactly_as_visitors_see_it(admin_client, site, language):
    relapse, about = site["articles"][1], site["about"]
    for name, obj in (("education_article_preview", relapse), ("education_page_preview", about)):
        with translation.override(language):
            public = admin_client.get(obj.get_absolute_url())
        preview = admin_client.get(reverse(f"admin:{name}", args=[obj.pk]), {"language": language})
        assert shown(preview) == shown(public)
        assert "public" in public["Cache-Control"]
        assert {"private", "no-store"} <= {p.strip() for p in preview["Cache-Control"].split(",")}
        assert html(public).select('link[rel="canonical"]')
        assert not html(preview).select('link[rel="canonical"], .share')


def test_each_kind_of_page_answers_a_slug_of_another_language_with_its_own_address(client, site):
    relapse, about, section = site["articles"][1], site["about"], site["section"]
    for english, spanish in (
        ("/es/understanding-aml/relapse/", relapse),
        ("/es/about-us/", about),
        ("/es/understanding-aml/", section),
    ):
        response = client.get(english)
        with translation.override("es"):
            assert response.status_code == 301
            assert response["Location"] == spanish.get_absolute_url()
        assert "public" not in response.get("Cache-Control", "")
