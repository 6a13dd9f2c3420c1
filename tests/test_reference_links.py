import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse

from education.linkcheck import check_url
from education.models import Reference

from .conftest import html

ROUTES = {
    "/ok": (200, None),
    "/moved": (301, "/new-home"),
    "/new-home": (200, None),
    "/temporary": (302, "/ok"),
    "/gone": (404, None),
    "/to-file": (302, "file:///etc/passwd"),
    "/moved-to-file": (301, "file:///etc/passwd"),
    "/to-internal": (302, "http://127.0.0.1:{internal}/admin/"),
}


class Handler(BaseHTTPRequestHandler):
    def answer(self, body):
        if self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
            self.end_headers()
            return
        status, location = ROUTES.get(self.path, (200 if self.path == "/no-head" else 404, None))
        self.server.hits.append(self.path)
        self.send_response(status)
        if location:
            self.send_header("Location", location.format(internal=self.server.internal_port))
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def log_message(self, *args):
        pass


def serve():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.hits, server.internal_port = [], 9
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def servers():
    """The cited site, and an internal service on this machine it tries to send us to."""
    site, internal = serve(), serve()
    site.internal_port = internal.server_address[1]
    yield site, internal
    for server in (site, internal):
        server.shutdown()
        server.server_close()


@pytest.fixture
def link_server(servers):
    return f"http://127.0.0.1:{servers[0].server_address[1]}"


@pytest.fixture
def references(relapse, link_server):
    relapse.references.all().delete()
    paths = ["/ok", "/moved", "/temporary", "/gone", "/no-head"]
    for order, path in enumerate(paths):
        Reference.objects.create(
            article=relapse, order=order, citation=f"Source {path}", url=link_server + path
        )
    Reference.objects.create(
        article=relapse, order=9, citation="Closed port", url="http://127.0.0.1:9/"
    )
    return {r.citation: r for r in relapse.references.all()}


def statuses(relapse):
    return {r.citation: (r.link_status, r.link_note) for r in relapse.references.all()}


def test_command_flags_broken_and_moved_links(relapse, references, link_server):
    call_command("check_reference_links", "--timeout", "2", verbosity=0)
    found = statuses(relapse)
    assert found["Source /ok"][0] == "ok"
    assert found["Source /moved"] == ("moved", f"Moved permanently to {link_server}/new-home")
    assert found["Source /temporary"][0] == "ok"
    assert found["Source /gone"] == ("broken", "HTTP 404")
    assert found["Source /no-head"][0] == "ok", "a server that refuses HEAD is asked with GET"
    assert found["Closed port"][0] == "broken"


def test_article_admin_shows_link_problems_and_filters_by_them(
    admin_client, relapse, what_is_aml, references
):
    call_command("check_reference_links", "--timeout", "2", "--article", relapse.pk, verbosity=0)
    assert what_is_aml.references.get().link_status == "unchecked", "only the chosen article"
    page = html(admin_client.get(reverse("admin:education_article_change", args=[relapse.pk])))
    text = page.get_text()
    assert "Broken" in text and "HTTP 404" in text and "Moved permanently to" in text
    listing = html(
        admin_client.get(reverse("admin:education_article_changelist"), {"links": "problems"})
    )
    assert [th.get_text() for th in listing.select("#result_list tbody th")] == ["Relapse"]


def test_admin_action_checks_the_selected_articles(
    admin_client, relapse, references, django_capture_on_commit_callbacks
):
    url = reverse("admin:education_article_changelist")
    data = {"action": "check_reference_links", "_selected_action": [relapse.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert statuses(relapse)["Source /gone"][0] == "broken"


def test_redirect_to_a_file_is_refused_not_reported_as_working(link_server):
    result = check_url(link_server + "/to-file", timeout=2)
    assert result.status == "broken"
    assert result.note.startswith("Refused after a redirect to file:///etc/passwd:")
    assert "only http and https" in result.note


def test_permanent_redirect_to_a_file_is_not_offered_as_the_new_address(link_server):
    result = check_url(link_server + "/moved-to-file", timeout=2)
    assert result.status == "broken" and "Refused" in result.note


def test_redirect_to_an_internal_service_is_refused_before_it_is_asked(servers, link_server):
    result = check_url(link_server + "/to-internal", timeout=2)
    assert result.status == "broken"
    assert "is not a public internet address (loopback" in result.note
    assert servers[1].hits == [], "the internal service was never requested"


@pytest.mark.parametrize(
    "url", ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://localhost/"]
)
def test_link_to_an_internal_address_is_refused_without_connecting(settings, monkeypatch, url):
    settings.OUTBOUND_ALLOW_LOOPBACK_FIRST_HOP = False

    def refuse(*args, **kwargs):
        raise AssertionError("connected")

    monkeypatch.setattr(socket, "create_connection", refuse)
    result = check_url(url, timeout=2)
    assert result.status == "broken"
    assert result.note.startswith("Refused: ") and "not a public internet address" in result.note


def test_article_admin_says_why_a_link_was_refused(admin_client, relapse, link_server):
    relapse.references.all().delete()
    Reference.objects.create(article=relapse, citation="Trap", url=link_server + "/to-file")
    call_command("check_reference_links", "--timeout", "2", verbosity=0)
    page = html(admin_client.get(reverse("admin:education_article_change", args=[relapse.pk])))
    text = page.get_text()
    assert "Broken" in text and "Refused after a redirect to file:///etc/passwd" in text
    assert "Works" not in text
