import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Issue


@register(Issue)
class IssueTranslationOptions(TranslationOptions):
    fields = ("subject", "body")
    required_languages = {"en": ("subject", "body")}


# Registered after modeltranslation so that every language's column is versioned.
simple_history.register(Issue)
