"""Site navigation shared by every page, cached per language and rebuilt after edits."""

from django.urls import reverse
from django.utils import translation

from knowaml.fragments import LanguageFragment, Versioned

from .models import Page, Reference, Section


def _links(objects, language):
    links = []
    for obj in objects:
        shown = obj.localized(language)
        links.append(
            {
                "title": shown.title,
                "url": obj.get_absolute_url(),
                "lang": shown.language,
                "is_fallback": shown.is_fallback,
            }
        )
    return links


def _navigation(language):
    with translation.override(language):
        return {
            "home_url": reverse("education:home"),
            "stories_url": reverse("stories:list"),
            "glossary_url": reverse("glossary"),
            "newsletter_url": reverse("newsletter:signup"),
            "sections": _links(Section.objects.all(), language),
            "pages": _links(Page.objects.published(), language),
        }


# The menu and footer list sections and stand-alone pages; article edits leave them alone.
_fragment = LanguageFragment("education:navigation", _navigation, [Section, Page])
navigation = _fragment.get

# Article pages keep their references (as HTML) until one changes.
references = Versioned("education:references", [Reference])
