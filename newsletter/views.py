"""Public newsletter pages. None of them sets a cookie or reads the session.

The sign-up form sits on every cached page, so it carries no CSRF token; the endpoint is
guarded by a same-site check (``knowaml.origin``), a rate limit, a honeypot and strict
validation instead. Pages reached from an email link are guarded by the token in their
address: whoever holds it may act on that subscription, so neither a CSRF token nor an origin
check would add anything, and those forms are csrf_exempt too (which keeps them free of
cookies as well). Their ``Referrer-Policy: no-referrer`` also makes browsers send
``Origin: null`` from them, which an origin check would refuse.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from knowaml import ratelimit
from knowaml.origin import same_site_post
from knowaml.public_views import make_public, named_page_context, page_context

from . import subscriptions
from .forms import PreferencesForm, SignupForm
from .models import Subscriber, is_token
from .tokens import ExpiredToken, InvalidToken, read_confirm_token


def private(response):
    """Token pages: never cached, never leak their address to another site."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def signup_page(request, form, status=200):
    context = {"form": form, **named_page_context("newsletter:signup")}
    return render(request, "newsletter/signup.html", context, status=status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@same_site_post(template_name="newsletter/not_same_site.html", page="newsletter:signup")
def signup(request):
    language = translation.get_language()
    if request.method == "GET":
        form = SignupForm(language=language, page=request.path)
        return make_public(signup_page(request, form))
    limit, window = settings.NEWSLETTER_SIGNUP_RATE
    if not ratelimit.allow("signup", ratelimit.client_ip(request), limit, window):
        context = named_page_context("newsletter:signup")
        response = render(request, "newsletter/rate_limited.html", context, status=429)
        response["Retry-After"] = str(window)
        return response
    form = SignupForm(request.POST, language=language)
    if form.is_bot():
        return check_your_inbox(request)
    if not form.is_valid():
        return signup_page(request, form, status=400)
    data = form.cleaned_data
    subscriptions.subscribe(data["email"], data["language"], data["page"], data["wording"])
    return check_your_inbox(request)


def check_your_inbox(request):
    """The one answer to every accepted sign-up, whoever the address belongs to."""
    context = named_page_context("newsletter:signup")
    response = render(request, "newsletter/check_your_inbox.html", context)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    context = named_page_context("newsletter:signup")
    try:
        subscriber_id, prefix = read_confirm_token(token)
    except ExpiredToken:
        return private(render(request, "newsletter/link_expired.html", context, status=410))
    except InvalidToken:
        subscriber_id, prefix = 0, "-"
    subscriber = Subscriber.objects.filter(pk=subscriber_id, token__startswith=prefix).first()
    usable = {Subscriber.Status.PENDING, Subscriber.Status.CONFIRMED}
    if subscriber is None or subscriber.status not in usable:
        return private(render(request, "newsletter/link_invalid.html", context, status=400))
    context["subscriber"] = subscriber
    if request.method == "POST" and subscriptions.confirm(subscriber):
        context["preferences_url"] = reverse("newsletter:preferences", args=[subscriber.token])
        return private(render(request, "newsletter/confirmed.html", context))
    # GET only shows the button: mail scanners open links, people press buttons.
    return private(render(request, "newsletter/confirm.html", context))


def subscriber_by_token(token):
    """The subscriber this unsubscribe/preferences token belongs to, or None.

    An address that cannot be a token (a NUL byte, an overlong string) is not looked up:
    PostgreSQL refuses NUL bytes, which would turn a typo into a server error.
    """
    if not is_token(token):
        return None
    return Subscriber.objects.filter(token=token).exclude(status=Subscriber.Status.ERASED).first()


def subscriber_or_404(token):
    subscriber = subscriber_by_token(token)
    if subscriber is None:
        raise Http404
    return subscriber


@csrf_exempt
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    subscriber = subscriber_or_404(token)
    form = PreferencesForm(initial={"language": subscriber.language})
    saved = False
    if request.method == "POST":
        if request.POST.get("action") == "unsubscribe":
            subscriptions.unsubscribe(subscriber)
            saved = True
        else:
            form = PreferencesForm(request.POST)
            if form.is_valid():
                subscriber.language = form.cleaned_data["language"]
                subscriber.save(update_fields=["language"])
                saved = True
    context = {
        "subscriber": subscriber,
        "form": form,
        "saved": saved,
        "is_receiving": subscriber.status == Subscriber.Status.CONFIRMED,
        **page_context(lambda: reverse("newsletter:preferences", args=[token])),
    }
    return private(render(request, "newsletter/preferences.html", context))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def one_click_unsubscribe(request, token):
    """RFC 8058: a POST unsubscribes at once, without cookies, tokens or redirects.

    A GET (a person following the visible link, or a mail scanner) only shows the button.
    """
    subscriber = subscriber_by_token(token)
    if request.method == "POST" and subscriber is not None:
        subscriptions.unsubscribe(subscriber)
    # A POST with an unknown token says "done" too: it must not reveal who exists. An
    # address that cannot be a token reveals nothing either way: it is simply not found.
    done = request.method == "POST" and is_token(token)
    language = subscriber.language if subscriber else translation.get_language()
    with translation.override(language):
        context = {
            "done": done,
            "known": subscriber is not None,
            "is_receiving": bool(subscriber) and subscriber.status == Subscriber.Status.CONFIRMED,
            **named_page_context("newsletter:signup"),
        }
        status = 200 if subscriber or done else 404
        response = render(request, "newsletter/unsubscribe.html", context, status=status)
    return private(response)
