"""One log line per request, and the request's id on every line logged while it runs.

The id comes from the front server's ``X-Request-ID`` (nginx's ``$request_id``) when it
looks like one, so nginx's and the app's lines can be matched; otherwise a new one. Paths
that carry a secret (newsletter tokens) are logged by their route, never verbatim.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

logger = logging.getLogger("knowaml.requests")

_request_id = ContextVar("request_id", default="-")
VALID_ID = re.compile(r"^[A-Za-z0-9_.-]{8,64}$")


class OneLineFormatter(logging.Formatter):
    """Tracebacks and multi-line messages stay on one line, so one event is one line."""

    def format(self, record):
        return super().format(record).replace("\r", "").replace("\n", " ⏎ ")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True


def logged_path(request):
    match = getattr(request, "resolver_match", None)
    if match is not None and "token" in match.kwargs:
        return "/" + match.route
    return request.path


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if VALID_ID.match(given) else uuid.uuid4().hex[:16]
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s %.1fms",
                request.method,
                logged_path(request),
                response.status_code,
                (time.perf_counter() - started) * 1000,
            )
            return response
        finally:
            _request_id.reset(token)
