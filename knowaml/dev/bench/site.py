"""The site under test: production settings, SQLite with the demo content, Redis, and two
gunicorn instances from deploy/ (page cache on, page cache off) on loopback.

Processes are started with the production-check helpers: each in its own process group
under `setpriv --pdeathsig TERM`, so they end with the benchmark however it ends.
"""

import http.client
import json
import secrets
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.production.stack import (
    BASE_ENV,
    ROOT,
    Process,
    StackError,
    free_port,
    unit_command,
    wait_for,
)

# What nginx adds in production (deploy/nginx/knowaml.conf) before a request reaches gunicorn.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
BROWSER_HEADERS = {**PROXY_HEADERS, "Accept-Encoding": "br, gzip"}
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class BenchSite:
    def __init__(self, workers=2, keep=False):
        self.tmp = Path(tempfile.mkdtemp(prefix="knowaml-bench-"))
        self.keep = keep
        self.workers = workers
        self.logs = self.tmp / "logs"
        self.logs.mkdir()
        self.ports = {name: free_port() for name in ("redis", "cached", "uncached")}
        self.env_file = self.tmp / "knowaml.env"
        self.processes = {}

    # -- setup ---------------------------------------------------------------------------

    def values(self):
        return {
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": "https://127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
            "DATABASE_URL": f"sqlite:///{self.tmp / 'db.sqlite3'}",
            "REDIS_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
            "STATIC_ROOT": str(self.tmp / "static"),
            "MEDIA_ROOT": str(self.tmp / "media"),
            "TRUSTED_PROXY_COUNT": "1",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": "9",
            "EMAIL_USE_TLS": "0",
            "GUNICORN_WORKERS": str(self.workers),
            "LOG_LEVEL": "INFO",
        }

    def manage(self, *args, timeout=600):
        env = {**BASE_ENV, "KNOWAML_ENV_FILE": str(self.env_file)}
        result = subprocess.run(  # noqa: S603 - our own command line
            [str(ROOT / ".venv/bin/python"), "manage.py", *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        if result.returncode:
            raise StackError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def prepare(self, say):
        for tool in ("redis-server", "redis-cli", "wrk", "setpriv"):
            if not shutil.which(tool):
                raise StackError(f"{tool} is missing: apt-get install redis-server wrk")
        lines = [f"{name}={value}" for name, value in self.values().items()]
        self.env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        for command in ("migrate", "collectstatic", "load_demo", "load_demo_stories"):
            say(f"  manage.py {command}")
            self.manage(
                command, *(["--noinput"] if command in ("migrate", "collectstatic") else [])
            )
        say("  redis-server, gunicorn (page cache on), gunicorn (page cache off)")
        self.start_redis()
        self.start_web("cached", page_cache=True)
        self.start_web("uncached", page_cache=False)

    # -- processes -----------------------------------------------------------------------

    def start_redis(self):
        port = str(self.ports["redis"])
        argv = ["redis-server", "--port", port, "--bind", "127.0.0.1", "--save", ""]
        argv += ["--appendonly", "no", "--daemonize", "no"]
        log = self.logs / "redis.log"
        self.processes["redis"] = Process("redis", argv, BASE_ENV, self.tmp, log).start()
        wait_for(lambda: self.redis("ping") == "PONG", 20, "Redis answering")

    def redis(self, *args):
        result = subprocess.run(  # noqa: S603
            ["redis-cli", "-h", "127.0.0.1", "-p", str(self.ports["redis"]), *args],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return result.stdout.strip()

    def start_web(self, name, page_cache):
        port = self.ports[name]
        command = unit_command("knowaml-web@.service", self.env_file, instance=port)
        env = {**command.env, "PAGE_CACHE": "1" if page_cache else "0"}
        log = self.logs / f"{name}.log"
        process = Process(name, command.argv, env, command.cwd, log).start()
        self.processes[name] = process

        def ready():
            if not process.alive():
                raise StackError(f"gunicorn {name} exited:\n{process.tail()}")
            return self.get(name, "/health/")[0] == 200

        wait_for(ready, 60, f"gunicorn {name} answering on port {port}")

    def stop(self):
        for name in ("cached", "uncached", "redis"):
            process = self.processes.pop(name, None)
            if process is not None:
                try:
                    process.stop(timeout=15)
                except Exception:  # noqa: BLE001, S110 - stop the others whatever happens
                    pass
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- requests ------------------------------------------------------------------------

    def url(self, name, path):
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def get(self, name, path, headers=None):
        """(status, headers, body) of one GET to instance ``name``, as nginx would send it."""
        conn = http.client.HTTPConnection("127.0.0.1", self.ports[name], timeout=30)
        try:
            conn.request("GET", path, headers={**PROXY_HEADERS, **(headers or {})})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def static_css(self):
        manifest = json.loads((self.tmp / "static" / "staticfiles.json").read_text())
        return "/static/" + manifest["paths"]["css/site.css"]

    def sitemap_paths(self, path="/sitemap.xml"):
        """Every address the sitemap (and its sub-sitemaps) lists, as site paths."""
        status, _, body = self.get("uncached", path)
        if status != 200:
            raise StackError(f"{path} answered {status}")
        root = ET.fromstring(body)  # noqa: S314 - the sitemap of the site we just started
        locations = [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]
        if root.tag == f"{SITEMAP_NS}sitemapindex":
            from .report import site_paths

            return [p for sub in site_paths(locations) for p in self.sitemap_paths(sub)]
        return locations

    def editor(self, every, duration):
        """A side process saving the Relapse article every ``every`` s through the ORM
        (the same model signals as the admin), printing when each save returned."""
        env = {**BASE_ENV, "KNOWAML_ENV_FILE": str(self.env_file)}
        argv = ["setpriv", "--pdeathsig", "TERM", "--", str(ROOT / ".venv/bin/python")]
        argv += ["-m", "knowaml.dev.bench.editor"]
        return subprocess.Popen(  # noqa: S603 - our own command line
            [*argv, str(every), str(duration)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
