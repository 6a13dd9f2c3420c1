"""`manage.py backup` and `manage.py restore`: every language's content comes back.

The backup is taken from the test database; the restore runs in a subprocess into a new,
empty database of the same engine (a SQLite file, or a scratch PostgreSQL database when
DATABASE_URL points at PostgreSQL), which is then read back with `manage.py dumpdata`.
"""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from education.models import Page
from knowaml.translations.models import TranslationRecord
from newsletter.models import Subscriber
from stories.models import Story

from .conftest import LANGUAGES, make_article, page_text, translations
from .glossary_fixtures import make_term
from .stories_fixtures import make_story, portrait_file, story_text
from .test_migrations import manage, scratch_database

# Sample text per language, with the accents and the right-to-left script a dump could lose.
WORDS = {"en": "Remission", "es": "Remisión", "fr": "Rémission", "de": "Remission", "ar": "الهدأة"}


@pytest.fixture
def content_in_every_language(site, glossary, rosa, make_subscriber):
    """The demo-like site plus one article, page, story and term in all five languages."""
    make_article(
        site["section"],
        order=3,
        **{code: page_text(f"remission-{code}", WORDS[code]) for code in LANGUAGES},
    )
    Page.objects.create(
        status=Page.Status.PUBLISHED,
        **translations(**{code: page_text(f"policy-{code}", WORDS[code]) for code in LANGUAGES}),
    )
    make_story(
        first_name="Lina",
        portrait=portrait_file("lina.jpg", width=700, height=700),
        consent_on_file=datetime.date(2026, 2, 14),
        **{code: story_text(f"my-remission-{code}", WORDS[code]) for code in LANGUAGES},
    )
    make_term(
        **{
            code: {"term": WORDS[code], "slug": f"term-{code}", "definition": WORDS[code]}
            for code in LANGUAGES
        }
    )
    for code in LANGUAGES:
        make_subscriber(
            code,
            consent_at=timezone.now(),
            consent_page=f"/{code}/",
            consent_wording="2026-01",
        )


def dumpdata():
    output = io.StringIO()
    call_command("dumpdata", stdout=output)
    return json.loads(output.getvalue())


def files(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def backup(tmp_path):
    call_command("backup", tmp_path / "backups", stdout=io.StringIO())
    [folder] = (tmp_path / "backups").iterdir()
    return folder


@pytest.mark.django_db(transaction=True)  # pg_dump, another process, sees committed data only
def test_backup_restores_every_language_into_an_empty_database(
    content_in_every_language, tmp_path, media_root
):
    for code in LANGUAGES[1:]:
        assert TranslationRecord.objects.filter(language=code).exists(), code
    assert Subscriber.objects.filter(consent_wording="2026-01").count() == len(LANGUAGES)
    assert Story.objects.filter(consent_on_file__isnull=False, portrait__gt="").count() == 2
    folder = backup(tmp_path)
    assert folder.name.startswith("knowaml-")
    assert folder.stat().st_mode & 0o077 == 0, "subscribers' addresses readable by others"

    restored_media = tmp_path / "restored-media"
    with scratch_database(connection.vendor, tmp_path) as url:
        restore = manage("restore", folder, database_url=url, MEDIA_ROOT=restored_media)
        assert restore.returncode == 0, restore.stderr
        restored = manage("dumpdata", database_url=url)
        again = manage("restore", folder, database_url=url, MEDIA_ROOT=restored_media)

    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout) == dumpdata()
    assert files(media_root) and files(restored_media) == files(media_root)
    assert again.returncode == 1
    assert "is not empty" in again.stderr and "--force" in again.stderr


def test_restore_refuses_a_database_that_has_tables(transactional_db, tmp_path, make_subscriber):
    make_subscriber("es")
    folder = backup(tmp_path)
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", folder)
    assert Subscriber.objects.count() == 1


def test_restore_names_what_a_backup_folder_needs(db, tmp_path):
    with pytest.raises(CommandError, match="media.tar"):
        call_command("restore", tmp_path)
