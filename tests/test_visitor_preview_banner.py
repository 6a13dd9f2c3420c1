import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from education.models import Article

from .conftest import LANGUAGES, html
from .test_public_pages import public_urls


@pytest.fixture
def editor_client(client, db):
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(editor)
    return client


@pytest.mark.parametrize("language", ["en", "ar"])
def test_admin_preview_says_at_the_top_that_it_is_not_published(
    editor_client, relapse, about, language
):
    Article.objects.filter(pk=relapse.pk).update(status="draft")
    for name, obj in (("education_article_preview", relapse), ("education_page_preview", about)):
        response = editor_client.get(
            reverse(f"admin:{name}", args=[obj.pk]), {"language": language}
        )
        assert response.status_code == 200
        page = html(response)
        banner = page.select_one(".preview-banner")
        assert banner is not None
        assert banner["aria-labelledby"] == "preview-banner-title"
        assert page.find(id="preview-banner-title").get_text()
        if language == "en":
            assert "Preview — not published" in banner.get_text()
        first = page.body.find(lambda tag: tag.name in ("section", "header", "main"))
        assert first is banner, "the banner comes before the header and the page"


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_have_no_preview_banner(client, site, language):
    for url in public_urls(site, language):
        assert not html(client.get(url)).select(".preview-banner"), url
