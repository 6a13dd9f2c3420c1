"""The feedback endpoint. It sets no cookie and reads no session, like the page it sits on.

The form is on every cached page, so it carries no CSRF token; a same-site check
(``knowaml.origin``), a rate limit per address, a honeypot and strict validation guard it
instead. Nothing personal is stored.
"""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from knowaml import ratelimit
from knowaml.origin import same_site_post
from knowaml.public_views import page_context

from .forms import FeedbackForm, find_target
from .models import Feedback

THANKS = "?feedback=thanks#feedback"


def _not_stored(response):
    response["Cache-Control"] = "no-store"
    return response


def _page(request, template, obj, status, **extra):
    """A small page with a way back to the page the visitor came from."""
    if obj is not None:
        shown = obj.localized()
        extra.update(target=shown, target_url=obj.get_absolute_url())
        extra.update(page_context(obj.get_absolute_url, obj.translated_languages()))
    else:
        extra.update(page_context(lambda: reverse("education:home")))
    return _not_stored(render(request, template, extra, status=status))


@csrf_exempt
@require_POST
@same_site_post
def submit(request):
    limit, window = getattr(settings, "FEEDBACK_RATE", (10, 60))
    if not ratelimit.allow("feedback", ratelimit.client_ip(request), limit, window):
        obj = find_target(request.POST.get("target"))
        response = _page(request, "feedback/rate_limited.html", obj, 429)
        response["Retry-After"] = str(window)
        return response
    form = FeedbackForm(request.POST)
    obj = find_target(request.POST.get("target"))
    if obj is None:
        raise Http404("No page to give feedback on.")
    url = obj.get_absolute_url()
    if form.is_bot():  # answered exactly like a person, so the bot learns nothing
        return _not_stored(HttpResponseRedirect(url + THANKS, status=303))
    if not form.is_valid():
        return _page(request, "feedback/invalid.html", obj, 400, form=form)
    Feedback.objects.create(
        page=obj,
        language=translation.get_language(),
        path=url,
        helpful=form.cleaned_data["helpful"],
        comment=form.cleaned_data["comment"],
    )
    return _not_stored(HttpResponseRedirect(url + THANKS, status=303))
