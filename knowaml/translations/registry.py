"""Translatable models and fields, found through modeltranslation's registry."""

from django.db import models
from modeltranslation.translator import translator

from ..languages import SOURCE_LANGUAGE, language_codes


def translatable_models():
    return [m for m in translator.get_registered_models() if not m._meta.abstract]


def translatable_fields(model):
    """In the order the model declares them (title before body)."""
    names = translator.get_options_for_model(model).all_fields.keys()
    order = {field.name: index for index, field in enumerate(model._meta.fields)}
    return sorted(names, key=lambda name: order.get(name, len(order)))


def text_fields(model):
    """Fields a translator writes (URLs and such stay with editors)."""
    return [
        name
        for name in translatable_fields(model)
        if isinstance(model._meta.get_field(name), models.CharField | models.TextField)
        and not isinstance(model._meta.get_field(name), models.URLField)
    ]


def required_fields(model):
    """Fields that must all be filled for an object to count as translated into a language:
    those its translation.py requires in English (``required_languages``)."""
    required = translator.get_options_for_model(model).required_languages
    if isinstance(required, dict):
        return list(required.get(SOURCE_LANGUAGE, required.get("default", ())))
    return text_fields(model)


def target_languages():
    return [code for code in language_codes() if code != SOURCE_LANGUAGE]


def column(field, language):
    return f"{field}_{language}"
