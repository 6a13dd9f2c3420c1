from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .addresses import public_scheme_and_host
from .languages import SOURCE_LANGUAGE


class MultilingualSitemap(Sitemap):
    """Alternates for each language a page has; x-default is the English address.

    Django's x-default drops the language prefix and relies on the locale redirect, which
    cannot follow translated URL words (/stories/ is /es/historias/), so it points at the
    English page instead, as the pages' own <link rel="alternate"> does.
    """

    i18n = True
    alternates = True
    x_default = True

    # The public address, not the host the sitemap happened to be asked for.
    def get_protocol(self, protocol=None):
        return public_scheme_and_host()[0]

    def get_domain(self, site=None):
        return public_scheme_and_host()[1]

    def get_urls(self, *args, **kwargs):
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            by_language = {a["lang_code"]: a for a in url.get("alternates", [])}
            english = by_language.get(SOURCE_LANGUAGE)
            if "x-default" in by_language and english:
                by_language["x-default"]["location"] = english["location"]
        return urls


class TranslatedSitemap(MultilingualSitemap):
    """One entry per language a page really has, each listing the others as alternates."""

    def get_languages_for_item(self, item):
        return item.translated_languages()


class NamedPagesSitemap(MultilingualSitemap):
    """Pages that exist in every language, given by their URL names."""

    def __init__(self, *url_names):
        self.url_names = url_names

    def items(self):
        return list(self.url_names)

    def location(self, item):
        return reverse(item)
