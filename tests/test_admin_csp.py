"""The Content-Security-Policy holds in the admin too, and the email preview is sandboxed."""

from django.urls import reverse


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ") if part}


def test_email_preview_is_sandboxed_and_runs_no_script(admin_client, issue):
    response = admin_client.get(reverse("admin:newsletter_issue_preview", args=[issue.pk, "en"]))
    policy = directives(response)
    assert "sandbox" in policy and policy["sandbox"] == []
    assert policy["default-src"] == ["'none'"]
    assert "script-src" not in policy
