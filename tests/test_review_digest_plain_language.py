import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from education.models import Article
from education.review_digest import pages_hard_to_read, send_review_digest

from .conftest import make_article

TODAY = datetime.date(2026, 11, 2)
EASY = "We check your blood. It does not hurt. You can go home the same day."
HARD = (
    "Consolidation chemotherapy, administered following the achievement of morphological "
    "remission, substantially reduces the probability of subsequent haematological relapse."
)


def text(title, body):
    return {"title": title, "slug": title.lower(), "summary": "", "body": body}


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")


@pytest.fixture
def pages(section, editor):
    def article(order, title, days, en=EASY, status=Article.Status.PUBLISHED, **languages):
        made = make_article(section, order, status, en=text(title, en), **languages)
        made.next_review = TODAY + datetime.timedelta(days)
        made.save()
        return made

    return {
        "overdue_long": article(1, "Relapse", -45),
        "overdue_longer": article(2, "Treatment", -60),
        "overdue": article(3, "Diagnosis", -5),
        "soon": article(4, "Types", 10),
        "hard": article(5, "Prognosis", 200, en=HARD),
        "hard_french": article(6, "Trials", 200, fr=text("Essais", HARD)),
        "hard_draft": article(7, "Draft", 200, en=HARD, status=Article.Status.DRAFT),
    }


def sections(message):
    """The HTML part's headings, each with the page titles listed under it."""
    soup = BeautifulSoup(message.alternatives[0][0], "html.parser")
    return {
        heading.get_text(): [link.get_text() for link in heading.find_next("ul").find_all("a")]
        for heading in soup.find_all("h2")
    }


def test_pages_overdue_beyond_the_grace_period_come_first_under_their_own_heading(pages):
    send_review_digest(TODAY)
    message = mail.outbox[0]
    found = sections(message)
    assert list(found)[:3] == ["Overdue by more than 30 days", "Overdue", "Due within 30 days"]
    assert found["Overdue by more than 30 days"] == ["Treatment", "Relapse"]
    assert found["Overdue"] == ["Diagnosis"]
    soup = BeautifulSoup(message.alternatives[0][0], "html.parser")
    assert soup.find(["h2", "p", "ul"], recursive=True).get_text() == (
        "Overdue by more than 30 days"
    )

    body = message.body
    assert body.startswith("Overdue by more than 30 days\n")
    assert body.index("Treatment") < body.index("Relapse") < body.index("pages need")
    assert body.index("pages need") < body.index("\nOverdue\n") < body.index("Diagnosis")
    assert "60 days ago" in body and "45 days ago" in body


def test_grace_period_is_a_setting(pages, settings):
    settings.REVIEW_GRACE_DAYS = 50
    send_review_digest(TODAY)
    found = sections(mail.outbox[0])
    assert found["Overdue by more than 50 days"] == ["Treatment"]
    assert found["Overdue"] == ["Relapse", "Diagnosis"]


def test_no_long_overdue_heading_when_none_is_past_the_grace_period(pages, settings):
    settings.REVIEW_GRACE_DAYS = 90
    send_review_digest(TODAY)
    assert not [h for h in sections(mail.outbox[0]) if h.startswith("Overdue by more than")]
    assert not mail.outbox[0].body.startswith("Overdue by more than")


def test_published_pages_above_the_reading_age_are_listed_with_score_and_link(pages):
    send_review_digest(TODAY)
    message = mail.outbox[0]
    found = sections(message)
    assert found["Hard to read: for readers older than 11"] == ["Prognosis", "Trials"]

    html = message.alternatives[0][0]
    prognosis_admin = f"http://127.0.0.1:8000/admin/education/article/{pages['hard'].pk}/change/"
    assert f'<a href="{prognosis_admin}">Prognosis</a>' in html
    body = message.body
    heading = body.index("Hard to read: for readers older than 11")
    listed = body[heading:]
    assert "- Prognosis (article): English " in listed
    assert "(Flesch reading ease), 21 years and over" in listed
    assert prognosis_admin in listed
    # Only the French of "Trials" is hard; its easy English is not mentioned.
    trials = listed[listed.index("- Trials") :].split("\n")[0]
    assert "French " in trials and "(Kandel–Moles)" in trials and "English" not in trials
    assert "Draft" not in body and "Relapse" not in listed


def test_hard_to_read_uses_the_setting(pages, settings):
    assert [page.title for page in pages_hard_to_read()] == ["Prognosis", "Trials"]
    settings.PLAIN_LANGUAGE_MAX_READING_AGE = 25
    assert pages_hard_to_read() == []
    send_review_digest(TODAY)
    assert "Hard to read" not in mail.outbox[0].body
    assert not [h for h in sections(mail.outbox[0]) if h.startswith("Hard to read")]


def test_hard_to_read_pages_are_sent_even_when_no_review_is_due(section, editor, capsys):
    far = TODAY + datetime.timedelta(days=200)
    for order, (title, body) in enumerate([("Easy", EASY), ("Prognosis", HARD)], start=1):
        made = make_article(section, order, en=text(title, body))
        Article.objects.filter(pk=made.pk).update(next_review=far)

    assert send_review_digest(TODAY) == (0, 1)
    mail.outbox.clear()
    call_command("send_review_digest")
    out = capsys.readouterr().out
    assert "sent to 1 editor(s)" in out and "hard to read" in out and "no email" not in out
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Know AML: 1 page hard to read"
    assert list(sections(message)) == ["Hard to read: for readers older than 11"]
    assert sections(message)["Hard to read: for readers older than 11"] == ["Prognosis"]
    assert "medical review" not in message.body and "Due within" not in message.body

    mail.outbox.clear()
    Article.objects.filter(title_en="Prognosis").update(status=Article.Status.DRAFT)
    assert send_review_digest(TODAY) == (0, 0), "nothing due and nothing hard: no email"
    call_command("send_review_digest")
    assert "no email sent" in capsys.readouterr().out
    assert not mail.outbox
