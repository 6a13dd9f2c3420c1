import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse

from education.models import Reference

from .conftest import html

ROUTES = {
    "/ok": (200, None),
    "/moved": (301, "/new-home"),
    "/new-home": (200, None),
    "/temporary": (302, "/ok"),
    "/gone": (404, None),
}


class Handler(BaseHTTPRequestHandler):
    def answer(self, body):
        if self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
            self.end_headers()
            return
        status, location = ROUTES.get(self.path, (200 if self.path == "/no-head" else 404, None))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def log_message(self, *args):
        pass


@pytest.fixture
def link_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def references(relapse, link_server):
    relapse.references.all().delete()
    paths = ["/ok", "/moved", "/temporary", "/gone", "/no-head"]
    for order, path in enumerate(paths):
        Reference.objects.create(
            article=relapse, order=order, citation=f"Source {path}", url=link_server + path
        )
    Reference.objects.create(article=relapse, order=9, citation="Closed port",
                             url="http://127.0.0.1:9/")  # fmt: skip
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
    listing = html(admin_client.get(reverse("admin:education_article_changelist"),
                                    {"links": "problems"}))  # fmt: skip
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
