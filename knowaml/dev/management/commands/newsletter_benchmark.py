"""Send one issue to generated subscribers through an in-process SMTP sink and time it.

It writes to the configured database and removes everything it created afterwards
(pass --keep to look at the rows). Point DATABASE_URL at a scratch database to leave
your development data alone, e.g.
``DATABASE_URL=sqlite:////tmp/bench.sqlite3 manage.py migrate && ... newsletter_benchmark``.
"""

import logging
import socket
import threading
import time

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone, translation

from newsletter.models import Delivery, Issue, Subscriber
from newsletter.sending import send_issue_now

DOMAIN = "bench.knowaml.invalid"


class CountingSink:
    def __init__(self):
        self.received = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received += 1
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = "Benchmark sending an issue to generated subscribers through a local SMTP sink."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000)
        parser.add_argument("--languages", default="en,es,fr,ar")
        parser.add_argument("--keep", action="store_true", help="Keep the generated rows.")

    def handle(self, *args, count, languages, keep, **options):
        languages = languages.split(",")
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-command log
        with translation.override("en"):
            issue = Issue.objects.create(
                subject_en="Benchmark issue",
                body_en="Some **news**.\n\n## Part\n\nMore text for a realistic body.",
                subject_es="Número de prueba",
                body_es="Algunas **noticias**.",
                subject_ar="عدد تجريبي",
                body_ar="بعض الأخبار.",
            )  # French left out on purpose: a quarter of readers get the English fallback.
        try:
            self.run(issue, count, languages)
        finally:
            if not keep:
                Delivery.objects.filter(issue=issue).delete()
                issue.delete()
                Subscriber.objects.filter(email__endswith=f"@{DOMAIN}").delete()

    def run(self, issue, count, languages):
        now = timezone.now()
        started = time.perf_counter()
        Subscriber.objects.bulk_create(
            [
                Subscriber(
                    email=f"reader{number}@{DOMAIN}",
                    language=languages[number % len(languages)],
                    status=Subscriber.Status.CONFIRMED,
                    confirmed_at=now,
                )
                for number in range(count)
            ],
            batch_size=1000,
        )
        self.stdout.write(f"Created {count} subscribers in {time.perf_counter() - started:.1f} s")
        sink = CountingSink()
        port = free_port()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        mailers = {
            **settings.MAILERS,
            "benchmark": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 10},
            },
        }
        queries = 0

        def count_queries(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        try:
            with override_settings(MAILERS=mailers), connection.execute_wrapper(count_queries):
                started = time.perf_counter()
                result = send_issue_now(issue.pk, mailer_alias="benchmark")
                elapsed = time.perf_counter() - started
        finally:
            controller.stop()
        sent = result["sent"]
        self.stdout.write(
            f"Sent {sent} messages ({sink.received} received by the sink, "
            f"{result['failed']} failed, {result['in_doubt']} in doubt) in {elapsed:.1f} s\n"
            f"{sent / elapsed:.0f} messages/second, "
            f"{queries / max(sent, 1):.2f} database queries/message "
            f"({connection.vendor})"
        )
