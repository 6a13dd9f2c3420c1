import os

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Query-count and content tests measure real renders; tests/test_page_cache.py turns the
# page cache on where it is the point (it is on by default in production only).
MIDDLEWARE = [m for m in MIDDLEWARE if m not in PAGE_CACHE_MIDDLEWARE]  # noqa: F405
# Each test runs in a transaction that never commits: forget saved pages at the save, as the
# commit would (tests/test_page_refresh.py commits for real).
PAGE_CACHE_FORGET_BEFORE_COMMIT = True
# Search counts are written only where a test asks (tests/test_search_matching.py), so that
# no other test sees their queries.
SEARCH_STATS_SECONDS = 10**9

# The link checker's tests run a local web server: knowaml.outbound may request it (the first
# hop's loopback address, and redirects that stay on it), but no other loopback address.
OUTBOUND_ALLOW_LOOPBACK_FIRST_HOP = True

# Under pytest-xdist (`make test`) each worker process has its own test database (named by
# pytest-django) and its own Redis database and key prefix, so that one worker emptying the
# cache never empties another's.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and CACHES["default"]["BACKEND"] == "knowaml.cache.ResilientRedisCache":  # noqa: F405
    _number = int(_worker.removeprefix("gw"))
    _base, _, _database = CACHES["default"]["LOCATION"].rpartition("/")  # noqa: F405
    _database = int(_database) if _database.isdigit() else 0
    CACHES["default"]["LOCATION"] = f"{_base}/{_database + 1 + _number}"  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"knowaml-{_worker}"  # noqa: F405
