from django.urls import reverse

from knowaml.sitemaps import MultilingualSitemap, TranslatedSitemap

from .models import Article, Page, Section


class HomeSitemap(MultilingualSitemap):
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
