"""The demo editor can send newsletter tests to an address of its own."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


@pytest.fixture
def development(settings, tmp_path):
    settings.DEBUG = True
    settings.PRODUCTION = False
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": tmp_path / "mail"},
        }
    }
    return tmp_path / "mail"


def run():
    out = io.StringIO()
    call_command("create_demo_admin", stdout=out)
    return out.getvalue()


def test_demo_editor_has_an_email_address_and_is_told_where_mail_lands(db, development):
    output = run()
    editor = get_user_model().objects.get(username="editor")
    assert editor.email == "editor@example.org"
    assert str(development) in output


def test_an_existing_demo_editor_without_an_address_gets_one(db, development):
    get_user_model().objects.create_superuser("editor", "", "changed-by-the-developer")
    run()
    editor = get_user_model().objects.get(username="editor")
    assert editor.email == "editor@example.org"
    assert editor.check_password("changed-by-the-developer")


def test_an_address_the_developer_chose_is_kept(db, development):
    get_user_model().objects.create_superuser("editor", "me@example.net", "pw")
    run()
    assert get_user_model().objects.get(username="editor").email == "me@example.net"
