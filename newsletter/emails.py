"""The emails the newsletter sends: confirmation requests and issues, each HTML + text."""

import email.policy
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from knowaml.addresses import absolute_url
from knowaml.languages import SOURCE_LANGUAGE, language_bidi, language_name_local
from knowaml.plaintext import markdown_to_text
from knowaml.rendering import render_markdown, with_absolute_links

from .tokens import make_confirm_token

ONE_CLICK = "List-Unsubscribe=One-Click"


def unsubscribe_url(subscriber):
    # Outside the language prefix: a one-click POST must never meet a redirect.
    return absolute_url(reverse("newsletter-unsubscribe", args=[subscriber.token]))


def preferences_url(subscriber):
    with translation.override(subscriber.language):
        return absolute_url(reverse("newsletter:preferences", args=[subscriber.token]))


def confirm_url(subscriber):
    with translation.override(subscriber.language):
        return absolute_url(reverse("newsletter:confirm", args=[make_confirm_token(subscriber)]))


def list_id():
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"Know AML newsletter <newsletter.{host}>"


class NewsletterMessage(EmailMultiAlternatives):
    def message(self, *, policy=email.policy.default):
        # Headers may be up to 998 characters (RFC 5322). With the default 78, Python
        # turns a long List-Unsubscribe URL into RFC 2047 encoded words that mailbox
        # providers do not decode, and one-click unsubscribe silently stops working.
        return super().message(policy=policy.clone(max_line_length=998))


def _message(subject, text, html, to, language, headers=None):
    message = NewsletterMessage(
        subject, text, to=[to], headers={"Content-Language": language, **(headers or {})}
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(subscriber):
    language = subscriber.language
    with translation.override(language):
        context = {
            "confirm_url": confirm_url(subscriber),
            "max_age_days": settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS,
            "language": language,
            "bidi": language_bidi(language),
        }
        subject = render_to_string("newsletter/email/confirm_subject.txt", context)
        text = render_to_string("newsletter/email/confirm.txt", context)
        html = render_to_string("newsletter/email/confirm.html", context)
    return _message(
        " ".join(subject.split()),
        text,
        html,
        subscriber.email,
        language,
        {"Auto-Submitted": "auto-generated"},
    )


class Edition:
    """An issue as read in one language: its own version, or English with a note."""

    def __init__(self, issue, language):
        self.requested = language
        self.language = language if issue.is_translated_into(language) else SOURCE_LANGUAGE
        self.is_fallback = self.language != language
        self.subject = getattr(issue, f"subject_{self.language}")
        body = getattr(issue, f"body_{self.language}")
        self.body_text = markdown_to_text(body)
        # Safe: with_absolute_links runs nh3 with the same allowlist as render_markdown
        # (tests/test_newsletter_plain_text.py checks the HTML part is that markup, unescaped).
        self.body_html = mark_safe(with_absolute_links(render_markdown(body).html))  # noqa: S308
        self.bidi = language_bidi(language)
        self.content_bidi = language_bidi(self.language)
        self.requested_name = language_name_local(language)
        self.templates = (
            get_template("newsletter/email/issue.txt"),
            get_template("newsletter/email/issue.html"),
        )

    def message(self, subscriber, to=None):
        unsubscribe = unsubscribe_url(subscriber)
        context = {
            "edition": self,
            "unsubscribe_url": unsubscribe,
            "preferences_url": preferences_url(subscriber),
        }
        with translation.override(self.requested):
            text, html = (template.render(context) for template in self.templates)
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": ONE_CLICK,
            "List-Id": list_id(),
        }
        return _message(self.subject, text, html, to or subscriber.email, self.language, headers)


class Editions(dict):
    """Each language's edition of one issue, rendered once per send."""

    def __init__(self, issue):
        super().__init__()
        self.issue = issue

    def __missing__(self, language):
        self[language] = Edition(self.issue, language)
        return self[language]
