"""Record which English text each saved translation was made from."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from ..languages import SOURCE_LANGUAGE, is_blank, language_codes
from ..text import normalise_text
from .models import TranslationRecord, source_hash
from .registry import column, target_languages, text_fields, translatable_models


def current_user():
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def normalise_columns(sender, instance, raw=False, **kwargs):
    if raw:
        return
    for name in text_fields(sender):
        for code in language_codes():
            attribute = column(name, code)
            setattr(instance, attribute, normalise_text(getattr(instance, attribute)))


def remember_previous(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._translation_previous = {}
        return
    columns = [column(f, code) for f in text_fields(sender) for code in target_languages()]
    row = sender._base_manager.filter(pk=instance.pk).values(*columns).first()
    instance._translation_previous = row or {}


def record_translations(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    previous = getattr(instance, "_translation_previous", {})
    content_type = ContentType.objects.get_for_model(sender)
    existing = {
        (r.field, r.language): r
        for r in TranslationRecord.objects.filter(content_type=content_type, object_id=instance.pk)
    }
    now = timezone.now()
    user = current_user()
    for name in text_fields(sender):
        english = getattr(instance, column(name, SOURCE_LANGUAGE)) or ""
        for code in target_languages():
            value = getattr(instance, column(name, code))
            record = existing.get((name, code))
            if is_blank(value):
                if record:
                    record.delete()
                continue
            if record and previous.get(column(name, code)) == value:
                continue
            TranslationRecord.objects.update_or_create(
                content_type=content_type,
                object_id=instance.pk,
                field=name,
                language=code,
                defaults={
                    "source_hash": source_hash(english),
                    "source_text": english,
                    "translated_at": now,
                    "translated_by": user,
                    "reviewed_at": None,
                    "reviewed_by": None,
                },
            )


def connect():
    for model in translatable_models():
        pre_save.connect(
            normalise_columns, sender=model, dispatch_uid=f"tr-normalise-{model._meta.label}"
        )
        pre_save.connect(
            remember_previous, sender=model, dispatch_uid=f"tr-pre-{model._meta.label}"
        )
        post_save.connect(
            record_translations, sender=model, dispatch_uid=f"tr-post-{model._meta.label}"
        )
