"""The files in deploy/ say what the README and the privacy notice promise (no stack)."""

import re
import shutil
import subprocess

import pytest

from .stack import DEPLOY, PRODUCTION_ROOT, ROOT, UNITS, read_env_file, read_unit

UNIT_FILES = ["knowaml-web@.service", "knowaml-worker.service", "knowaml-clock.service"]
# Read from the environment, but not by the application's settings files.
ENV_READERS = [
    ROOT / "knowaml",
    ROOT / "education",
    ROOT / "stories",
    ROOT / "newsletter",
    ROOT / "manage.py",
    DEPLOY / "gunicorn.conf.py",
]
# Variables an operator never sets in the env file (the process or the tests set them).
NOT_FOR_THE_ENV_FILE = {"DJANGO_SETTINGS_MODULE", "KNOWAML_ENV_FILE", "CI", "PYTEST_XDIST_WORKER"}


def environment_variables():
    """Every NAME the code reads with os.environ / os.getenv / the settings' env_* helpers."""
    pattern = re.compile(
        r"""(?:environ\.get|environ\.setdefault|getenv|environ\[|env_\w+|\b_int)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
    )
    names = set()
    for place in ENV_READERS:
        files = [place] if place.is_file() else place.rglob("*.py")
        for path in files:
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return names - NOT_FOR_THE_ENV_FILE


def test_env_example_lists_every_variable_the_code_reads():
    text = (DEPLOY / "knowaml.env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))
    # dj_database_url.config() reads DATABASE_URL without naming it in our code.
    read = environment_variables() | {"DATABASE_URL"}
    assert {"SECRET_KEY", "SITE_URL", "REDIS_URL"} <= read, "the scan found nothing"
    assert read - listed == set(), "add these to deploy/knowaml.env.example"


def test_env_example_sets_what_production_requires():
    values = read_env_file(DEPLOY / "knowaml.env.example")
    for name in (
        "DJANGO_ENV",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "SITE_URL",
        "DATABASE_URL",
        "REDIS_URL",
        "STATIC_ROOT",
        "MEDIA_ROOT",
        "TRUSTED_PROXY_COUNT",
    ):
        assert values.get(name), name
    assert values["DJANGO_ENV"] == "production"
    assert values["TRUSTED_PROXY_COUNT"] == "1", "nginx is one proxy that appends"
    assert values["SITE_URL"].startswith("https://")


@pytest.mark.parametrize("unit_name", [*UNIT_FILES, "knowaml-backup.service"])
def test_units_run_from_the_checkout_with_the_env_file_and_restart(unit_name):
    unit = read_unit(UNITS / unit_name)
    assert unit["EnvironmentFile"] == ["/etc/knowaml/knowaml.env"]
    assert unit["WorkingDirectory"] == [PRODUCTION_ROOT]
    if unit_name != "knowaml-backup.service":  # a oneshot its timer starts again
        assert unit["Restart"] == ["on-failure"]
    assert unit["User"] == ["knowaml"], "a dedicated user, never root"
    assert unit["NoNewPrivileges"] == ["yes"]
    assert unit["ProtectSystem"] == ["strict"]
    (exec_start,) = unit["ExecStart"]
    assert exec_start.startswith(f"{PRODUCTION_ROOT}/.venv/bin/")


def test_web_unit_reloads_gracefully():
    unit = read_unit(UNITS / "knowaml-web@.service")
    assert "--bind 127.0.0.1:%i" in unit["ExecStart"][0]
    assert "deploy/gunicorn.conf.py" in unit["ExecStart"][0]
    assert unit["ExecReload"] == ["/bin/kill -s HUP $MAINPID"]


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_units_pass_systemd_analyze_verify(tmp_path):
    """systemd's own checker, on the units with /srv/knowaml pointing at this checkout
    (it insists that the ExecStart programs exist)."""
    for source in UNITS.iterdir():
        name = source.name.replace("@.service", "@8001.service")
        text = source.read_text(encoding="utf-8").replace(PRODUCTION_ROOT, str(ROOT))
        (tmp_path / name).write_text(text, encoding="utf-8")
    units = sorted(str(path) for path in tmp_path.iterdir())
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *units],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_gunicorn_config_loads_and_trusts_only_the_local_proxy():
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    result = subprocess.run(
        [str(gunicorn), "-c", str(DEPLOY / "gunicorn.conf.py"), "--print-config", "knowaml.wsgi"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "GUNICORN_WORKERS": "3"},
    )
    assert result.returncode == 0, result.stderr
    config = dict(
        (line.split("=", 1)[0].strip(), line.split("=", 1)[1].strip())
        for line in result.stdout.splitlines()
        if "=" in line
    )
    assert config["worker_class"] == "sync"
    assert config["workers"] == "3"
    assert config["forwarded_allow_ips"] == "['127.0.0.1']"
    assert config["accesslog"] == "None", "the app logs each request itself"
    assert config["preload_app"] == "False", "reload (HUP) must load the new code"
    assert int(config["max_requests"]) > 0 and int(config["max_requests_jitter"]) > 0


def test_nginx_access_log_keeps_no_query_string_and_rotates_within_30_days():
    conf = (DEPLOY / "nginx" / "knowaml.conf").read_text(encoding="utf-8")
    log_format = re.search(r"log_format\s+knowaml_privacy\s+([^;]+);", conf).group(1)
    assert "$request " not in log_format and "$request_uri" not in log_format
    assert "$args" not in log_format and "$query_string" not in log_format
    assert "$http_referer" not in log_format
    assert all(
        "knowaml_privacy" in line for line in re.findall(r"^\s*access_log\s+/[^;]+;", conf, re.M)
    )
    rotate = (DEPLOY / "logrotate" / "knowaml").read_text(encoding="utf-8")
    assert "/var/log/nginx/knowaml/*.log" in rotate
    assert re.search(r"^\s*daily\s*$", rotate, re.M)
    assert int(re.search(r"^\s*rotate\s+(\d+)", rotate, re.M).group(1)) <= 29
    assert int(re.search(r"^\s*maxage\s+(\d+)", rotate, re.M).group(1)) <= 30
    privacy = (ROOT / "education" / "demo" / "privacy.toml").read_text(encoding="utf-8")
    assert "30 days" in privacy, "the privacy notice and the retention must agree"


def test_nginx_never_compresses_the_applications_answers():
    conf = (DEPLOY / "nginx" / "knowaml.conf").read_text(encoding="utf-8")
    server = conf[conf.index("listen 443 ssl http2") :]
    app = server[server.index("location / {") :]
    assert re.search(r"^\s*gzip off;", server, re.M) and re.search(r"^\s*brotli off;", server, re.M)
    assert "gzip on" not in app and "brotli on" not in app


def test_nginx_upload_limit_covers_the_apps_limits():
    conf = (DEPLOY / "nginx" / "knowaml.conf").read_text(encoding="utf-8")
    limit = re.search(r"client_max_body_size\s+(\d+)m;", conf)
    assert limit and int(limit.group(1)) >= 6, "portraits and PO files may be 5 MB"
    images = (ROOT / "stories" / "images.py").read_text(encoding="utf-8")
    assert "MAX_BYTES = 5 * 1024 * 1024" in images


def test_the_target_starts_every_process_nginx_knows():
    target = (UNITS / "knowaml.target").read_text(encoding="utf-8")
    for name in ("knowaml-web@8001", "knowaml-web@8002", "knowaml-worker", "knowaml-clock"):
        assert f"{name}.service" in target
    conf = (DEPLOY / "nginx" / "knowaml.conf").read_text(encoding="utf-8")
    assert "server 127.0.0.1:8001" in conf and "server 127.0.0.1:8002" in conf


@pytest.mark.skipif(not shutil.which("logrotate"), reason="logrotate not installed")
def test_logrotate_accepts_the_file(tmp_path):
    logs = tmp_path / "log"
    logs.mkdir()
    (logs / "access.log").write_text("x\n")
    text = (DEPLOY / "logrotate" / "knowaml").read_text(encoding="utf-8")
    text = text.replace("/var/log/nginx/knowaml", str(logs))
    conf = tmp_path / "knowaml"
    conf.write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["logrotate", "--debug", "--state", str(tmp_path / "state"), str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
