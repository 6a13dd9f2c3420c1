"""Every app of ours migrates back to zero and forward again, on a scratch database.

The scratch database is new and empty (SQLite always; PostgreSQL too when DATABASE_URL
points at one) and the commands run in a subprocess, so the test database is untouched.
Only the project's own apps go back to zero: third-party migrations are not ours to
change, and django-tasks-db's 0013 cannot be reversed.
"""

import json
import os
import secrets
import subprocess
import sys
from contextlib import contextmanager
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings

POSTGRES_URL = os.environ.get("DATABASE_URL", "")
ENGINES = ["sqlite", "postgresql"] if POSTGRES_URL.startswith("postgres") else ["sqlite"]


@contextmanager
def scratch_database(engine, tmp_path):
    """Yield the DATABASE_URL of a new, empty database, dropped afterwards."""
    if engine == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    name = f"knowaml_scratch_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(POSTGRES_URL)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as server:
            server.execute(f'DROP DATABASE "{name}"')


def manage(*args, database_url, **env):
    """Run manage.py with the tests' settings on another database."""
    return subprocess.run(
        [sys.executable, "manage.py", *map(str, args)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url, **env},
        capture_output=True,
        text=True,
    )


ROUND_TRIP = """
import json, sys
from pathlib import Path
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

def ours(label):
    path = Path(apps.get_app_config(label).path)
    return path.is_relative_to(settings.BASE_DIR) and not path.is_relative_to(sys.prefix)

def tables_of(label):
    models = apps.get_app_config(label).get_models(include_auto_created=True)
    return sorted({m._meta.db_table for m in models} & set(connection.introspection.table_names()))

call_command("migrate", verbosity=0)
left_at_zero = {}
for label in sorted(filter(ours, MigrationExecutor(connection).loader.migrated_apps)):
    call_command("migrate", label, "zero", verbosity=0)
    left_at_zero[label] = tables_of(label)
call_command("migrate", verbosity=0)
executor = MigrationExecutor(connection)
pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
print(json.dumps({"left_at_zero": left_at_zero, "pending": [str(m) for m, _ in pending]}))
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_every_app_migrates_back_to_zero_and_forward_again(engine, tmp_path):
    with scratch_database(engine, tmp_path) as url:
        result = manage("shell", "--no-imports", "-c", ROUND_TRIP, database_url=url)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    apps = report["left_at_zero"]
    assert {"education", "stories", "newsletter", "translations", "feedback"} <= apps.keys()
    assert apps == {label: [] for label in apps}, "tables left behind at zero"
    assert report["pending"] == []
