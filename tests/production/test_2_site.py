"""The whole site through nginx over HTTPS, as visitors and editors use it."""

import gzip
import re
import secrets
import socket
import ssl
import tarfile
from urllib.parse import quote
from xml.etree import ElementTree

import pytest

from .html import admin_login, find_form, form_fields, language_of, local_links, replace_field, soup
from .stack import HOST, StackError, free_port, site_path, unit_command, wait_for

LANGUAGES = ("en", "es", "ar")
MAX_PAGES = 600


def sitemap_paths(stack, site):
    answer = site.get("/sitemap.xml")
    assert answer.status == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = ElementTree.fromstring(answer.body).findall("s:url/s:loc", namespace)
    locations = [loc.text for loc in urls]
    return [site_path(url, stack) for url in locations]


@pytest.fixture(scope="module")
def crawl(stack):
    """Every page reachable from the home pages in en, es and ar, from the sitemap (all
    languages), and the pages no link leads to (feeds, search results)."""
    site = stack.https()
    queue = [f"/{language}/" for language in LANGUAGES]
    queue += sitemap_paths(stack, site)
    # Addresses are translated (/es/glosario/): other languages' are found by the crawl.
    queue += ["/en/glossary/", "/en/newsletter/", "/en/stories/atom.xml"]
    for language in LANGUAGES:
        queue.append(search_path(site, language, SEARCH_WORDS[language]))
    queue += ["/robots.txt", "/sitemap.xml"]
    pages, assets, foreign = {}, set(), {}
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        if path in pages:
            continue
        answer = site.get(path, timeout=15)
        pages[path] = answer
        if answer.status != 200 or "text/html" not in answer.header("Content-Type", ""):
            continue
        links, page_assets, others = local_links(soup(answer), path.split("?")[0], stack.site_url)
        assets |= page_assets
        if others:
            foreign[path] = others
        for link in sorted(links):
            in_scope = language_of(link) in LANGUAGES or link in {"/robots.txt", "/sitemap.xml"}
            if in_scope and link not in pages and not link.startswith("/admin/"):
                queue.append(link)
    return {"pages": pages, "assets": assets, "foreign": foreign}


def test_every_public_page_answers_200_through_nginx_over_https(stack, crawl):
    pages = crawl["pages"]
    assert len(pages) < MAX_PAGES, "the crawl did not finish"
    failed = {path: answer.status for path, answer in pages.items() if answer.status != 200}
    assert failed == {}
    english = [path for path in pages if language_of(path) == "en"]
    for kind in ("/en/", "/en/glossary/", "/en/newsletter/", "/en/stories/atom.xml"):
        assert kind in english, kind
    for language in LANGUAGES:
        mine = [path for path in pages if language_of(path) == language]
        assert any("?q=" in path for path in mine), (language, "search results")
        assert any(path.endswith("atom.xml") for path in mine), (language, "stories feed")
        # Demo content: home, a section, ten articles, four stand-alone pages, stories list
        # and four stories, glossary, newsletter, search: every language has them all.
        assert len(mine) >= 24, (language, sorted(mine))
    assert len([path for path in pages if language_of(path) in {"fr", "de"}]) >= 10


SEARCH_WORDS = {"en": "relapse", "es": "recaída", "ar": "الدم"}


def search_path(site, language, word):
    """The results address for ``word``, from the search form of the language's home."""
    form = soup(site.get(f"/{language}/")).find("form", role="search")
    return f"{form['action']}?q={quote(word)}"


def test_search_finds_demo_content_in_each_language(site):
    for language, word in SEARCH_WORDS.items():
        answer = site.get(search_path(site, language, word))
        assert answer.status == 200, (language, answer.status)
        assert "noindex" in answer.text
        results = soup(answer).select("main a[href]")
        assert any(language_of(a["href"]) == language for a in results), language


def test_public_pages_load_nothing_from_other_hosts_and_every_asset_answers(site, crawl):
    assert crawl["foreign"] == {}
    assets = crawl["assets"]
    assert any(path.startswith("/static/") for path in assets)
    assert any(path.startswith("/media/") for path in assets), "story portraits"
    failed = {}
    for path in sorted(assets):
        answer = site.get(path)
        if answer.status != 200:
            failed[path] = answer.status
    assert failed == {}


