import hashlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from ..languages import SOURCE_LANGUAGE


def english_name(code):
    # Permission names are stored in the database, so they are English, never lazy.
    return get_language_info(code)["name"]


TRANSLATED_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def source_hash(text):
    return hashlib.sha256((text or "").strip().encode()).hexdigest()[:16]


def translate_permission(code):
    return f"translate_{code}"


def review_permission(code):
    return f"review_{code}"


class TranslationRecordQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        )

    def for_objects(self, model, ids):
        return self.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)


class TranslationRecord(models.Model):
    """Which English text one field's translation was made from, and who checked it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("field"), max_length=100)
    language = models.CharField(_("language"), max_length=10)
    source_hash = models.CharField(_("English version"), max_length=16)
    source_text = models.TextField(_("English text translated"), blank=True)
    translated_at = models.DateTimeField(_("translated"))
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("translated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TranslationRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("translation record")
        verbose_name_plural = _("translation records")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="one_translation_record_per_field",
            )
        ]
        permissions = [
            ("edit_all_languages", "Can edit the English source and every language"),
            *[
                (translate_permission(code), f"Can translate into {english_name(code)}")
                for code in TRANSLATED_LANGUAGES
            ],
            *[
                (review_permission(code), f"Can review {english_name(code)} translations")
                for code in TRANSLATED_LANGUAGES
            ],
        ]

    def __str__(self):
        return f"{self.content_type} {self.object_id} {self.field} [{self.language}]"

    def is_stale(self, current_english):
        return self.source_hash != source_hash(current_english)
