"""Faults a production site meets, survived by the stack without anyone restarting it.

Order matters (one stack for the whole run): each test leaves the services running.
"""

import collections
import json
import secrets
import shlex
import signal
import socket
import subprocess
import threading
import time

from .html import admin_login, find_form, form_fields, soup
from .stack import HOST, free_port, wait_for
from .test_2_site import signup

# Pages that always reach an app process (never from the page cache): a database query
# on each, so a broken connection shows.
UNCACHED = ["/health/", "/admin/login/"]
PUBLIC = [
    "/en/",
    "/en/understanding-aml/",
    "/en/understanding-aml/relapse/",
    "/ar/",
    "/en/glossary/",
    "/en/stories/",
    "/en/search/?q=relapse",
    "/en/newsletter/",
    "/sitemap.xml",
]


def statuses(browser, paths, timeout=10):
    return {path: browser.get(path, timeout=timeout).status for path in paths}


def all_ok(browser, paths):
    answers = statuses(browser, paths)
    return all(status == 200 for status in answers.values()) and answers


def running_tasks(stack):
    return stack.sql(
        "SELECT task_path FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
    )


def app_processes_alive(stack, names=("web_a", "web_b", "worker", "clock", "nginx")):
    dead = {
        name: stack.processes[name].tail(30) for name in names if not stack.processes[name].alive()
    }
    assert dead == {}, json.dumps(dead, indent=1)


def test_stalled_clients_do_not_hold_app_workers(stack, site):
    """More half-sent requests than there are gunicorn workers (2 x 2): nginx holds them
    all, so pages that need a worker still answer at once."""
    stalled = []
    try:
        for number in range(8):
            raw = socket.create_connection(("127.0.0.1", stack.ports["https"]), timeout=5)
            connection = stack.tls.wrap_socket(raw, server_hostname=HOST)
            host = f"Host: {HOST}:{stack.ports['https']}\r\n"
            if number % 2:
                # Headers complete, body promised but only begun.
                connection.sendall(
                    (
                        f"POST /en/newsletter/ HTTP/1.1\r\n{host}"
                        "Content-Type: application/x-www-form-urlencoded\r\n"
                        "Content-Length: 5000\r\n\r\nemail=slow"
                    ).encode()
                )
            else:
                connection.sendall(f"GET /admin/login/ HTTP/1.1\r\n{host}User-Agent: sl".encode())
            stalled.append(connection)
        time.sleep(1)
        for _ in range(3):
            for path in UNCACHED + ["/en/stories/"]:
                answer = site.get(path, timeout=5)
                assert answer.status == 200, path
                assert answer.seconds < 1.0, (path, answer.seconds)
    finally:
        for connection in stalled:
            connection.close()


def test_graceful_reload_loses_no_request(stack, site):
    """`systemctl reload knowaml-web@…` runs the unit's ExecReload (HUP): new workers start
    with the installed code while the old ones finish their requests."""
    from .stack import UNITS, read_unit

    (reload_line,) = read_unit(UNITS / "knowaml-web@.service")["ExecReload"]
    web_a = stack.processes["web_a"]
    booted_before = web_a.log().count("Booting worker")
    failures, done, answered = [], threading.Event(), collections.Counter()

    def visit():
        browser = stack.https()
        direct = stack.direct("web_a")
        while not done.is_set():
            for client in (browser, direct):
                try:
                    status = client.get("/admin/login/", timeout=10).status
                except Exception as error:  # noqa: BLE001 - counted as a failure
                    status = repr(error)
                answered[status] += 1
                if status != 200:
                    failures.append(status)

    threads = [threading.Thread(target=visit) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.5)
        subprocess.run(
            shlex.split(reload_line.replace("$MAINPID", str(web_a.pid))), check=True, timeout=5
        )
        wait_for(
            lambda: web_a.log().count("Booting worker") >= booted_before + 2,
            30,
            "new gunicorn workers after HUP",
        )
        time.sleep(1.5)
    finally:
        done.set()
        for thread in threads:
            thread.join(15)
    assert failures == [], answered
    assert answered[200] > 20
    assert web_a.alive()


def test_one_web_instance_down_the_other_serves(stack, site):
    """A rolling restart: while knowaml-web@A is stopped, nginx sends everyone to B."""
    stack.processes["web_a"].stop()
    try:
        for _ in range(4):
            assert all_ok(site, UNCACHED + PUBLIC[:3])
    finally:
        stack.start_web("web_a")
    assert all_ok(stack.direct("web_a"), UNCACHED)


