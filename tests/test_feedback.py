import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri

from education.models import Article, Page
from knowaml.feedback.models import Feedback

from .conftest import html

RELAPSE = "/en/understanding-aml/relapse/"


def feedback_target(client, url):
    form = html(client.get(url)).select_one("#feedback form")
    return form["action"], form.select_one("input[name=target]")["value"]


@pytest.fixture
def post_feedback(client, site):
    def post(url=RELAPSE, **data):
        action, target = feedback_target(client, url)
        return client.post(action, {"target": target, **data})

    return post


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_article_and_page_asks_was_this_page_helpful(client, site, language):
    with translation.override(language):
        urls = [a.get_absolute_url() for a in site["articles"]]
        urls.append(site["about"].get_absolute_url())
    for url in urls:
        page = html(client.get(url))
        box = page.select_one("section#feedback")
        assert box is not None, url
        assert box.select_one("h2").get_text(strip=True)
        with translation.override(language):
            assert iri_to_uri(box.select_one("form")["action"]) == reverse("feedback:submit")
        assert {b["value"] for b in box.select("button[name=helpful]")} == {"yes", "no"}
        assert box.select_one("textarea[name=comment]")["maxlength"] == "1000"
        assert "medical details" in box.get_text() or language != "en"


def test_page_with_the_box_stays_cacheable_and_sets_no_cookie(client, site):
    response = client.get(RELAPSE)
    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")
    assert "public" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_answer_is_stored_with_page_language_and_address(post_feedback, site):
    response = post_feedback(helpful="no", comment="  What is a blast?  ")
    assert response.status_code == 303
    assert response["Location"] == RELAPSE + "?feedback=thanks#feedback"
    assert response.cookies == {}
    answer = Feedback.objects.get()
    assert answer.page == site["articles"][1]
    assert (answer.helpful, answer.comment, answer.language) == (False, "What is a blast?", "en")
    assert answer.path == RELAPSE


def test_spanish_answer_on_a_stand_alone_page_goes_back_to_the_spanish_page(client, site):
    response = client.post(
        "/es/opinion/", {"target": f"education.page:{site['about'].pk}", "helpful": "yes"}
    )
    assert response["Location"].startswith("/es/sobre-nosotros/?feedback=thanks")
    answer = Feedback.objects.get()
    assert (answer.page, answer.language, answer.helpful) == (site["about"], "es", True)


def test_thank_you_replaces_the_form_after_answering(client, site):
    box = html(client.get(RELAPSE + "?feedback=thanks")).select_one("#feedback")
    assert box.select_one("[role=status]").get_text(strip=True).startswith("Thank you")
    assert box.select_one("form") is None


def test_filled_honeypot_stores_nothing_but_answers_the_same(post_feedback):
    person = post_feedback(helpful="yes")
    bot = post_feedback(helpful="yes", website="http://spam.example")
    assert (bot.status_code, bot["Location"]) == (person.status_code, person["Location"])
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [{}, {"helpful": "maybe"}, {"helpful": "no", "comment": "x" * 1001}],
    ids=["no-answer", "unknown-answer", "comment-too-long"],
)
def test_bad_input_gets_a_clear_400_page_not_a_500(post_feedback, data):
    response = post_feedback(**data)
    assert response.status_code == 400
    assert response.cookies == {} and "Cookie" not in response.get("Vary", "")
    page = html(response)
    assert page.select_one("[role=alert]").get_text(strip=True)
    assert page.select_one(f'a[href="{RELAPSE}"]'), "a way back to the page"
    assert len(page.find_all("h1")) == 1
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize(
    "target", ["education.article:999", "auth.user:1", "education.article:x", "", "nonsense"]
)
def test_unknown_or_unsupported_page_is_404(client, site, target):
    response = client.post("/en/feedback/", {"target": target, "helpful": "yes"})
    assert response.status_code == 404
    assert Feedback.objects.count() == 0


def test_draft_page_takes_no_feedback(client, site):
    article = site["articles"][0]
    article.status = article.Status.DRAFT
    article.save()
    response = client.post(
        "/en/feedback/", {"target": f"education.article:{article.pk}", "helpful": "yes"}
    )
    assert response.status_code == 404


