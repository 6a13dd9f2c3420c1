from django.urls import reverse

from knowaml.sitemaps import MultilingualSitemap

from .models import Story


class StorySitemap(MultilingualSitemap):
    def items(self):
        return Story.objects.published().newest_first()

    def get_languages_for_item(self, item):
        return item.translated_languages()

    def lastmod(self, item):
        return item.published


class StoryListSitemap(MultilingualSitemap):
    def items(self):
        return ["stories:list"]

    def location(self, item):
        return reverse(item)
