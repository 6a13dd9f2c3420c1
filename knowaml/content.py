"""Translated content: when it counts as translated, its English fallback, its addresses.

A text counts as translated into a language when every field its app's translation.py
requires in English is filled in that language. That one rule answers for a single object
(``is_translated_into``) and for the database (``TranslatedQuerySet.translated_into``).
The translators' side (who translated what, PO files, the dashboard) is the ``translations``
package.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.translator import translator

from .languages import SOURCE_LANGUAGE, is_blank, language_codes, language_name_local
from .slughistory.models import OldSlug
from .translations.registry import column, required_fields

SOURCE_SLUG = column("slug", SOURCE_LANGUAGE)


class Status(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    PUBLISHED = "published", gettext_lazy("Published")
    TAKEN_DOWN = "taken-down", gettext_lazy("Taken down")


class Scheduled(models.Model):
    """When a page goes live and when it comes down, carried out by knowaml/publishing.py."""

    go_live_at = models.DateTimeField(
        gettext_lazy("go live at"),
        null=True,
        blank=True,
        help_text=gettext_lazy("Leave the status as Draft: it is published at this time."),
    )
    take_down_at = models.DateTimeField(
        gettext_lazy("take down at"),
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "From this time visitors are told the page was taken down (410 Gone)."
        ),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.go_live_at and self.take_down_at and self.take_down_at <= self.go_live_at:
            raise ValidationError(
                {"take_down_at": _("The page must come down after it goes live.")}
            )


def translated_condition(model, language):
    """Rows whose required text is filled in ``language`` (saved text is never only spaces)."""
    condition = Q()
    for name in required_fields(model):
        filled = column(name, language)
        condition &= Q(**{f"{filled}__isnull": False}) & ~Q(**{filled: ""})
    return condition


def missing_translation(obj, language):
    """The required fields of ``obj`` still blank in ``language``."""
    return [
        name
        for name in required_fields(type(obj))
        if is_blank(getattr(obj, column(name, language)))
    ]


class TranslatedQuerySet(models.QuerySet):
    def translated_into(self, language):
        return self.filter(translated_condition(self.model, language))


class PublishableQuerySet(TranslatedQuerySet):
    """Content with a status and a publication date: health pages and stories."""

    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def newest_first(self):
        return self.order_by("-published", "-pk")

    def in_language_first(self, language):
        """Newest first, but those translated into ``language`` before the rest."""
        translated = Case(
            When(translated_condition(self.model, language), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        return self.alias(in_language=translated).order_by("-in_language", "-published", "-pk")


class Translatable:
    """Which languages an object's text is translated into; mixed into translated models."""

    def is_translated_into(self, language):
        return not missing_translation(self, language)

    def translated_languages(self):
        return [code for code in language_codes() if self.is_translated_into(code)]

    def display_language(self, language):
        return language if self.is_translated_into(language) else SOURCE_LANGUAGE


class Localized:
    """An object seen in one language: the requested one if translated, else English."""

    def __init__(self, obj, requested_language):
        self.object = obj
        self.requested_language = requested_language
        self.language = obj.display_language(requested_language)
        self.is_fallback = self.language != requested_language

    def __getattr__(self, name):
        obj = self.object
        if name in obj.translatable_field_names():
            value = getattr(obj, f"{name}_{self.language}")
            # An empty file field is falsy but not a blank string.
            if (is_blank(value) or not value) and self.language != SOURCE_LANGUAGE:
                value = getattr(obj, f"{name}_{SOURCE_LANGUAGE}")
            return value or ""
        return getattr(obj, name)


def slug_constraints(model_name):
    """One unique constraint per language column of ``slug``; blank slugs are NULL."""
    return [
        models.UniqueConstraint(fields=[f"slug_{code}"], name=f"{model_name}_unique_slug_{code}")
        for code in language_codes()
    ]


