"""After a save, a crowd asking for the same page costs one render, not one each."""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client, override_settings

from education.views import ArticleView
from knowaml import pagecache, pagerefresh

from .test_page_cache import WITH_PAGE_CACHE

URL = "/en/understanding-aml/relapse/"
CROWD = 8


@pytest.fixture
def slow_renders(transactional_db, monkeypatch):
    renders = []
    get = ArticleView.get

    def slow_get(view, request, *args, **kwargs):
        renders.append(request.path)
        time.sleep(0.3)
        return get(view, request, *args, **kwargs)

    monkeypatch.setattr(ArticleView, "get", slow_get)
    with override_settings(MIDDLEWARE=WITH_PAGE_CACHE):
        cache.clear()
        yield renders


def crowd(url, size=CROWD):
    answers = [None] * size
    start = threading.Barrier(size)

    def visit(number):
        start.wait()
        response = Client().get(url, headers={"accept-encoding": "br" if number % 2 else ""})
        answers[number] = (response.status_code, response.get("Content-Encoding"))
        connections.close_all()  # this thread's own

    threads = [threading.Thread(target=visit, args=(n,)) for n in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_a_crowd_on_a_page_just_forgotten_costs_one_render(slow_renders, relapse):
    Client().get(URL)
    pagecache.forget_paths([URL])
    slow_renders.clear()
    answers = crowd(URL)
    assert slow_renders == [URL]
    assert set(answers) == {(200, None), (200, "br")}


def test_a_crowd_on_a_page_nobody_asked_for_yet_costs_one_render(slow_renders, relapse):
    cache.clear()  # not even the generations the article's save set
    answers = crowd(URL)
    assert slow_renders == [URL]
    assert set(answers) == {(200, None), (200, "br")}


def test_a_crowd_waits_for_the_page_a_slow_save_is_still_rendering(
    slow_renders, relapse, monkeypatch, settings
):
    settings.PAGE_CACHE_FORGET_BEFORE_COMMIT = False  # as deployed: refreshed on commit
    monkeypatch.setattr(pagerefresh, "RENDER_SECONDS", 0.05)  # published mid-render
    Client().get(URL)
    slow_renders.clear()
    rendering = threading.Event()
    slow_get = ArticleView.get

    def signalled_get(view, request, *args, **kwargs):
        rendering.set()
        return slow_get(view, request, *args, **kwargs)

    monkeypatch.setattr(ArticleView, "get", signalled_get)
    relapse.title_en = "When AML comes back"
    relapse.save()
    assert rendering.wait(5), "the saving process renders the page"
    answers = crowd(URL)
    assert slow_renders == [URL], "only the saving process rendered the page"
    assert set(answers) == {(200, None), (200, "br")}
    assert "When AML comes back" in Client().get(URL).content.decode()


def test_if_the_renderer_never_finishes_the_others_render_after_a_short_wait(
    slow_renders, relapse, monkeypatch
):
    monkeypatch.setattr(pagecache, "WAIT_SECONDS", 0.2)
    Client().get(URL)
    pagecache.forget_paths([URL])
    page_keys = pagecache.Page.for_request(Client().get(URL).wsgi_request)
    pagecache.forget_paths([URL])
    generations = page_keys.generations(cache.get_many(page_keys.keys))
    cache.add(page_keys.lock_key(generations), 1, 60)  # a renderer that died
    slow_renders.clear()
    started = time.monotonic()
    assert Client().get(URL).status_code == 200
    assert slow_renders == [URL] and time.monotonic() - started < 1


def test_a_page_that_cannot_be_stored_keeps_nobody_waiting(slow_renders, relapse):
    started = time.monotonic()
    answers = crowd("/en/understanding-aml/no-such-page/", size=4)
    assert {status for status, _ in answers} == {404}
    assert time.monotonic() - started < pagecache.WAIT_SECONDS
