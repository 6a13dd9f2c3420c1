from django.urls import reverse

from knowaml.sitemaps import MultilingualSitemap, TranslatedSitemap

from .models import Story


class StorySitemap(TranslatedSitemap):
    def items(self):
        return Story.objects.published().newest_first()

    def lastmod(self, item):
        return item.published


class StoryListSitemap(MultilingualSitemap):
    def items(self):
        return ["stories:list"]

    def location(self, item):
        return reverse(item)
