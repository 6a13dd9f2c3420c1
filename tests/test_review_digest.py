import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from education.models import Article, Page
from education.review_digest import pages_due_for_review, send_review_digest
from education.tasks import send_review_digest as digest_task

from .conftest import make_article, page_text, translations

TODAY = datetime.date(2026, 11, 2)
User = get_user_model()


def due(days, obj, today=TODAY):
    obj.next_review = today + datetime.timedelta(days)
    obj.save()
    return obj


@pytest.fixture
def pages(site):
    """Two overdue, two due soon, one later, one draft overdue, one without a date."""
    section = site["section"]
    what_is_aml, relapse = site["articles"]
    return {
        "overdue_long": due(-40, relapse),
        "overdue": due(-1, site["about"]),
        "today": due(0, what_is_aml),
        "soon": due(30, make_article(section, 3, en=page_text("diagnosis", "Diagnosis"))),
        "later": due(31, make_article(section, 4, en=page_text("types", "Types"))),
        "draft": due(
            -5,
            make_article(section, 5, Article.Status.DRAFT, en=page_text("draft", "Draft")),
        ),
        "undated": Page.objects.create(
            status=Page.Status.PUBLISHED, **translations(en=page_text("privacy", "Privacy"))
        ),
    }


@pytest.fixture
def people(db):
    editors_group = Group.objects.get(name="Editors")  # made by the groups migration
    can_edit = Permission.objects.get(
        content_type__app_label="education", codename="change_article"
    )
    perm_group = Group.objects.get(name="Clinical reviewers")  # made by its migration
    perm_group.permissions.add(can_edit)

    def user(name, **kwargs):
        return User.objects.create_user(name, f"{name}@example.org", "pw", **kwargs)

    user("boss", is_superuser=True, is_staff=True)
    user("grouped", is_staff=True).groups.add(editors_group)
    user("direct", is_staff=True).user_permissions.add(can_edit)
    user("reviewer", is_staff=True).groups.add(perm_group)
    user("translator", is_staff=True)
    user("notstaff").groups.add(editors_group)
    user("left", is_staff=True, is_active=False).groups.add(editors_group)
    User.objects.create_user("noemail", "", "pw", is_staff=True).groups.add(editors_group)
    return {"boss", "grouped", "direct", "reviewer"}


def test_lists_overdue_then_due_soon_pages_in_date_order(pages):
    listed = [page.title for page in pages_due_for_review(TODAY)]
    assert listed == ["Relapse", "About us", "What is AML?", "Diagnosis"]
    first = pages_due_for_review(TODAY)[0]
    assert first.is_overdue and first.days_overdue == 40
    assert (
        first.admin_url
        == f"http://127.0.0.1:8000/admin/education/article/{pages['overdue_long'].pk}/change/"
    )


def test_sends_one_email_to_each_editor_and_nobody_else(pages, people):
    assert send_review_digest(TODAY) == (4, 4)
    recipients = {message.to[0].split("@")[0] for message in mail.outbox}
    assert recipients == people
    assert all(len(message.to) == 1 for message in mail.outbox)


def test_email_has_text_and_html_with_absolute_admin_links(pages, people, settings):
    settings.SITE_URL = "https://knowaml.example"
    settings.PLAIN_LANGUAGE_MAX_READING_AGE = 99  # only pages due: no hard-to-read list
    send_review_digest(TODAY)
    message = mail.outbox[0]
    assert message.subject == "Know AML: 4 pages due for review (2 overdue)"
    text = message.body
    assert text.index("Overdue") < text.index("Relapse") < text.index("About us")
    assert text.index("About us") < text.index("Due within 30 days") < text.index("Diagnosis")
    assert "40 days ago" in text and "in 30 days" in text
    assert "Types" not in text and "Draft" not in text and "Privacy" not in text
    relapse_admin = f"https://knowaml.example/admin/education/article/{pages['overdue_long'].pk}/"
    assert relapse_admin in text
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{relapse_admin}change/"' in html
    assert "&lt;" not in text
    assert "due today" in text


def test_nothing_is_sent_when_no_page_is_due_or_hard_to_read(site, people, capsys, settings):
    settings.PLAIN_LANGUAGE_MAX_READING_AGE = 99  # hard-to-read pages are sent on their own
    for obj in [*site["articles"], site["about"]]:
        due(31, obj)
    assert send_review_digest(TODAY) == (0, 0)
    assert mail.outbox == []


def test_command_says_so_when_nothing_is_due(db, people, capsys):
    call_command("send_review_digest")
    assert "no email sent" in capsys.readouterr().out
    assert mail.outbox == []


def test_command_sends_the_digest(site, people, capsys):
    due(-3, site["about"], timezone.localdate())
    call_command("send_review_digest")
    assert "sent to 4 editor(s): 1 page(s) due" in capsys.readouterr().out
    assert len(mail.outbox) == 4


def test_dry_run_lists_pages_and_sends_nothing(site, people, capsys):
    due(-3, site["about"], timezone.localdate())
    call_command("send_review_digest", "--dry-run")
    out = capsys.readouterr().out
    assert "About us" in out and "boss@example.org" in out and "translator" not in out
    assert mail.outbox == []


def test_task_runs_the_same_digest(site, people):
    due(-3, site["about"], timezone.localdate())
    result = digest_task.enqueue()
    assert result.return_value == {"pages_due": 1, "emails_sent": 4}
    assert len(mail.outbox) == 4