def test_postgresql_restart_is_survived_by_web_worker_and_clock(stack, site):
    pids = {name: stack.processes[name].pid for name in ("web_a", "web_b", "worker", "clock")}
    # Every gunicorn worker holds a database connection (CONN_MAX_AGE) before the restart.
    for name in ("web_a", "web_b"):
        for _ in range(6):
            stack.direct(name).get("/health/")
    stack.restart_postgres()
    restarted = time.monotonic()
    stack.redis_cli("flushdb")  # pages must be rendered from the database again
    for name in ("web_a", "web_b"):
        browser = stack.direct(name)
        wait_for(lambda b=browser: all_ok(b, UNCACHED + PUBLIC), 10, f"{name} pages 200")
    recovered = time.monotonic() - restarted
    assert recovered < 10
    # Nothing was restarted: same processes, all alive.
    assert {name: stack.processes[name].pid for name in pids} == pids
    app_processes_alive(stack)
    # The worker still sends email: a new sign-up gets its confirmation.
    address = f"after-pg-restart-{secrets.token_hex(3)}@example.org"
    assert signup(stack, site, address).status == 200
    stack.sink.wait_for(address, timeout=30)
    # No task is left RUNNING (a task cut off by the restart is settled within its lease).
    lease = int(stack.test_values()["TASK_LEASE_SECONDS"])
    wait_for(lambda: running_tasks(stack) == [], lease + 20, "no task RUNNING")
    app_processes_alive(stack)


def test_health_is_503_while_postgresql_is_down_and_200_after(stack, site):
    stack.stop_postgres()
    try:
        answer = site.get("/health/", timeout=15)
        assert answer.status == 503
        body = answer.json()
        assert body["status"] != "ok" and body["database"] != "ok"
        assert answer.seconds < 5
    finally:
        stack.start_postgres()
    wait_for(lambda: site.get("/health/").status == 200, 10, "/health/ 200 after PostgreSQL")
    app_processes_alive(stack)


def test_a_web_process_started_before_the_database_waits_for_it(stack):
    """After a power cut the machine may start gunicorn before PostgreSQL: no crash loop."""
    stack.ports["web_c"] = free_port()
    stack.stop_postgres()
    try:
        web_c = stack.start_unit("web_c", "knowaml-web@.service", instance=stack.ports["web_c"])
        time.sleep(4)
        assert web_c.alive(), web_c.tail()
    finally:
        stack.start_postgres()
    try:
        wait_for(
            lambda: stack.direct("web_c").get("/health/", timeout=3).status == 200,
            30,
            "the late web process answering once PostgreSQL is up",
        )
    finally:
        stack.processes.pop("web_c").stop()


def admin_works(stack, browser):
    admin_login(browser, stack)
    index = browser.get("/admin/")
    return index.status == 200 and "/admin/logout/" in index.text


def test_redis_stopped_pages_admin_signup_and_search_still_answer(stack, site):
    stack.stop_redis()
    try:
        answers = {path: site.get(path) for path in PUBLIC + UNCACHED}
        failed = {path: a.status for path, a in answers.items() if not 200 <= a.status < 300}
        assert failed == {}
        slow = {path: round(a.seconds, 2) for path, a in answers.items() if a.seconds > 2}
        assert slow == {}
        assert admin_works(stack, stack.https())
        address = f"redis-down-{secrets.token_hex(3)}@example.org"
        assert signup(stack, site, address).status == 200
        stack.sink.wait_for(address, timeout=30)
        health = site.get("/health/").json()
        assert health["status"] == "ok" and health["cache"] != "ok"
    finally:
        stack.start_redis()


def test_redis_hanging_pages_answer_within_a_second(stack, site):
    """Redis accepts connections (the kernel does) but never answers: every page, the
    admin login and a sign-up still answer within 1 s each."""
    redis = stack.processes["redis"]
    redis.signal_group(signal.SIGSTOP)
    try:
        slow, failed = {}, {}
        for _ in range(2):
            for path in PUBLIC + UNCACHED:
                answer = site.get(path, timeout=10)
                if not 200 <= answer.status < 300:
                    failed[path] = answer.status
                if answer.seconds >= 1.0:
                    slow[path] = round(answer.seconds, 2)
        started = time.monotonic()
        address = f"redis-hung-{secrets.token_hex(3)}@example.org"
        assert signup(stack, site, address).status == 200
        assert time.monotonic() - started < 2.0, "the sign-up page and its POST"
        assert failed == {}
        assert slow == {}
    finally:
        redis.signal_group(signal.SIGCONT)


def page_cache_keys(stack):
    return stack.redis_cli("--scan", "--pattern", "*pages:entry:*").stdout.split()


def test_redis_back_caching_resumes(stack, site):
    assert stack.redis_cli("ping").stdout.strip() == "PONG"
    stack.redis_cli("flushdb")
    assert page_cache_keys(stack) == []

    def cached():
        for path in PUBLIC[:3]:
            site.get(path)
        return page_cache_keys(stack)

    wait_for(cached, 20, "page-cache keys in Redis again", interval=1)
    assert site.get("/health/").json()["cache"] == "ok"


