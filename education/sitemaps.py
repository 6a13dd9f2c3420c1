from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, Page, Section


class TranslatedSitemap(Sitemap):
    """One entry per language a page really has, each listing the others as alternates."""

    i18n = True
    alternates = True
    x_default = True

    def get_languages_for_item(self, item):
        return item.translated_languages()


class HomeSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ["education:home"]

    def location(self, item):
        return reverse(item)


class SectionSitemap(TranslatedSitemap):
    def items(self):
        return Section.objects.all()


class ArticleSitemap(TranslatedSitemap):
    def items(self):
        return Article.objects.published().select_related("section")

    def lastmod(self, item):
        return item.updated


class PageSitemap(TranslatedSitemap):
    def items(self):
        return Page.objects.published()

    def lastmod(self, item):
        return item.updated
