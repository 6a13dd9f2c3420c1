import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stories import images
from stories.models import Story

from .conftest import html
from .stories_fixtures import image_bytes
from .test_revisions_publish import approve_publication

ADD_URL = "/admin/stories/story/add/"


def story_form(**overrides):
    data = {
        "title_en": "Caring for my father",
        "slug_en": "caring-for-my-father",
        "summary_en": "A sample story.",
        "body_en": "It began with a cough.",
        "first_name": "Rosa",
        "role": "caregiver",
        "status": "published",
        "published": "2026-03-01",
        "consent_on_file": "2026-02-01",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def errors(response):
    page = html(response)
    return " ".join(e.get_text(" ") for e in page.select(".errorlist"))


def test_admin_refuses_to_publish_without_consent(admin_client):
    response = admin_client.post(ADD_URL, story_form(consent_on_file=""))
    assert response.status_code == 200
    assert "consent is on file" in errors(response)
    assert not Story.objects.exists()


def test_admin_refuses_to_publish_an_existing_draft_without_consent(admin_client):
    admin_client.post(ADD_URL, story_form(status="draft", consent_on_file=""))
    story = Story.objects.get()
    response = admin_client.post(
        f"/admin/stories/story/{story.pk}/change/", story_form(consent_on_file="")
    )
    assert "consent is on file" in errors(response)
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_admin_publishes_with_consent_and_accepts_translations(admin_client):
    response = admin_client.post(
        ADD_URL, story_form(title_es="Cuidar de mi padre", slug_es="cuidar-de-mi-padre")
    )
    assert response.status_code == 302, errors(response)
    story = Story.objects.get()
    assert not story.is_published, "publishing waits for a second person's approval"
    approve_publication(story)
    story.refresh_from_db()
    assert story.is_published
    assert story.slug_es == "cuidar-de-mi-padre"
    assert story.slug_de is None
    assert story.history.earliest().title_es == "Cuidar de mi padre"


def listed_stories(admin_client, query):
    response = admin_client.get("/admin/stories/story/", query)
    assert response.status_code == 200
    return sorted(th.get_text() for th in html(response).select("#result_list tbody th"))


def test_admin_searches_every_language_and_filters(admin_client, rosa, omar):
    Story.objects.filter(pk=omar.pk).update(status=Story.Status.DRAFT)
    assert listed_stories(admin_client, {"q": "Prendre"}) == ["Caring for my father"]
    assert listed_stories(admin_client, {"role__exact": "patient"}) == ["Life after remission"]
    assert listed_stories(admin_client, {"role__exact": "caregiver"}) == ["Caring for my father"]
    assert listed_stories(admin_client, {"status__exact": "published"}) == ["Caring for my father"]
    assert listed_stories(admin_client, {"status__exact": "draft"}) == ["Life after remission"]
    assert listed_stories(admin_client, {"translation": "missing:es"}) == ["Life after remission"]


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.jpg", b"this is not a picture at all", "valid image"),
        ("tiny.jpg", image_bytes(width=100, height=100), "at least 320 pixels"),
    ],
)
def test_admin_rejects_bad_portraits_with_a_clear_error(admin_client, name, content, message):
    form = story_form(portrait=upload(name, content), portrait_alt_en="Rosa")
    response = admin_client.post(ADD_URL, form)
    assert response.status_code == 200
    assert message in errors(response)
    assert not Story.objects.exists()


def test_admin_rejects_a_portrait_that_is_too_large(admin_client, monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 10_000)
    big = image_bytes(width=1500, height=1500, image_format="PNG")
    form = story_form(portrait=upload("big.png", big, "image/png"), portrait_alt_en="Rosa")
    response = admin_client.post(ADD_URL, form)
    assert "or less" in errors(response)
    assert not Story.objects.exists()


def test_admin_asks_for_alt_text_unless_the_portrait_is_decorative(admin_client):
    response = admin_client.post(ADD_URL, story_form(portrait=upload("p.jpg", image_bytes())))
    assert "Describe the portrait" in errors(response)
    assert not Story.objects.exists()
    form = story_form(portrait=upload("p.jpg", image_bytes()), portrait_is_decorative="on")
    assert admin_client.post(ADD_URL, form).status_code == 302
    assert Story.objects.get().renditions


def test_validator_rejects_files_that_are_not_images():
    with pytest.raises(images.ValidationError, match="not an image"):
        images.validate_portrait(upload("x.jpg", b"GIF89a but not really"))