def issue_for_many(stack, count):
    """Confirmed readers and a draft issue, as an editor would have them."""
    tag = secrets.token_hex(3)
    script = (
        "from django.utils import timezone\n"
        "from newsletter.models import Issue, Subscriber\n"
        f"for i in range({count}):\n"
        f"    Subscriber.objects.create(email=f'bulk{{i}}-{tag}@example.org', language='en',"
        " status='confirmed', confirmed_at=timezone.now(), consent_at=timezone.now())\n"
        f"issue = Issue.objects.create(subject_en='Prodcheck issue {tag}', body_en='Hello.')\n"
        "print(issue.pk)\n"
    )
    result = stack.manage("shell", "-c", script, timeout=60)
    return int(result.stdout.strip().splitlines()[-1]), f"Prodcheck issue {tag}"


def press_send(stack, editor, issue_id):
    change = f"/admin/newsletter/issue/{issue_id}/change/"
    confirm = soup(editor.get(change)).find("a", id="newsletter-send")["href"]
    form = find_form(soup(editor.get(confirm)), id="newsletter-send-confirm")
    answer = editor.post_form(
        form.get("action") or confirm,
        form_fields(form),
        headers={"Origin": stack.site_url, "Referer": f"{stack.site_url}{confirm}"},
    )
    assert answer.status == 302, answer.text[:2000]


def send_tasks(stack, issue_id):
    return stack.sql(
        "SELECT status, exception_class_path, traceback FROM django_tasks_database_dbtaskresult"
        " WHERE task_path = 'newsletter.tasks.send_issue' AND args_kwargs::text LIKE %s"
        " ORDER BY enqueued_at",
        [f"%[{issue_id}]%"],
    )


def test_worker_killed_mid_send_leaves_the_task_in_doubt_and_sends_nobody_twice(stack):
    issue_id, subject = issue_for_many(stack, 12)
    readers = {
        row[0]
        for row in stack.sql("SELECT email FROM newsletter_subscriber WHERE status = 'confirmed'")
    }

    def copies():
        counts = collections.Counter()
        for message in stack.sink.snapshot():
            if message.subject == subject:
                counts.update(message.rcpt_tos)
        return counts

    editor = stack.https()
    admin_login(editor, stack)
    stack.sink.delay = 2.0  # a slow relay: each message waits 2 s for its "250"
    try:
        press_send(stack, editor, issue_id)
        # The third message has reached the relay, which has not answered yet.
        wait_for(
            lambda: sum(copies().values()) >= 3 and stack.sink.in_flight,
            40,
            "a third message at the relay, unanswered",
            interval=0.05,
        )
        stack.processes["worker"].signal_group(signal.SIGKILL)
        killed = time.monotonic()
        in_flight = stack.sink.in_flight
    finally:
        stack.sink.delay = 0
    wait_for(lambda: not stack.processes["worker"].alive(), 5, "the worker is dead")
    assert in_flight == 1, "the worker was killed while the relay held one message"
    sent_before_restart = sum(copies().values())
    assert send_tasks(stack, issue_id)[0][0] == "RUNNING"

    stack.start_worker()  # what systemd's Restart=on-failure does
    lease = int(stack.test_values()["TASK_LEASE_SECONDS"])
    seen = []

    def settled():
        status = send_tasks(stack, issue_id)[0][0]
        seen.append(status)
        return status not in {"RUNNING", "READY"} and status

    status = wait_for(settled, lease + 30, "the dead worker's task settled")
    assert status == "FAILED", seen
    assert "READY" not in seen, "an email task must never be queued again by itself"
    (_, exception, traceback) = send_tasks(stack, issue_id)[0]
    assert "doubt" in (exception + traceback).lower()
    # Nothing more went out by itself, and nobody got two copies.
    assert sum(copies().values()) == sent_before_restart
    assert max(copies().values()) == 1

    # The editor presses Send again once the issue's own lease has run out: the rest go
    # out, the message that was in flight is reported in doubt, never sent again.
    send_lease = int(stack.test_values()["NEWSLETTER_SEND_LEASE_SECONDS"])
    time.sleep(max(0.0, killed + send_lease + 1 - time.monotonic()))
    press_send(stack, editor, issue_id)
    wait_for(
        lambda: send_tasks(stack, issue_id)[-1][0] == "SUCCESSFUL",
        60,
        "the second send finished",
    )
    deliveries = dict(
        stack.sql(
            "SELECT status, count(*) FROM newsletter_delivery WHERE issue_id = %s GROUP BY status",
            [issue_id],
        )
    )
    assert deliveries.get("in_doubt") == 1, deliveries
    assert deliveries.get("sent") == len(readers) - 1, deliveries
    counts = copies()
    assert set(counts) == readers, "everyone got the issue"
    assert max(counts.values()) == 1, "nobody got it twice"
    app_processes_alive(stack)


def test_every_process_is_still_the_one_that_survived(stack, site):
    app_processes_alive(stack)
    assert running_tasks(stack) == []
    assert all_ok(site, PUBLIC + UNCACHED)
