import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Story


@register(Story)
class StoryTranslationOptions(TranslationOptions):
    fields = ("title", "slug", "summary", "body", "portrait_alt", "video_url", "transcript")
    required_languages = {"en": ("title", "slug", "summary", "body")}
    empty_values = {"slug": None}


# Registered after modeltranslation so that every language's column is versioned.
simple_history.register(Story)