class TranslatedContent(Translatable, models.Model):
    """Abstract base for translated pages addressed by a per-language slug."""

    objects = TranslatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        previous = None
        if self.pk:
            columns = [f"slug_{code}" for code in language_codes()]
            previous = type(self)._base_manager.filter(pk=self.pk).values(*columns).first()
        for code in language_codes():
            if is_blank(getattr(self, f"slug_{code}")):
                setattr(self, f"slug_{code}", None)
        super().save(*args, **kwargs)
        if previous:
            self._remember_old_slugs(previous)

    def _remember_old_slugs(self, previous):
        content_type = ContentType.objects.get_for_model(type(self))
        for code in language_codes():
            old = previous[f"slug_{code}"]
            if old and old != getattr(self, f"slug_{code}"):
                OldSlug.objects.update_or_create(
                    content_type=content_type,
                    language=code,
                    slug=old,
                    defaults={"object_id": self.pk},
                )

    @classmethod
    def translatable_field_names(cls):
        return translator.get_options_for_model(cls).all_fields.keys()

    def value_in(self, name, language):
        return getattr(self, f"{name}_{language}")

    def localized(self, language=None):
        return Localized(self, language or translation.get_language())

    def effective_slug(self, language=None):
        language = language or translation.get_language()
        return self.value_in("slug", language) or self.value_in("slug", SOURCE_LANGUAGE)

    def clean(self):
        super().clean()
        if is_blank(self.value_in("slug", SOURCE_LANGUAGE)):
            # Without it every link to the page would point at /…/None/.
            raise ValidationError(
                {
                    SOURCE_SLUG: _(
                        "Every page needs an English web address (slug). It fills in from "
                        "the English title as you type; you can shorten it."
                    )
                }
            )
        self.check_effective_slugs()

    def address_neighbours(self):
        """Querysets of other kinds of page that share this kind's addresses."""
        return []

    def address_is_fixed(self, language, slug):
        """True where the site itself answers at this slug (a URL word such as /es/historias/)."""
        return False

    def check_effective_slugs(self):
        """No two pages of this kind may answer the same address in any language."""
        errors = {}
        spaces = [type(self)._base_manager.exclude(pk=self.pk), *self.address_neighbours()]
        for code in language_codes():
            slug = self.effective_slug(code)
            if not slug:
                continue
            empty = Q(**{f"slug_{code}__isnull": True}) | Q(**{f"slug_{code}": ""})
            taken = Q(**{f"slug_{code}": slug}) | (empty & Q(**{SOURCE_SLUG: slug}))
            if self.address_is_fixed(code, slug) or any(
                space.filter(taken).exists() for space in spaces
            ):
                field = f"slug_{code}" if not is_blank(self.value_in("slug", code)) else SOURCE_SLUG
                errors.setdefault(field, []).append(
                    ValidationError(
                        _(
                            "Another page already uses the address “%(slug)s” in "
                            "%(language)s. Choose a different slug."
                        ),
                        params={
                            "slug": slug,
                            "language": language_name_local(code),
                        },
                        code="slug_clash",
                    )
                )
        if errors:
            raise ValidationError(errors)


def find_by_slug(language, slug, *querysets):
    """Return ``(object, is_canonical)`` for ``slug`` under ``language``, or raise Http404.

    Querysets share one address space and are searched in order. A slug of another
    language, or a slug the page used to have, finds the page but is not canonical, so
    the caller redirects.
    """
    empty = Q(**{f"slug_{language}__isnull": True}) | Q(**{f"slug_{language}": ""})
    here = Q(**{f"slug_{language}": slug}) | (empty & Q(**{SOURCE_SLUG: slug}))
    for queryset in querysets:
        obj = queryset.filter(here).first()
        if obj is not None:
            return obj, True
    elsewhere = Q()
    for code in language_codes():
        elsewhere |= Q(**{f"slug_{code}": slug})
    for queryset in querysets:
        obj = queryset.filter(elsewhere).first()
        if obj is None:
            old_ids = OldSlug.objects.for_model(queryset.model).filter(slug=slug)
            obj = queryset.filter(pk__in=old_ids.values("object_id")).first()
        if obj is not None:
            return obj, False
    raise Http404


def fixed_route_at(language, path, own_route):
    """Whether ``path`` under ``language`` is served by some other route than ``own_route``."""
    with translation.override(language):
        try:
            match = resolve(f"/{language}/{path}")
        except Resolver404:
            return False
    return match.view_name != own_route
