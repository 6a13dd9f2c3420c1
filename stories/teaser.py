"""The "Latest story" teaser shown on every page, cached per language, rebuilt after edits."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation

from .models import Story

VERSION_KEY = "stories:teaser-version"
THUMBNAIL_WIDTH = 96


def _version():
    return cache.get_or_set(VERSION_KEY, 1, None)


def _teaser(language):
    story = Story.objects.published().in_language_first(language).first()
    if story is None:
        return {}
    shown = story.localized(language)
    with translation.override(language):
        url = story.get_absolute_url()
    return {
        "title": shown.title,
        "summary": shown.summary,
        "first_name": story.first_name,
        "role": story.role,
        "url": url,
        "lang": shown.language,
        "is_fallback": shown.is_fallback,
        "image": story.portrait_image(display_width=THUMBNAIL_WIDTH),
    }


def latest_story(language=None):
    """The newest published story in ``language``, else the newest in English."""
    language = language or translation.get_language()
    key = f"stories:teaser:{language}:{_version()}"
    data = cache.get(key)
    if data is None:
        data = _teaser(language)
        cache.set(key, data, 60 * 60 * 24)
    return data


@receiver([post_save, post_delete], sender=Story)
def forget_teaser(**kwargs):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)
