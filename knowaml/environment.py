"""How every entry point (manage.py, WSGI, ASGI) chooses its settings: one rule, one place.

The process environment wins; missing variables come from an environment file — the one
systemd's ``EnvironmentFile=`` reads in production — so ``manage.py collectstatic`` run by
hand and the gunicorn unit can never disagree about ``DJANGO_ENV``. With neither, the
site runs in development. Server entry points never turn ``DEBUG`` on unless told to.
"""

import os
from pathlib import Path

DEFAULT_ENV_FILE = Path("/etc/knowaml/knowaml.env")


def read_env_file(path):
    """systemd EnvironmentFile= syntax: KEY=value lines, # and ; comments, quotes optional."""
    values = {}
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line[0] in "#;" or "=" not in line:
            continue
        name, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def env_file_path():
    named = os.environ.get("KNOWAML_ENV_FILE")
    if named:
        return Path(named)
    return DEFAULT_ENV_FILE if DEFAULT_ENV_FILE.is_file() else None


def configure(server=False):
    path = env_file_path()
    if path is not None:
        try:
            values = read_env_file(path)
        except OSError as error:
            raise SystemExit(
                f"Cannot read the environment file {path} ({error.strerror}): run as the "
                "site's user (sudo -u knowaml …) or set KNOWAML_ENV_FILE."
            ) from None
        for name, value in values.items():
            os.environ.setdefault(name, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knowaml.settings")
    os.environ.setdefault("DJANGO_ENV", "development")
    if server:
        os.environ.setdefault("DEBUG", "0")
