"""gunicorn settings for Know AML: `gunicorn -c deploy/gunicorn.conf.py knowaml.wsgi`.

deploy/systemd/knowaml-web@.service runs one gunicorn per port (`knowaml-web@8001`,
`knowaml-web@8002`) and passes `--bind 127.0.0.1:%i`, which wins over `bind` below.
Everything here can be tuned from the environment file (/etc/knowaml/knowaml.env).

Worker class: **sync**, behind nginx (deploy/nginx/knowaml.conf). A sync worker serves
one request at a time, which suits this site: a rendered page costs 4-18 ms of CPU, a
cached page far less, and nothing waits on slow outside services during a request (email
goes through db_worker). Its one weakness is a slow client, which would hold the worker
for as long as it dribbles its request in or reads the answer out; nginx removes that by
buffering whole requests before they reach gunicorn (`proxy_request_buffering on`) and
whole answers before they go to the client (`proxy_buffering on`). So sync workers must
never face the internet directly. (gthread would tolerate slow clients itself, at the
price of threads sharing one interpreter and one database connection per thread; with
nginx in front it buys nothing here.)
"""

import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# The systemd unit's --bind wins; GUNICORN_BIND serves a gunicorn started by hand.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")]

worker_class = "sync"
# The classic 2 x CPU + 1, capped so a large machine does not open dozens of database
# connections per instance. With several instances on one machine (knowaml-web@8001 and
# @8002), set GUNICORN_WORKERS so that instances x workers stays near 2 x CPU + 1.
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))

# A request that takes longer than this is a bug (imports and uploads are bounded well
# below it); the worker is killed and replaced. nginx's proxy_read_timeout is a little
# longer, so nginx reports the 502/504, not a cut connection.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On HUP (systemctl reload) and TERM (stop), a worker may finish its request this long.
graceful_timeout = 30
# Sync workers close the connection after each response (nginx opens a new one per
# request over loopback, which costs microseconds); keepalive only matters if the worker
# class is ever changed to gthread.
keepalive = 2

# A fresh worker now and then bounds any slow leak. It must be rare: a restart costs seconds
# and empties the worker's own caches, and at thousands of requests a second 1,000 would
# restart every worker every few seconds. The wide jitter keeps the workers of one instance
# from restarting together. 0 turns it off.
max_requests = _int("GUNICORN_MAX_REQUESTS", 200_000)
max_requests_jitter = max_requests // 2

# Application code is imported by each worker, not by the master: `systemctl reload`
# (HUP) then starts workers running the newly installed code while old workers finish.
preload_app = False

# Only nginx on this machine may say which scheme (X-Forwarded-Proto) the client used.
forwarded_allow_ips = "127.0.0.1"

# The heartbeat file on tmpfs: a worker never looks dead because a disk is slow.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - gunicorn's own heartbeat files, not our data

# The application logs one line per request (request id, status, duration) on stdout,
# so gunicorn's own access log stays off; gunicorn's errors go to stderr (the journal).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
capture_output = False

# gunicorn's control socket (gunicornc) defaults to one path per user, which the two
# instances would fight over; systemd's signals (reload = HUP, stop = TERM) do its job.
control_socket_disable = True

proc_name = "knowaml-web"
