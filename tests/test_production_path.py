import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_on_postgresql_and_redis():
    if not os.environ.get("CI"):
        pytest.skip("CI runs the suite on PostgreSQL and Redis (make services, DATABASE_URL)")
    assert connection.vendor == "postgresql"
    assert isinstance(caches["default"], RedisCache)
    cache.set("ci-check", "ok")
    assert cache.get("ci-check") == "ok"


def run_settings(env):
    # The browser tests allow sync ORM calls next to Playwright's loop; a deployment must not.
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "knowaml.settings", **env},
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_secret_key_hosts_and_public_address():
    result = run_settings({"DJANGO_ENV": "production"})
    assert result.returncode != 0
    assert all(name in result.stderr for name in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"))


def test_production_settings_pass_the_deploy_check():
    result = run_settings(
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": "x" * 60 + "production-test-key-with-enough-entropy",
            "ALLOWED_HOSTS": "knowaml.example",
            "SITE_URL": "https://knowaml.example",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_development_needs_no_configuration():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_no_model_changes_without_a_migration():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
