import re
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale"
TRANSLATED = ["es", "fr", "de", "ar"]


def catalogue(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    return po, mo


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_ui_string_is_translated(language):
    po, _ = catalogue(language)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]


@pytest.mark.parametrize("language", TRANSLATED)
def test_committed_mo_files_match_the_po_files(language):
    po, mo = catalogue(language)
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        assert key in compiled, f"{entry.msgid!r} is not compiled: run make messages"
        msgstr, plural = compiled[key]
        if entry.msgid_plural:
            assert {int(k): v for k, v in plural.items()} == {
                int(k): v for k, v in entry.msgstr_plural.items()
            }
        else:
            assert msgstr == entry.msgstr, entry.msgid
    assert len(compiled) - 1 <= len(po.translated_entries()), "stale strings in the .mo file"


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_known_string_really_translates(db, language):
    po, _ = catalogue(language)
    skip_link = po.find("Skip to main content").msgstr
    assert skip_link and skip_link != "Skip to main content"
    page = Client().get(f"/{language}/").content.decode()
    assert skip_link in page
    assert "Skip to main content" not in page


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_plural_has_each_form_the_language_counts(language):
    po, _ = catalogue(language)
    forms = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert sorted(int(k) for k in entry.msgstr_plural) == list(range(forms)), entry.msgid
            with translation.override(language):
                for count in (0, 1, 2, 5, 11, 100):
                    said = translation.ngettext(entry.msgid, entry.msgid_plural, count)
                    assert said in entry.msgstr_plural.values(), (entry.msgid, count, said)


def test_po_files_hold_every_ui_string_in_the_code(tmp_path):
    """Re-extract the strings into a copy of the project: nothing may be missing."""
    import os
    import shutil
    import subprocess
    import sys

    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("xgettext is missing (apt-get install gettext)")
        pytest.skip("xgettext not installed (apt-get install gettext)")
    root = LOCALE.parent
    copy = tmp_path / "project"
    shutil.copytree(
        root, copy, ignore=shutil.ignore_patterns(".venv", "var", ".git", "*.pyc", "__pycache__")
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "es",
            "--no-location",
            "--ignore=tests",
            "--ignore=var",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(copy / "locale/es/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in extracted if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert not missing, f"run make messages and translate: {missing[:10]}"
