"""A production-shaped Know AML on loopback, built from the files in deploy/.

PostgreSQL 15 and Redis (private instances on free ports, so restarting or freezing them
disturbs nobody else on the machine), nginx with a self-signed certificate, two gunicorn
instances, db_worker and the clock — each process started from the ExecStart line and
EnvironmentFile of its systemd unit, with /srv/knowaml replaced by this checkout — and an
SMTP listener (aiosmtpd) in the test process. No systemd runs here; Stack does its job.

Every child runs under `setpriv --pdeathsig TERM` in its own process group: if pytest
dies, however it dies, the children get SIGTERM; normally Stack.stop() ends them all.
"""

import asyncio
import email
import email.policy
import http.client
import http.cookies
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from knowaml.environment import read_env_file

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
PRODUCTION_ROOT = "/srv/knowaml"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
HOST = "knowaml.test"
# What systemd gives a service: its default PATH, and no other variable of ours.
BASE_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
}


class StackError(AssertionError):
    pass


def wait_for(predicate, timeout, message, interval=0.2):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = predicate()
        except Exception as error:  # noqa: BLE001 - reported if it never succeeds
            value, last_error = None, error
        if value:
            return value
        if time.monotonic() > deadline:
            detail = f" (last error: {last_error!r})" if last_error else ""
            raise StackError(f"Timed out after {timeout} s: {message}{detail}")
        time.sleep(interval)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------------------
# systemd files, read the way systemd reads them (the parts the units use)
# ---------------------------------------------------------------------------------------


def read_unit(path):
    """The [Service] settings of a unit file: {name: [values]}, in file order."""
    settings, section = {}, None
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        if section == "Service" and "=" in line:
            name, value = line.split("=", 1)
            settings.setdefault(name.strip(), []).append(value.strip())
    return settings


@dataclass
class UnitCommand:
    argv: list
    env: dict
    cwd: Path
    post: list = field(default_factory=list)  # ExecStartPost= commands


def unit_command(unit_name, env_file, instance=None, paths=None):
    """What systemd would run for ``unit_name`` here: its ExecStart, in its
    WorkingDirectory, with its Environment= and EnvironmentFile= variables (the
    production env file replaced by ``env_file``) and nothing else from our environment.
    ``paths`` maps other production paths to scratch ones.
    """
    unit = read_unit(UNITS / unit_name)
    replacements = {PRODUCTION_ROOT: str(ROOT), **(paths or {})}

    def here(value):
        for old, new in replacements.items():
            value = value.replace(old, str(new))
        return value.replace("%i", str(instance)) if instance is not None else value

    def command(line):
        argv = shlex.split(here(line))
        if "%" in " ".join(argv):
            raise StackError(f"{unit_name}: unexpanded specifier in {argv}")
        return argv

    (exec_start,) = unit["ExecStart"]
    (working_directory,) = unit["WorkingDirectory"]
    env = dict(BASE_ENV)
    for assignment in unit.get("Environment", []):
        for item in shlex.split(here(assignment)):
            name, _, value = item.partition("=")
            env[name] = value
    files = unit.get("EnvironmentFile", [])
    if files != ["/etc/knowaml/knowaml.env"]:
        raise StackError(f"{unit_name}: EnvironmentFile is {files}, not /etc/knowaml/knowaml.env")
    env.update(read_env_file(env_file))
    return UnitCommand(
        argv=command(exec_start),
        env=env,
        cwd=Path(here(working_directory)),
        post=[command(line) for line in unit.get("ExecStartPost", [])],
    )


# ---------------------------------------------------------------------------------------
# Child processes
# ---------------------------------------------------------------------------------------


