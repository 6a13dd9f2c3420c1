"""The "Latest story" teaser shown on every page, cached per language, rebuilt after edits."""

from django.utils import translation

from knowaml.fragments import LanguageFragment

from .models import Story

THUMBNAIL_WIDTH = 96


def _teaser(story, language):
    shown = story.localized(language)
    with translation.override(language):
        url = story.get_absolute_url()
    return {
        "pk": story.pk,
        "title": shown.title,
        "summary": shown.summary,
        "first_name": story.first_name,
        "role": story.role,
        "url": url,
        "lang": shown.language,
        "is_fallback": shown.is_fallback,
        "image": story.portrait_image(display_width=THUMBNAIL_WIDTH),
    }


def _teasers(language):
    # Two, so that a story's own page can show the next one instead of itself.
    stories = Story.objects.published().in_language_first(language)[:2]
    return [_teaser(story, language) for story in stories]


_fragment = LanguageFragment("stories:teaser", _teasers, [Story])


def latest_story(language=None, exclude=None):
    """The newest published story in the page's language, else the newest in English.

    ``exclude`` (a story's primary key) is never chosen: a story page shows another one.
    """
    for teaser in _fragment.get(language):
        if teaser["pk"] != exclude:
            return teaser
    return {}
