"""Existing rows as the entry points now store text: LF line ends, no trailing spaces, and
an English slug on every page (earlier an admin form could save one without, and its links
pointed at /…/None/)."""

import hashlib
import re

from django.db import migrations
from django.utils.text import slugify

TEXT_COLUMNS = {
    ("education", "section"): ("title", "summary", "intro"),
    ("education", "article"): (
        "title",
        "summary",
        "body",
        "reviewer_role",
        "video_title",
        "transcript",
    ),
    ("education", "page"): ("title", "summary", "body", "reviewer_role"),
    ("education", "glossaryterm"): ("term", "definition", "also_matches"),
    ("stories", "story"): ("title", "summary", "body", "portrait_alt", "transcript"),
    ("newsletter", "issue"): ("subject", "body"),
}
LANGUAGES = ("en", "es", "fr", "de", "ar")
SPACE_AT_LINE_END = re.compile(r"[^\S\n]+$", re.MULTILINE)


def tidy(value):
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return SPACE_AT_LINE_END.sub("", value).strip("\n").rstrip()


def fingerprint(text):
    return hashlib.sha256((text or "").strip().encode()).hexdigest()[:16]


def free_slug(model, obj, title):
    field = model._meta.get_field("slug_en")
    base = slugify(title or "", allow_unicode=True)[: field.max_length - 8] or f"page-{obj.pk}"
    slug, number = base, 1
    while model._base_manager.filter(slug_en=slug).exclude(pk=obj.pk).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    TranslationRecord = apps.get_model("translations", "TranslationRecord")
    for (app_label, model_name), names in TEXT_COLUMNS.items():
        model = apps.get_model(app_label, model_name)
        content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
        has_slug = any(f.name == "slug_en" for f in model._meta.fields)
        for obj in model._base_manager.all():
            changes = {}
            for name in names:
                for code in LANGUAGES:
                    old = getattr(obj, f"{name}_{code}")
                    if tidy(old) != old:
                        changes[f"{name}_{code}"] = tidy(old)
                english = changes.get(f"{name}_en")
                if english is not None and content_type is not None:
                    TranslationRecord.objects.filter(
                        content_type=content_type,
                        object_id=obj.pk,
                        field=name,
                        source_hash=fingerprint(getattr(obj, f"{name}_en")),
                    ).update(source_hash=fingerprint(english), source_text=english)
            if has_slug and not (obj.slug_en or "").strip():
                title = changes.get("title_en", getattr(obj, "title_en", None)) or getattr(
                    obj, "term_en", None
                )
                changes["slug_en"] = free_slug(model, obj, title)
            if changes:
                model._base_manager.filter(pk=obj.pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("translations", "0002_groups"),
        ("education", "0005_self_hosted_video"),
        ("stories", "0003_generated_portrait_names"),
        ("newsletter", "0003_permissions_and_audit"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
