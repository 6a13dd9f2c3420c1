from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from .public_views import named_page_context


def page_not_found(request, exception):
    context = named_page_context("education:home")
    context["canonical_url"] = None
    return render(request, "404.html", context, status=404)


def server_error(request):
    # Rendered without context processors or queries: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
