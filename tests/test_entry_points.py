"""Every entry point chooses settings the same way, and a server refuses to start broken."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OWN = (
    "DJANGO",
    "DATABASE",
    "REDIS",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "DEBUG",
    "KNOWAML",
    "STATIC_ROOT",
    "PAGE_CACHE",
)


def run(args, env=None, timeout=120):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(OWN)}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


SHOW = (
    "from django.conf import settings; "
    "print(settings.ENVIRONMENT, settings.DEBUG, settings.STORAGES['staticfiles']['BACKEND'])"
)


@pytest.fixture
def production_env_file(tmp_path):
    path = tmp_path / "knowaml.env"
    path.write_text(
        "# as systemd's EnvironmentFile= reads it\n"
        "DJANGO_ENV=production\n"
        f"SECRET_KEY='{'k' * 60}-not-for-real-use'\n"
        "ALLOWED_HOSTS=knowaml.example\n"
        "SITE_URL=https://knowaml.example\n"
        f"DATABASE_URL=sqlite:///{tmp_path / 'db.sqlite3'}\n"
        f"STATIC_ROOT={tmp_path / 'static'}\n"
    )
    return {"KNOWAML_ENV_FILE": str(path)}


def test_manage_py_and_wsgi_read_the_same_environment_file(production_env_file):
    """The operator's mistake from the issue: collectstatic by hand, then gunicorn."""
    refused = run(["-c", "import knowaml.wsgi"], production_env_file)
    assert refused.returncode != 0
    assert "run `manage.py collectstatic --noinput`" in refused.stderr.strip().splitlines()[-1]

    for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "-v0"]):
        done = run(["manage.py", *command], production_env_file, timeout=300)
        assert done.returncode == 0, done.stderr

    shown = run(["manage.py", "shell", "--no-imports", "-c", SHOW], production_env_file)
    served = run(["-c", f"import knowaml.wsgi; {SHOW}"], production_env_file)
    assert served.returncode == 0, served.stderr
    expected = "production False whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert shown.stdout.strip() == served.stdout.strip().splitlines()[-1] == expected


def test_a_server_never_runs_with_debug_unless_told(tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    assert run(["manage.py", "shell", "--no-imports", "-c", SHOW], database).stdout.split()[:2] == [
        "development",
        "True",
    ]
    for module in ("knowaml.wsgi", "knowaml.asgi"):
        served = run(["-c", f"import {module}; {SHOW}"], database)
        assert served.returncode == 0, served.stderr
        assert served.stdout.strip().splitlines()[-1].split()[:2] == ["development", "False"]
    told = run(["-c", f"import knowaml.wsgi; {SHOW}"], {**database, "DEBUG": "1"})
    assert told.stdout.strip().splitlines()[-1].split()[:2] == ["development", "True"]


def test_pending_migrations_are_logged_and_reported_by_health(tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    health = (
        "import knowaml.wsgi; from django.test import Client; "
        "print(Client().get('/health/', HTTP_HOST='127.0.0.1').content.decode())"
    )
    result = run(["-c", health], database)
    assert result.returncode == 0, result.stderr
    assert "migrations are not applied" in result.stdout + result.stderr
    assert "run `manage.py migrate`" in result.stdout + result.stderr
    body = json.loads(result.stdout.strip().splitlines()[-1])
    assert body["status"] == "ok" and body["migrations_pending"] > 10


def test_a_database_that_is_not_there_yet_is_waited_for(tmp_path):
    unreachable = {
        "DATABASE_URL": "postgres://knowaml:knowaml@127.0.0.1:9/knowaml",
        "DATABASE_WAIT_SECONDS": "3",
    }
    result = run(["-c", "import knowaml.wsgi"], unreachable)
    output = result.stdout + result.stderr
    assert output.count("Database not reachable yet") >= 2
    assert result.returncode != 0


def test_an_unreadable_environment_file_is_one_clear_line(tmp_path):
    result = run(["manage.py", "check"], {"KNOWAML_ENV_FILE": str(tmp_path)})
    assert result.returncode != 0
    assert result.stderr.strip().startswith(f"Cannot read the environment file {tmp_path}")
    assert "Traceback" not in result.stderr


def test_a_mistyped_environment_name_refuses_to_start():
    result = run(["manage.py", "check"], {"DJANGO_ENV": "prod"})
    assert result.returncode != 0
    assert "DJANGO_ENV must be 'production' or 'development', not 'prod'" in result.stderr
