"""The plain-text part of a newsletter reads as text, not as Markdown source."""

from django.core import mail
from django.urls import reverse

from knowaml.plaintext import markdown_to_text
from knowaml.rendering import render_markdown, with_absolute_links
from newsletter.models import Issue
from newsletter.tasks import send_issue

BODY = """A new **treatment** trial, _open_ now.

## Dates and places

Read [about relapse](/en/understanding-aml/relapse/) or \
[the NHS page](https://www.nhs.uk/conditions/acute-myeloid-leukaemia/).

- First *item*
- Second with **bold**
    - nested point

1. One
2. Two

Write to <help@example.org> or visit <https://www.nhs.uk/>.
"""

EXPECTED = """A new treatment trial, open now.

Dates and places

Read about relapse (http://127.0.0.1:8000/en/understanding-aml/relapse/) or \
the NHS page (https://www.nhs.uk/conditions/acute-myeloid-leukaemia/).

- First item
- Second with bold
  - nested point

1. One
2. Two

Write to help@example.org or visit https://www.nhs.uk/."""


def test_sent_issue_has_a_readable_text_part_and_the_same_html(make_subscriber):
    reader = make_subscriber("en")
    issue = Issue.objects.create(subject_en="AML news", body_en=BODY)
    send_issue.enqueue(issue.pk)
    (message,) = mail.outbox
    assert message.to == [reader.email]
    assert EXPECTED in message.body
    for markup in ("##", "**", "_open_", "*item*", "](", "<http"):
        assert markup not in message.body
    html_part = message.alternatives[0].content
    assert with_absolute_links(render_markdown(BODY).html) in html_part
    assert "<strong>treatment</strong>" in html_part
    assert 'href="http://127.0.0.1:8000/en/understanding-aml/relapse/"' in html_part


def test_the_text_preview_shows_what_readers_get(admin_client):
    issue = Issue.objects.create(subject_en="AML news", body_en=BODY)
    url = reverse("admin:newsletter_issue_preview", args=[issue.pk, "en"])
    text = admin_client.get(url + "?part=text").content.decode()
    assert EXPECTED in text


def test_right_to_left_text_and_other_blocks():
    text = markdown_to_text(
        "## العلاج\n\nنص **مهم** عن [الانتكاس](/ar/x/).\n\n> A quote\n> on two lines\n\n"
        "| Drug | Days |\n|---|---|\n| A | 7 |\n\n    code  kept\n\n---\n\nEnd &amp; <b>raw</b>"
    )
    assert text.split("\n\n") == [
        "العلاج",
        "نص مهم عن الانتكاس (http://127.0.0.1:8000/ar/x/).",
        "    A quote on two lines",
        "Drug | Days\nA | 7",
        "code  kept",
        "----",
        "End & <b>raw</b>",
    ]


def test_empty_and_link_only_bodies():
    assert markdown_to_text("") == ""
    assert markdown_to_text("[#top](#top) and [same](https://a.example/)") == (
        "#top and same (https://a.example/)"
    )
