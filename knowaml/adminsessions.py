"""Staff sessions end after a working day without admin activity.

``SESSION_COOKIE_AGE`` is the idle limit. ``SESSION_SAVE_EVERY_REQUEST`` would also renew
the cookie on every public page a signed-in editor reads, and a public page must never set
a cookie (it is cached and shared), so only admin requests renew the session.
"""

from django.urls import reverse


class RenewAdminSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(reverse("admin:index")) and request.user.is_authenticated:
            request.session.modified = True
        return response