def test_absolute_addresses_come_from_site_url(stack, crawl):
    for path, answer in crawl["pages"].items():
        if answer.status != 200 or "text/html" not in answer.header("Content-Type", ""):
            continue
        canonical = soup(answer).find("link", rel="canonical")
        if canonical is not None:
            assert canonical["href"].startswith(f"{stack.site_url}/"), path
    robots = crawl["pages"]["/robots.txt"].text
    assert f"Sitemap: {stack.site_url}/sitemap.xml" in robots


def test_http_is_redirected_to_https(stack):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", stack.ports["http"], timeout=5)
    conn.request("GET", "/en/glossary/?x=1", headers={"Host": HOST})
    answer = conn.getresponse()
    assert answer.status == 301
    assert answer.headers["Location"] == f"https://{HOST}/en/glossary/?x=1"
    assert answer.headers["Server"] == "nginx", "server_tokens off: no version"


def test_other_host_names_get_no_answer(stack):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", stack.ports["http"], timeout=5)
    conn.request("GET", "/en/", headers={"Host": "other.example"})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        conn.getresponse()
    # Our name in TLS, another in Host: still no answer, and Django never sees it.
    other = stack.https()
    other.host_header = "other.example"
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        other.get("/en/")
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", stack.ports["https"]), timeout=5) as raw:
        with pytest.raises(ssl.SSLError):
            context.wrap_socket(raw, server_hostname="other.example")


def first_asset(site, pattern):
    home = soup(site.get("/en/"))
    for tag in home.find_all(["link", "script"]):
        url = tag.get("href") or tag.get("src") or ""
        if re.search(pattern, url):
            return url
    raise StackError(f"no {pattern} on the home page")


@pytest.mark.parametrize(
    "pattern", [r"^/static/css/site\.[0-9a-f]{12}\.css$", r"^/static/js/site\.[0-9a-f]{12}\.js$"]
)
def test_static_files_come_from_nginx_immutable_and_compressed(stack, site, pattern):
    path = first_asset(site, pattern)
    on_disk = (stack.static_root / path.removeprefix("/static/")).read_bytes()
    plain = site.get(path, headers={"Accept-Encoding": "identity"})
    assert plain.status == 200 and plain.body == on_disk
    assert "immutable" in plain.header("Cache-Control", "")
    assert "max-age=315360000" in plain.header("Cache-Control", "")
    # Django adds Referrer-Policy to everything it answers: nginx served this one.
    assert plain.header("Referrer-Policy") is None
    assert plain.header("X-Content-Type-Options") == "nosniff"
    gzipped = site.get(path, headers={"Accept-Encoding": "gzip"})
    assert gzipped.header("Content-Encoding") == "gzip"
    assert gzip.decompress(gzipped.body) == on_disk
    assert "Accept-Encoding" in gzipped.header("Vary", "")
    # The unhashed name (not linked anywhere) is not cached for ever.
    unhashed = re.sub(r"\.[0-9a-f]{12}\.", ".", path)
    answer = site.get(unhashed)
    assert answer.status == 200 and "immutable" not in answer.header("Cache-Control", "")
    brotli = site.get(path, headers={"Accept-Encoding": "gzip, br"})
    assert brotli.header("Content-Encoding") == "br"
    assert 0 < len(brotli.body) < len(on_disk)


def test_media_files_come_from_nginx_as_inert_files(site, crawl):
    portraits = sorted(path for path in crawl["assets"] if path.startswith("/media/"))
    answer = site.get(portraits[0])
    assert answer.status == 200
    assert answer.header("Content-Type", "").startswith("image/")
    assert answer.header("Referrer-Policy") is None, "served by nginx, not Django"
    assert answer.header("X-Content-Type-Options") == "nosniff"
    assert "sandbox" in answer.header("Content-Security-Policy", "")


def test_pages_carrying_a_csrf_token_are_never_compressed(site):
    answer = site.get("/admin/login/", headers={"Accept-Encoding": "gzip, br"})
    assert answer.status == 200
    assert "csrfmiddlewaretoken" in answer.text
    assert answer.header("Content-Encoding") is None


def test_health_answers_json_outside_languages_and_caches(site):
    answer = site.get("/health/")
    assert answer.status == 200
    body = answer.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["cache"] == "ok"
    assert body["migrations_pending"] == 0
    assert isinstance(body["oldest_waiting_task_seconds"], (int, float))
    assert "public" not in answer.header("Cache-Control", "")
    assert len(answer.body) < 1000, "a small body"


def signup(stack, site, address, language="en"):
    page = site.get(f"/{language}/newsletter/")
    assert page.status == 200
    form = find_form(soup(page), id="newsletter-page-form")
    fields = replace_field(form_fields(form), "email", address)
    return site.post_form(
        form["action"],
        fields,
        headers={"Origin": stack.site_url, "Referer": f"{stack.site_url}/{language}/newsletter/"},
    )


