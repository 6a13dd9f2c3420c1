import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Article, GlossaryTerm, Page, Section

PAGE_FIELDS = ("title", "slug", "summary", "body", "reviewer_role")
REQUIRED_IN_ENGLISH = {"en": ("title", "slug", "summary", "body")}


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("title", "slug", "summary", "intro")
    required_languages = {"en": ("title", "slug")}
    empty_values = {"slug": None}


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = PAGE_FIELDS + (
        "video_url",
        "video_file",
        "video_title",
        "video_captions",
        "transcript",
    )
    required_languages = REQUIRED_IN_ENGLISH
    empty_values = {"slug": None}


@register(Page)
class PageTranslationOptions(TranslationOptions):
    fields = PAGE_FIELDS
    required_languages = REQUIRED_IN_ENGLISH
    empty_values = {"slug": None}


@register(GlossaryTerm)
class GlossaryTermTranslationOptions(TranslationOptions):
    fields = ("term", "slug", "definition", "also_matches")
    required_languages = {"en": ("term", "slug", "definition")}
    empty_values = {"slug": None}


# Registered after modeltranslation so that every language's column is versioned.
for model in (Section, Article, Page, GlossaryTerm):
    simple_history.register(model)