class Process:
    def __init__(self, name, argv, env, cwd, log_path, user=None):
        self.name, self.argv, self.env, self.cwd = name, argv, env, cwd
        self.log_path, self.user = Path(log_path), user
        self.popen = None

    def start(self):
        wrapper = ["setpriv", "--pdeathsig", "TERM"]
        if self.user:
            wrapper += [f"--reuid={self.user}", f"--regid={self.user}", "--init-groups"]
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child
        log.write(f"--- {time.strftime('%X')} start {shlex.join(self.argv)}\n".encode())
        log.flush()
        self.popen = subprocess.Popen(
            [*wrapper, "--", *self.argv],
            env=self.env,
            cwd=self.cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        return self

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, signum):
        try:
            os.killpg(self.popen.pid, signum)
        except ProcessLookupError:
            pass

    def stop(self, signum=signal.SIGTERM, timeout=15):
        """Stop the whole process group: ``signum``, then SIGKILL after ``timeout`` s."""
        if self.popen is None:
            return None
        self.signal_group(signal.SIGCONT)  # a frozen process cannot act on SIGTERM
        self.signal_group(signum)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.signal_group(signal.SIGKILL)
            self.popen.wait(10)
        # Stragglers in the group (gunicorn workers, nginx workers) go too.
        self.signal_group(signal.SIGKILL)
        return self.popen.returncode

    def log(self):
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def tail(self, lines=40):
        return "\n".join(self.log().splitlines()[-lines:])


# ---------------------------------------------------------------------------------------
# SMTP listener
# ---------------------------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list
    message: email.message.EmailMessage
    at: float = field(default_factory=time.monotonic)

    @property
    def subject(self):
        return str(self.message["Subject"] or "")

    def text(self):
        parts = []
        for part in self.message.walk():
            if part.get_content_maintype() == "text":
                parts.append(part.get_content())
        return "\n".join(parts)


class SmtpSink:
    """Accepts every message. ``delay`` makes each DATA answer wait, as a slow relay does;
    the message counts as received (it may be delivered) as soon as its data arrived."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.delay = 0.0
        self.in_flight = 0  # messages received but not yet answered
        self.controller = None
        self.port = None

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
            self.in_flight += 1
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
        finally:
            with self.lock:
                self.in_flight -= 1
        return "250 Message accepted"

    def start(self):
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()

    def snapshot(self):
        with self.lock:
            return list(self.messages)

    def to(self, address):
        return [m for m in self.snapshot() if address in m.rcpt_tos]

    def wait_for(self, address, timeout=30, count=1):
        return wait_for(
            lambda: len(self.to(address)) >= count and self.to(address),
            timeout,
            f"{count} email(s) to {address} at the SMTP listener",
        )


# ---------------------------------------------------------------------------------------
# HTTP over loopback, with the public host name (SNI, Host) of the site
# ---------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    def header(self, name, default=None):
        """The header's value; repeated headers joined with ", " as HTTP allows."""
        values = self.headers.get_all(name)
        return ", ".join(values) if values else default

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


class _SNIConnection(http.client.HTTPSConnection):
    def __init__(self, port, server_name, context, timeout):
        super().__init__("127.0.0.1", port, context=context, timeout=timeout)
        self.server_name = server_name

    def connect(self):
        http.client.HTTPConnection.connect(self)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.server_name)


class Browser:
    """Requests to one listener with a cookie jar. ``tls`` for nginx's HTTPS port; plain
    HTTP (as nginx would forward it) for a gunicorn instance."""

    def __init__(self, port, host_header, tls_context=None, server_name=HOST, via_proxy=False):
        self.port, self.host_header = port, host_header
        self.tls_context, self.server_name = tls_context, server_name
        self.via_proxy = via_proxy  # talk to gunicorn as nginx does
        self.cookies = {}

    def request(self, method, path, headers=None, body=None, timeout=10):
        if self.tls_context:
            conn = _SNIConnection(self.port, self.server_name, self.tls_context, timeout)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        all_headers = {"Host": self.host_header, "User-Agent": "knowaml-prodcheck"}
        if self.via_proxy:
            all_headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"})
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        if isinstance(body, str):
            body = body.encode()
        # As a browser does: non-ASCII characters (Arabic slugs) percent-encoded.
        path = quote(path, safe="/?#[]@!$&'()*+,;=:%~")
        started = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=all_headers)
            raw = conn.getresponse()
            content = raw.read()
        finally:
            conn.close()
        response = Response(raw.status, raw.headers, content, time.monotonic() - started)
        for value in raw.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path, data, headers=None, **kwargs):
        from urllib.parse import urlencode

        headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request(
            "POST", path, headers=headers, body=urlencode(data, doseq=True), **kwargs
        )


# ---------------------------------------------------------------------------------------
# The stack
# ---------------------------------------------------------------------------------------