def confirmation_link(stack, message):
    links = re.findall(r"https://[^\s\"'<>]+/newsletter/confirm/[^\s\"'<>]+", message.text())
    assert links, message.text()
    assert all(link.startswith(f"{stack.site_url}/") for link in links), links
    return links[0]


def test_newsletter_signup_emails_a_confirmation_with_a_site_url_link(stack, site):
    address = f"reader-{secrets.token_hex(4)}@example.org"
    answer = signup(stack, site, address)
    assert answer.status == 200, answer.text[:2000]
    assert answer.header("Set-Cookie") is None
    (message,) = stack.sink.wait_for(address, timeout=30)
    assert HOST in message.mail_from
    link = confirmation_link(stack, message)
    confirm_page = site.get(site_path(link, stack))
    assert confirm_page.status == 200
    form = soup(confirm_page).find("form", method=re.compile("post", re.I))
    confirmed = site.post_form(
        form.get("action") or site_path(link, stack),
        form_fields(form),
        headers={"Origin": stack.site_url},
    )
    assert confirmed.status == 200
    rows = stack.sql("SELECT status FROM newsletter_subscriber WHERE email = %s", [address])
    assert rows == [("confirmed",)]


def article_path(stack, site):
    section = soup(site.get("/en/understanding-aml/"))
    for link in section.find_all("a", href=True):
        if re.fullmatch(r"/en/understanding-aml/[a-z0-9-]+/", link["href"]):
            return link["href"]
    raise StackError("no article linked from /en/understanding-aml/")


def test_an_approved_change_through_one_process_shows_at_once_through_the_other(stack, site):
    path = "/en/understanding-aml/what-is-aml/"
    web_b = stack.direct("web_b")
    # Both instances have the page in the shared page cache, and their workers in their own
    # memory, before the change.
    for _ in range(6):
        assert web_b.get(path).status == 200
        assert site.get(path).status == 200
    editor = stack.direct("web_a")
    admin_login(editor, stack)
    (article_id,) = stack.sql(
        "SELECT id FROM education_article WHERE slug_en = %s", ["what-is-aml"]
    )[0]
    change = f"/admin/education/article/{article_id}/change/"
    form = find_form(soup(editor.get(change)), id="article_form")
    title = f"What is AML? Edited {secrets.token_hex(3)}"
    fields = replace_field(form_fields(form), "title_en", title) + [("_save", "Save")]
    saved = editor.post_form(
        change, fields, headers={"Origin": stack.site_url, "Referer": f"{stack.site_url}{change}"}
    )
    assert saved.status == 302, soup(saved).find(class_="errornote") or saved.text[:3000]
    # A live page's edit waits for review: visitors still read the approved text.
    revision_id = int(saved.header("Location").rstrip("/").split("/")[-2])
    assert title not in site.get(path).text and title not in web_b.get(path).text
    # A second person approves it (here in another process, through the workflow; the
    # review pages are tested in tests/test_revisions_admin.py).
    approve = (
        "from django.contrib.auth import get_user_model\n"
        "from knowaml.revisions import workflow\n"
        "from knowaml.revisions.models import Revision\n"
        f"revision = Revision.objects.get(pk={revision_id})\n"
        "workflow.submit(revision, revision.author, kind=Revision.Kind.MINOR)\n"
        "reviewer = get_user_model().objects.create_superuser('reviewer', '', None)\n"
        "workflow.approve(revision, reviewer)\n"
    )
    stack.manage("shell", "-c", approve)
    for _ in range(6):  # every worker of each instance
        assert title in web_b.get(path).text, "process B still serves the old page"
        assert title in site.get(path).text
    assert title in stack.direct("web_a").get(path).text


def test_the_admin_asks_staff_for_a_second_factor(stack):
    """A password alone opens no admin page in production: the editor's first log-in set
    up an authenticator (html.admin_login), and every later one gives its code."""
    editor = stack.https()
    admin_login(editor, stack)
    assert editor.get("/admin/").status == 200
    username, password = stack.editor
    half = stack.https()
    page = soup(half.get("/admin/login/?next=/admin/"))
    fields = replace_field(
        replace_field(form_fields(find_form(page, id="login-form")), "username", username),
        "password",
        password,
    )
    headers = {"Origin": stack.site_url, "Referer": f"{stack.site_url}/admin/login/"}
    answer = half.post_form("/admin/login/?next=/admin/", fields, headers=headers)
    assert answer.status == 302
    assert answer.header("Location").startswith("/admin/two-factor/?")
    refused = half.get("/admin/")
    assert refused.status == 302 and refused.header("Location").startswith("/admin/login/")


