from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Story


class StorySitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Story.objects.published().newest_first()

    def get_languages_for_item(self, item):
        return item.translated_languages()

    def lastmod(self, item):
        return item.published


class StoryListSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ["stories:list"]

    def location(self, item):
        return reverse(item)
