"""Site navigation shared by every page, cached per language and rebuilt after edits."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation

from .models import Article, Page, Section

VERSION_KEY = "education:navigation-version"


def _version():
    return cache.get_or_set(VERSION_KEY, 1, None)


def _links(objects, language):
    links = []
    for obj in objects:
        shown = obj.localized(language)
        links.append({"title": shown.title, "url": obj.get_absolute_url(), "lang": shown.language})
    return links


def navigation(language=None):
    language = language or translation.get_language()
    key = f"education:navigation:{language}:{_version()}"
    data = cache.get(key)
    if data is None:
        with translation.override(language):
            data = {
                "home_url": reverse("education:home"),
                "sections": _links(Section.objects.all(), language),
                "pages": _links(Page.objects.published(), language),
            }
        cache.set(key, data, 60 * 60 * 24)
    return data


@receiver([post_save, post_delete], sender=Section)
@receiver([post_save, post_delete], sender=Page)
@receiver([post_save, post_delete], sender=Article)
def forget_navigation(**kwargs):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)