def test_repeated_failed_sign_ins_are_locked_out_through_nginx(stack):
    """Counted in PostgreSQL per account and client address (nginx's X-Forwarded-For):
    the fifth wrong password gets the lockout page; the editor, from the same address, is
    not locked out by someone else's failures."""
    visitor = stack.https()
    name = f"guess-{secrets.token_hex(3)}"
    headers = {"Origin": stack.site_url, "Referer": f"{stack.site_url}/admin/login/"}
    answers = []
    for _ in range(6):
        form = find_form(soup(visitor.get("/admin/login/")), id="login-form")
        fields = replace_field(
            replace_field(form_fields(form), "username", name), "password", "wrong"
        )
        answers.append(visitor.post_form("/admin/login/", fields, headers=headers))
    assert [a.status for a in answers] == [200, 200, 200, 200, 429, 429]
    assert "Too many failed sign-ins" in answers[-1].text
    assert 1 <= int(answers[-1].header("Retry-After")) <= 1800
    query = "SELECT host(ip_address), failures_since_start FROM axes_accessattempt"
    rows = stack.sql(f"{query} WHERE username = %s", [name])
    assert rows == [("127.0.0.1", 5)]
    admin_login(stack.https(), stack)


def test_request_ids_tie_nginx_and_app_logs_and_queries_stay_out_of_the_access_log(stack, site):
    secret_word = f"myelo{secrets.token_hex(4)}"
    answer = site.get(f"/en/search/?q={secret_word}")
    assert answer.status == 200
    request_id = answer.header("X-Request-ID")
    assert request_id and re.fullmatch(r"[0-9a-f]{32}", request_id), request_id

    def logged():
        access = (stack.logs / "nginx-access.log").read_text(encoding="utf-8")
        apps = stack.processes["web_a"].log() + stack.processes["web_b"].log()
        return request_id in access and request_id in apps and (access, apps)

    access, apps = wait_for(logged, 5, "the request id in nginx's and the app's logs")
    assert secret_word not in access, "search words must not reach the access log"
    line = next(line for line in apps.splitlines() if request_id in line)
    assert re.search(r"\b200\b", line) and re.search(r"\d+(\.\d+)?\s*ms", line), line


def test_nothing_so_far_was_reported_to_admins(stack):
    errors = [m.subject for m in stack.sink.snapshot() if any("admins@" in r for r in m.rcpt_tos)]
    assert errors == []
    for name in ("web_a", "web_b", "worker", "clock"):
        log = stack.processes[name].log()
        assert "Traceback" not in log, f"{name}:\n{stack.processes[name].tail(60)}"


def test_the_backup_unit_writes_a_complete_backup(stack):
    """knowaml-backup.service as its timer would run it, against this stack."""
    backups = stack.tmp / "backups"
    backups.mkdir()
    command = unit_command(
        "knowaml-backup.service", stack.env_file, paths={"/var/backups/knowaml": backups}
    )
    for argv in [command.argv, *command.post]:
        stack.run(argv, env=command.env, cwd=command.cwd, timeout=120)
    (folder,) = [path for path in backups.iterdir() if path.name.startswith("knowaml-")]
    listing = stack.run(["pg_restore", "--list", str(folder / "database.dump")]).stdout
    for table in ("education_article", "stories_story", "newsletter_subscriber"):
        assert re.search(rf"TABLE DATA public {table} ", listing), table
    with tarfile.open(folder / "media.tar") as archive:
        names = archive.getnames()
    portraits = [path for path in stack.media_root.rglob("*") if path.is_file()]
    assert portraits and len([name for name in names if name.endswith(".webp")]) >= 4, names


def test_a_web_process_without_collected_static_files_refuses_to_start(stack):
    """The one-line refusal, not 500s on every page (collectstatic forgotten)."""
    empty = stack.tmp / "empty-static"
    empty.mkdir()
    command = unit_command("knowaml-web@.service", stack.env_file, instance=free_port())
    result = stack.run(
        command.argv,
        env={**command.env, "STATIC_ROOT": str(empty)},
        cwd=command.cwd,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "collectstatic" in output, output[-3000:]


def test_check_deploy_is_clean_with_the_production_env_file(stack):
    result = stack.manage("check", "--deploy", "--fail-level", "WARNING", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
