"""The "Latest story" teaser shown on every page, cached per language, rebuilt after edits."""

from django.utils import translation

from knowaml.fragments import LanguageFragment

from .models import Story

THUMBNAIL_WIDTH = 96


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


_fragment = LanguageFragment("stories:teaser", _teaser, [Story])
# The newest published story in the page's language, else the newest in English.
latest_story = _fragment.get
