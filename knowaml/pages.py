"""What every public page view puts in its context: language links and alternates."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control

from .languages import SOURCE_LANGUAGE, language_bidi, language_codes, language_name_local


def language_links(build_url):
    current = translation.get_language()
    links = []
    for code in language_codes():
        with translation.override(code):
            url = build_url()
        links.append(
            {
                "code": code,
                "name": language_name_local(code),
                "url": url,
                "is_current": code == current,
                "bidi": language_bidi(code),
            }
        )
    return links


def page_context(build_url, translated_languages=None):
    """Context for a page reached in the active language.

    ``translated_languages`` lists the languages that really have the page; None means all.
    """
    links = language_links(build_url)
    available = set(translated_languages) if translated_languages is not None else None
    by_code = {link["code"]: link["url"] for link in links}
    current = translation.get_language()
    alternates = [
        {"code": link["code"], "url": link["url"]}
        for link in links
        if available is None or link["code"] in available
    ]
    is_translated = available is None or current in available
    return {
        "language_links": links,
        "alternates": alternates,
        "x_default_url": by_code[SOURCE_LANGUAGE],
        "canonical_url": by_code[current] if is_translated else by_code[SOURCE_LANGUAGE],
        "share_path": by_code[current],
    }


def named_page_context(url_name, **kwargs):
    return page_context(lambda: reverse(url_name, kwargs=kwargs))


def make_public(response):
    """Public pages are the same for everyone, so shared caches may keep them."""
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
    return response