def substitute(text, old, new, what):
    """Replace ``old`` (a literal string or a compiled regex) and insist it was there: a
    deploy file that changed shape must fail loudly here, not be tested half-substituted."""
    if isinstance(old, re.Pattern):
        text, count = old.subn(new, text)
    else:
        count = text.count(old)
        text = text.replace(old, new)
    if not count:
        raise StackError(f"{what}: expected to find {getattr(old, 'pattern', old)!r}")
    return text


class Stack:
    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="knowaml-prodcheck-"))
        self.tmp.chmod(0o755)  # nginx workers (www-data) read static files and media here
        self.logs = self.tmp / "logs"
        self.logs.mkdir()
        self.ports = {
            name: free_port() for name in ("pg", "redis", "web_a", "web_b", "http", "https")
        }
        self.secret_key = secrets.token_urlsafe(50)
        self.site_url = f"https://{HOST}:{self.ports['https']}"
        self.database = "knowaml_prodcheck"
        self.database_url = (
            f"postgres://knowaml:knowaml@127.0.0.1:{self.ports['pg']}/{self.database}"
        )
        self.redis_db = 2
        self.static_root = self.tmp / "var" / "static"
        self.media_root = self.tmp / "var" / "media"
        self.env_file = self.tmp / "knowaml.env"
        self.sink = SmtpSink()
        self.processes = {}
        self.tls = None
        self.editor = ("editor", secrets.token_urlsafe(16))
        # The editor's authenticator, set up at the first admin log-in (html.admin_login).
        self.totp_key, self.totp_last_step, self.backup_codes = None, 0, []
        self.timings = {}

    # -- helpers --------------------------------------------------------------------------

    def log_path(self, name):
        return self.logs / f"{name}.log"

    def run(self, argv, env=None, timeout=120, user=None, check=True, cwd=None):
        wrapper = []
        if user:
            wrapper = ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", "--"]
        result = subprocess.run(
            [*wrapper, *argv],
            env=env or BASE_ENV,
            cwd=cwd or ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        if check and result.returncode != 0:
            raise StackError(
                f"{shlex.join(argv)} failed ({result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result

    def manage(self, *args, timeout=180, extra_env=None, check=True):
        """`manage.py …` as an operator runs it: only KNOWAML_ENV_FILE says where to look."""
        env = {**BASE_ENV, "KNOWAML_ENV_FILE": str(self.env_file), **(extra_env or {})}
        return self.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", *args],
            env=env,
            timeout=timeout,
            check=check,
        )

    def timed(self, name, function, *args, **kwargs):
        started = time.monotonic()
        try:
            return function(*args, **kwargs)
        finally:
            self.timings[name] = round(time.monotonic() - started, 1)

    def sql(self, query, params=None):
        import psycopg

        with psycopg.connect(
            self.database_url,
            connect_timeout=3,
            autocommit=True,
            options="-c statement_timeout=10s",
        ) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else None

    def redis_cli(self, *args, timeout=5):
        return self.run(
            [
                "redis-cli",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.ports["redis"]),
                "-n",
                str(self.redis_db),
                *args,
            ],
            timeout=timeout,
            check=False,
        )

    # -- PostgreSQL ----------------------------------------------------------------------

    def init_postgres(self):
        data = self.tmp / "pgdata"
        data.mkdir()
        shutil.chown(data, "postgres", "postgres")
        self.run(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            user="postgres",
            cwd=self.tmp,
        )
        self.start_postgres()
        psql = [
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.ports["pg"]),
            "-U",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-qc",
        ]
        self.run([*psql, "CREATE ROLE knowaml LOGIN PASSWORD 'knowaml'"])
        self.run([*psql, f"CREATE DATABASE {self.database} OWNER knowaml"])

    def start_postgres(self):
        argv = [
            str(PG_BIN / "postgres"),
            "-D",
            str(self.tmp / "pgdata"),
            "-p",
            str(self.ports["pg"]),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "unix_socket_directories=",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
        ]
        process = Process(
            "postgres", argv, BASE_ENV, self.tmp, self.log_path("postgres"), user="postgres"
        )
        self.processes["postgres"] = process.start()
        wait_for(self.postgres_ready, 30, "PostgreSQL accepting connections")

    def postgres_ready(self):
        result = self.run(
            ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.ports["pg"]), "-U", "postgres"],
            check=False,
            timeout=5,
        )
        return result.returncode == 0

    def stop_postgres(self):
        # SIGINT is PostgreSQL's "fast" shutdown, what pg_ctlcluster stop/restart uses.
        self.processes["postgres"].stop(signal.SIGINT, timeout=30)

    def restart_postgres(self):
        self.stop_postgres()
        self.start_postgres()

    # -- Redis ---------------------------------------------------------------------------

    def start_redis(self):
        argv = [
            "redis-server",
            "--port",
            str(self.ports["redis"]),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
        ]
        process = Process("redis", argv, BASE_ENV, self.tmp, self.log_path("redis"))
        self.processes["redis"] = process.start()
        wait_for(lambda: self.redis_cli("ping").stdout.strip() == "PONG", 20, "Redis answering")

    def stop_redis(self):
        self.redis_cli("shutdown", "nosave")
        wait_for(lambda: not self.processes["redis"].alive(), 10, "Redis stopped")

    # -- configuration -------------------------------------------------------------------

    def test_values(self):
        return {
            "DJANGO_ENV": "production",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": HOST,
            "SITE_URL": self.site_url,
            "CSRF_TRUSTED_ORIGINS": self.site_url,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.ports['redis']}/{self.redis_db}",
            "STATIC_ROOT": str(self.static_root),
            "MEDIA_ROOT": str(self.media_root),
            "TRUSTED_PROXY_COUNT": "1",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.sink.port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "DEFAULT_FROM_EMAIL": f"Know AML <newsletter@{HOST}>",
            "ADMINS": f"Prodcheck admins <admins@{HOST}>",
            # Short leases, so that dead workers are noticed within the test's time.
            "TASK_LEASE_SECONDS": "8",
            "NEWSLETTER_SEND_LEASE_SECONDS": "8",
            # Two instances x two sync workers: few enough that stalled clients reaching
            # gunicorn would block the site, which nginx's buffering must prevent.
            "GUNICORN_WORKERS": "2",
            "LOG_LEVEL": "INFO",
        }

    def write_env_file(self):
        """deploy/knowaml.env.example with this stack's values: every line of the example
        is kept (commented defaults included), only the values below change."""
        example = (DEPLOY / "knowaml.env.example").read_text(encoding="utf-8")
        values = self.test_values()
        seen, lines = set(), []
        for line in example.splitlines():
            match = re.match(r"^([A-Z][A-Z0-9_]*)=", line)
            if match and match.group(1) in values:
                name = match.group(1)
                seen.add(name)
                line = f"{name}={values[name]}"
            lines.append(line)
        missing = sorted(set(values) - seen)
        # Variables the example documents only as commented defaults are set at the end.
        commented = {
            m.group(1) for m in re.finditer(r"^#([A-Z][A-Z0-9_]*)=", example, re.MULTILINE)
        }
        undocumented = sorted(set(missing) - commented)
        if undocumented:
            raise StackError(f"deploy/knowaml.env.example does not list {undocumented}")
        lines += ["", "# prodcheck"] + [f"{name}={values[name]}" for name in missing]
        self.env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def make_certificate(self):
        self.cert = self.tmp / "tls" / "fullchain.pem"
        self.key = self.tmp / "tls" / "privkey.pem"
        self.cert.parent.mkdir()
        self.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                f"/CN={HOST}",
                "-addext",
                f"subjectAltName=DNS:{HOST}",
                "-keyout",
                str(self.key),
                "-out",
                str(self.cert),
            ],
        )
        self.tls = ssl.create_default_context(cafile=str(self.cert))

    def nginx_site_conf(self):
        """deploy/nginx/knowaml.conf with this stack's ports, paths and certificate."""
        example = read_env_file(DEPLOY / "knowaml.env.example")
        conf = (DEPLOY / "nginx" / "knowaml.conf").read_text(encoding="utf-8")
        what = "deploy/nginx/knowaml.conf"
        conf = substitute(conf, re.compile(r"^\s*listen\s+\[::\]:\d+[^;]*;\n", re.M), "", what)
        conf = substitute(
            conf, re.compile(r"\blisten\s+80\b"), f"listen 127.0.0.1:{self.ports['http']}", what
        )
        conf = substitute(
            conf, re.compile(r"\blisten\s+443\b"), f"listen 127.0.0.1:{self.ports['https']}", what
        )
        conf = substitute(
            conf, "/etc/letsencrypt/live/knowaml.example/fullchain.pem", str(self.cert), what
        )
        conf = substitute(
            conf, "/etc/letsencrypt/live/knowaml.example/privkey.pem", str(self.key), what
        )
        conf = substitute(conf, "knowaml.example", HOST, what)
        conf = substitute(
            conf, "server 127.0.0.1:8001", f"server 127.0.0.1:{self.ports['web_a']}", what
        )
        conf = substitute(
            conf, "server 127.0.0.1:8002", f"server 127.0.0.1:{self.ports['web_b']}", what
        )
        # /static/ and /media/ must point where the example env file puts STATIC_ROOT and
        # MEDIA_ROOT: nginx and the app have to agree.
        conf = substitute(
            conf, example["STATIC_ROOT"].rstrip("/") + "/", f"{self.static_root}/", what
        )
        conf = substitute(
            conf, example["MEDIA_ROOT"].rstrip("/") + "/", f"{self.media_root}/", what
        )
        conf = substitute(conf, "/var/log/nginx/knowaml/", f"{self.logs}/nginx-", what)
        conf = substitute(conf, "/var/www/letsencrypt", str(self.tmp / "acme"), what)
        for line in conf.splitlines():
            if not line.strip().startswith("#") and re.search(r"(^|[\s\"'])/(srv|etc|var)/", line):
                raise StackError(f"{what}: a production path was left unsubstituted: {line}")
        return conf

    def nginx_main_conf(self, site_conf_path):
        """Debian's own /etc/nginx/nginx.conf (modules, mime types, its global gzip on),
        with our site in place of sites-enabled and pid/logs in the scratch directory."""
        conf = Path("/etc/nginx/nginx.conf").read_text(encoding="utf-8")
        what = "/etc/nginx/nginx.conf"
        conf = substitute(
            conf, re.compile(r"^\s*pid\s+[^;]+;", re.M), f"pid {self.tmp}/nginx.pid;", what
        )
        conf = substitute(
            conf,
            re.compile(r"^(\s*)error_log\s+[^;]+;", re.M),
            rf"\1error_log {self.logs}/nginx-main-error.log;",
            what,
        )
        conf = substitute(
            conf,
            re.compile(r"^(\s*)access_log\s+[^;]+;", re.M),
            rf"\1access_log {self.logs}/nginx-main-access.log;",
            what,
        )
        conf = substitute(
            conf, re.compile(r"^\s*include\s+/etc/nginx/conf\.d/\*\.conf;", re.M), "", what
        )
        conf = substitute(
            conf,
            re.compile(r"^(\s*)include\s+/etc/nginx/sites-enabled/\*;", re.M),
            rf"\1include {site_conf_path};",
            what,
        )
        return conf

    def start_nginx(self):
        (self.tmp / "acme").mkdir(exist_ok=True)
        site = self.tmp / "nginx-site.conf"
        site.write_text(self.nginx_site_conf(), encoding="utf-8")
        main = self.tmp / "nginx.conf"
        main.write_text(self.nginx_main_conf(site), encoding="utf-8")
        # Debian's default prefix (-p) stays: modules-enabled/ loads modules by relative path.
        base = ["nginx", "-e", str(self.logs / "nginx-main-error.log"), "-c", str(main)]
        self.run([*base, "-t"], timeout=20)
        process = Process(
            "nginx", [*base, "-g", "daemon off;"], BASE_ENV, self.tmp, self.log_path("nginx")
        )
        self.processes["nginx"] = process.start()
        wait_for(
            lambda: self.https().get("/robots.txt", timeout=3).status == 200,
            30,
            "nginx answering on HTTPS",
        )

    # -- app processes -------------------------------------------------------------------

    def start_unit(self, name, unit_name, instance=None):
        command = unit_command(unit_name, self.env_file, instance)
        process = Process(name, command.argv, command.env, command.cwd, self.log_path(name))
        self.processes[name] = process.start()
        return process

    def start_web(self, name):
        port = self.ports[name]
        process = self.start_unit(name, "knowaml-web@.service", instance=port)

        def ready():
            if not process.alive():
                raise StackError(f"{name} exited:\n{process.tail()}")
            return self.direct(name).get("/health/", timeout=3).status == 200

        wait_for(ready, 60, f"gunicorn {name} answering /health/ on port {port}")
        return process

    def start_worker(self):
        return self.start_unit("worker", "knowaml-worker.service")

    def start_clock(self):
        return self.start_unit("clock", "knowaml-clock.service")

    # -- clients -------------------------------------------------------------------------

    def https(self):
        """A browser at SITE_URL: through nginx over HTTPS, SNI and Host as a visitor's."""
        return Browser(self.ports["https"], f"{HOST}:{self.ports['https']}", self.tls)

    def direct(self, name):
        """Straight to one gunicorn instance, with the headers nginx would add."""
        return Browser(self.ports[name], f"{HOST}:{self.ports['https']}", via_proxy=True)

    # -- whole stack ---------------------------------------------------------------------

    def start(self):
        for tool in ("setpriv", "nginx", "openssl", "redis-server", "redis-cli", "psql"):
            if not shutil.which(tool):
                raise StackError(f"{tool} is missing: run ./.ci/services and apt-get install nginx")
        if not (PG_BIN / "postgres").exists():
            raise StackError(f"{PG_BIN}/postgres is missing: run ./.ci/services")
        self.sink.start()
        self.timed("postgres", self.init_postgres)
        self.timed("redis", self.start_redis)
        self.write_env_file()
        self.timed("certificate", self.make_certificate)
        self.check_settings()
        self.timed("migrate", self.manage, "migrate", "--noinput", timeout=300)
        self.timed("collectstatic", self.manage, "collectstatic", "--noinput")
        self.timed("load_demo", self.manage, "load_demo")
        self.timed("load_demo_stories", self.manage, "load_demo_stories")
        username, password = self.editor
        self.timed(
            "createsuperuser",
            self.manage,
            "createsuperuser",
            "--noinput",
            "--username",
            username,
            "--email",
            f"{username}@{HOST}",
            extra_env={"DJANGO_SUPERUSER_PASSWORD": password},
        )
        self.timed("web_a", self.start_web, "web_a")
        self.timed("web_b", self.start_web, "web_b")
        self.timed("worker", self.start_worker)
        self.timed("clock", self.start_clock)
        self.timed("nginx", self.start_nginx)

    def check_settings(self):
        """Before anything writes: manage.py must really run on the scratch database with
        production settings, or the setup would write into the developer's var/."""
        script = (
            "import json; from django.conf import settings as s; "
            "print(json.dumps({'production': getattr(s, 'PRODUCTION', None), "
            "'debug': s.DEBUG, 'db': s.DATABASES['default']['NAME'], "
            "'static': str(s.STATIC_ROOT), 'media': str(s.MEDIA_ROOT)}))"
        )
        result = self.manage("shell", "-c", script, check=False, timeout=60)
        try:
            seen = json.loads(result.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            raise StackError(
                f"manage.py shell failed with the env file:\n{result.stdout}\n{result.stderr}"
            ) from None
        expected = {
            "production": True,
            "debug": False,
            "db": self.database,
            "static": str(self.static_root),
            "media": str(self.media_root),
        }
        if seen != expected:
            raise StackError(
                f"manage.py with KNOWAML_ENV_FILE={self.env_file} runs with {seen}, "
                f"expected {expected}"
            )

    def stop(self):
        for name in ["nginx", "web_a", "web_b", "worker", "clock", "redis", "postgres"]:
            process = self.processes.get(name)
            if process is not None:
                signum = signal.SIGINT if name == "postgres" else signal.SIGTERM
                try:
                    self.timed(f"stop {name}", process.stop, signum, timeout=20)
                except Exception:  # noqa: BLE001 - stop the others whatever happens
                    pass
        self.timed("stop smtp", self.sink.stop)

    def cleanup(self, keep=False):
        if keep:
            return
        shutil.rmtree(self.tmp, ignore_errors=True)

    def report(self):
        lines = [f"scratch directory: {self.tmp}", f"timings (s): {self.timings}"]
        for name, process in self.processes.items():
            state = "running" if process.alive() else f"exited {process.popen.returncode}"
            lines.append(f"--- {name} ({state}), last lines of {process.log_path}:")
            lines.append(process.tail(15))
        return "\n".join(lines)


def site_path(url, stack):
    """The path of an absolute address on the site; fails for any other host."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != stack.site_url:
        raise StackError(f"{url} is not under SITE_URL {stack.site_url}")
    return parts.path + (f"?{parts.query}" if parts.query else "")
