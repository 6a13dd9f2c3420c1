"""Rows saved before text was tidied on entry are tidied once, without flagging translations."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("translations", "0002_groups"),
    ("education", "0005_self_hosted_video"),
    ("stories", "0003_generated_portrait_names"),
    ("newsletter", "0003_permissions_and_audit"),
]
TIDY = [("translations", "0003_tidy_text_and_english_slugs")]


def fingerprint(text):
    return hashlib.sha256(text.strip().encode()).hexdigest()[:16]


@pytest.mark.django_db(transaction=True)
def test_old_rows_get_plain_line_ends_and_an_english_slug():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Section = apps.get_model("education", "Section")
    Article = apps.get_model("education", "Article")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Record = apps.get_model("translations", "TranslationRecord")
    section = Section.objects.create(title_en="Understanding AML", slug_en="understanding-aml")
    taken = Article.objects.create(
        section=section, title_en="Relapse", slug_en="relapse", summary_en="s", body_en="b"
    )
    english = "Relapse means AML has come back.  \r\n\r\nNew text.\r\n"
    article = Article.objects.create(
        section=section,
        title_en="Relapse",
        slug_en=None,
        summary_en="s",
        body_en=english,
        body_es="La recaída.\r\n\r\nTexto.",
        status="published",
    )
    article_type, _ = ContentType.objects.get_or_create(app_label="education", model="article")
    Record.objects.create(
        content_type=article_type,
        object_id=article.pk,
        field="body",
        language="es",
        source_hash=fingerprint(english),
        source_text=english,
        translated_at="2026-01-01T00:00Z",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(TIDY)
    apps = executor.loader.project_state(TIDY).apps
    tidied = apps.get_model("education", "Article").objects.get(pk=article.pk)
    assert tidied.body_en == "Relapse means AML has come back.\n\nNew text."
    assert tidied.body_es == "La recaída.\n\nTexto."
    assert tidied.slug_en == "relapse-2"
    assert apps.get_model("education", "Article").objects.get(pk=taken.pk).slug_en == "relapse"
    record = apps.get_model("translations", "TranslationRecord").objects.get()
    assert record.source_hash == fingerprint(tidied.body_en), "the translation is still current"

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