def test_get_is_not_allowed(client, db):
    assert client.get("/en/feedback/").status_code == 405


@override_settings(FEEDBACK_RATE=(10, 60))
def test_ten_answers_a_minute_pass_then_a_friendly_429(post_feedback):
    for _ in range(10):
        assert post_feedback(helpful="yes").status_code == 303
    response = post_feedback(helpful="yes")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    page = html(response)
    assert "wait a minute" in page.get_text()
    assert page.select_one(f'a[href="{RELAPSE}"]')
    assert Feedback.objects.count() == 10


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(user)
    return client


def test_admin_counts_answers_per_page_with_the_most_no_first(staff_client, site):
    what_is_aml, relapse = site["articles"]
    for page, helpful, comment in [
        (relapse, False, "Too many long words"),
        (relapse, False, ""),
        (relapse, True, ""),
        (what_is_aml, True, "Clear, thank you"),
    ]:
        Feedback.objects.create(
            page=page,
            language="en",
            path=page.get_absolute_url(),
            helpful=helpful,
            comment=comment,
        )
    response = staff_client.get("/admin/feedback/pagefeedback/")
    assert response.status_code == 200
    rows = html(response).select("table.feedback-summary tbody tr")
    cells = [[c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])] for row in rows]
    assert cells[0][0].startswith("Relapse") and cells[0][1:4] == ["1", "2", "1"]
    assert cells[1][0].startswith("What is AML?") and cells[1][1:4] == ["1", "0", "1"]
    link = rows[0].select_one("th a")["href"]
    assert link == f"/admin/education/article/{relapse.pk}/change/"


def listed_comments(staff_client, query):
    listing = staff_client.get("/admin/feedback/feedback/", query)
    assert listing.status_code == 200
    cells = html(listing).select("#result_list .field-short_comment")
    return sorted(cell.get_text() for cell in cells)


def test_admin_lists_filters_and_searches_comments(staff_client, site):
    relapse, about = site["articles"][1], site["about"]
    for page, language, helpful, comment in [
        (relapse, "es", False, "Too many long words"),
        (relapse, "fr", True, "Lovely"),
        (about, "es", True, "Clear"),
    ]:
        Feedback.objects.create(
            page=page, language=language, path=f"/{language}/x/", helpful=helpful, comment=comment
        )
    article_type, page_type = (ContentType.objects.get_for_model(m) for m in (Article, Page))
    assert listed_comments(staff_client, {"q": "long words"}) == ["Too many long words"]
    assert listed_comments(staff_client, {"helpful__exact": "0"}) == ["Too many long words"]
    assert listed_comments(staff_client, {"helpful__exact": "1"}) == ["Clear", "Lovely"]
    assert listed_comments(staff_client, {"language__exact": "es"}) == [
        "Clear",
        "Too many long words",
    ]
    assert listed_comments(staff_client, {"content_type__id__exact": article_type.pk}) == [
        "Lovely",
        "Too many long words",
    ]
    assert listed_comments(staff_client, {"content_type__id__exact": page_type.pk}) == ["Clear"]
    assert staff_client.get("/admin/feedback/feedback/add/").status_code == 403


def test_article_admin_page_links_to_its_feedback(staff_client, site):
    relapse = site["articles"][1]
    Feedback.objects.create(
        page=relapse, language="fr", path="/fr/x/", helpful=False, comment="Trop long"
    )
    page = html(staff_client.get(f"/admin/education/article/{relapse.pk}/change/"))
    link = page.select_one(".field-visitor_feedback a")
    assert link.get_text(strip=True) == "Helpful: 0 yes, 1 no (1 with a comment)"
    answers = html(staff_client.get(link["href"])).select_one("#result_list").get_text()
    assert "Trop long" in answers


@pytest.mark.parametrize("pk", ["²", "٣", "1" * 40, "-1", " 1"])
def test_odd_page_numbers_are_a_clear_answer_not_a_500(client, site, pk):
    data = {"helpful": "yes", "target": f"education.article:{pk}"}
    response = client.post(reverse("feedback:submit"), data)
    assert response.status_code in (400, 404)
    assert not Feedback.objects.exists()
