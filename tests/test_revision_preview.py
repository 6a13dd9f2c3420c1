import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from knowaml.languages import language_codes
from knowaml.revisions.models import Revision

from .conftest import html, make_article, page_text

LANGUAGES = language_codes()


@pytest.fixture
def article(section):
    body = "AML can come back.\n\n## Treatment\n\nYour team will plan the next step."
    texts = {code: page_text(f"relapse-{code}", f"Relapse {code}", body) for code in LANGUAGES}
    texts["ar"] = page_text("انتكاس", "الانتكاس", "قد يعود المرض.\n\n## العلاج\n\nسيخطط فريقك.")
    return make_article(section, **texts)


def propose(obj, language, values, state=Revision.State.SUBMITTED):
    return Revision.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        language=language,
        values=values,
        live_values={name: getattr(obj, name) for name in values},
        state=state,
    )


def revised_body(article, code):
    live = getattr(article, f"body_{code}")
    new = live.replace("plan the next step", "talk with you") if code != "ar" else live + " اليوم"
    return propose(article, code, {f"body_{code}": new})


def preview_url(revision, language=None, name="revisions:preview"):
    url = reverse(name, args=[revision.pk])
    return f"{url}?language={language}" if language else url


def test_each_language_shows_live_and_revision_side_by_side_with_changed_words_marked(
    admin_client, article
):
    for code in LANGUAGES:
        revision = revised_body(article, code)
        response = admin_client.get(preview_url(revision))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        page = html(response)
        body = page.find("section", class_="revision-field-changed")
        assert body.find(id="field-body"), f"{code}: only the body is marked as changed"
        live, proposed = body.select(".word-diff-text")
        assert live["lang"] == proposed["lang"] == code
        assert live["dir"] == proposed["dir"] == ("rtl" if code == "ar" else "ltr")
        added = proposed.find("ins").get_text()
        if code == "ar":
            assert "اليوم" in added and not live.find("del")
        else:
            assert "talk with you" in added and "plan the next step" in live.find("del").text
            assert "Your team will" in live.get_text() and "Your team will" in proposed.get_text()
        current = page.select_one(".revision-languages [aria-current=page]")
        assert current["lang"] == code
        assert len(page.select(".revision-languages a")) == len(LANGUAGES)


def test_another_language_is_shown_on_request_and_says_what_visitors_would_see(
    admin_client, article
):
    revision = revised_body(article, "en")
    revision.values["video_url_en"] = "https://www.youtube.com/watch?v=abc"
    revision.save()
    english = html(admin_client.get(preview_url(revision, "en")))
    video = english.find(id="field-video_url_en").find_parent("section")
    assert "youtube.com" in video.find("ins").get_text()
    spanish = html(admin_client.get(preview_url(revision, "es")))
    changed = spanish.select(".revision-field-changed")
    assert [s.h2["id"] for s in changed] == ["field-video_url_en"], "the Spanish text is unchanged"
    assert spanish.select_one(".word-diff-text")["lang"] == "es"
    page_link = spanish.find("a", href=preview_url(revision, "es", "revisions:page_preview"))
    assert page_link is not None


def test_the_full_page_preview_shows_the_revision_while_the_public_page_stays_live(
    admin_client, client, article
):
    revision = revised_body(article, "es")
    response = admin_client.get(preview_url(revision, "es", "revisions:page_preview"))
    assert response.status_code == 200
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    text = html(response).get_text()
    assert "talk with you" in text and "plan the next step" not in text
    assert html(response).select(".preview-banner")
    public = client.get(article.get_absolute_url().replace("/en/", "/es/", 1), follow=True)
    assert public.status_code == 200
    assert "plan the next step" in public.content.decode()
    assert "talk with you" not in public.content.decode()
    article.refresh_from_db()
    assert "plan the next step" in article.body_es


def test_a_glossary_revision_has_the_side_by_side_view_only(admin_client, glossary):
    term = glossary["blast"]
    revision = propose(term, "en", {"definition_en": "A young blood cell that is not ready."})
    page = html(admin_client.get(preview_url(revision)))
    definition = page.select_one("#field-definition").find_parent("section")
    assert "ready" in [ins.contents[1].strip() for ins in definition.select("ins")]
    assert not page.find("a", href=preview_url(revision, "en", "revisions:page_preview"))
    assert admin_client.get(preview_url(revision, name="revisions:page_preview")).status_code == 404


def test_only_staff_who_may_see_the_page_can_preview(client, article):
    revision = revised_body(article, "en")
    users = get_user_model().objects
    for name in ("revisions:preview", "revisions:page_preview"):
        anonymous = client.get(preview_url(revision, name=name))
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(users.create_user("visitor", "v@example.org", "pw"))
    assert client.get(preview_url(revision)).status_code == 302
    staff = users.create_user("staff", "s@example.org", "pw", is_staff=True)
    client.force_login(staff)
    assert client.get(preview_url(revision)).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_article"))
    assert client.get(preview_url(revision)).status_code == 200


def test_a_discarded_or_unknown_revision_is_not_found(admin_client, article):
    revision = revised_body(article, "en")
    revision.state = Revision.State.DISCARDED
    revision.save()
    for name in ("revisions:preview", "revisions:page_preview"):
        assert admin_client.get(preview_url(revision, name=name)).status_code == 404
        missing = reverse(name, args=[revision.pk + 100])
        assert admin_client.get(missing).status_code == 404
    orphan = revised_body(article, "es")
    article.delete()
    assert admin_client.get(preview_url(orphan)).status_code == 404


def test_a_story_revision_previews_as_its_public_page(admin_client):
    from .stories_fixtures import make_story

    story = make_story(
        en={
            "title": "Sam's story",
            "slug": "sams-story",
            "summary": "Sam.",
            "body": "I rode a bike.",
        }
    )
    revision = propose(story, "en", {"body_en": "I rode a horse.", "first_name": "Samira"})
    page = admin_client.get(preview_url(revision, "en", "revisions:page_preview"))
    assert page.status_code == 200 and "I rode a horse." in page.content.decode()
    diff = html(admin_client.get(preview_url(revision)))
    assert diff.find(id="field-first_name").find_parent("section").find("ins").text.count("Samira")
