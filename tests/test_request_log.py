import logging

from django.core import mail


def test_one_line_per_request_with_id_status_and_duration(client, caplog, relapse):
    with caplog.at_level(logging.INFO, logger="knowaml.requests"):
        response = client.get(relapse.get_absolute_url(), HTTP_X_REQUEST_ID="abc123def456")
    lines = [r for r in caplog.records if r.name == "knowaml.requests"]
    assert len(lines) == 1
    message = lines[0].getMessage()
    assert message.startswith(f"GET {relapse.get_absolute_url()} 200 ") and message.endswith("ms")
    assert response["X-Request-ID"] == "abc123def456"


def test_a_forged_request_id_is_replaced(client, db):
    response = client.get("/health/", HTTP_X_REQUEST_ID="bad id\nforged log line")
    assert "\n" not in response["X-Request-ID"] and len(response["X-Request-ID"]) == 16


def test_newsletter_tokens_never_reach_the_log(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="knowaml.requests"):
        client.post("/newsletter/unsubscribe/secret-token-value/")
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "secret-token-value" not in logged
    assert "POST /newsletter/unsubscribe/<str:token>/" in logged


def test_a_server_error_is_one_log_line_and_an_email_to_admins(
    client, db, settings, monkeypatch, caplog
):
    settings.ADMINS = ["ops@knowaml.example"]
    settings.DEBUG = False

    def broken():
        raise RuntimeError("task table exploded")

    monkeypatch.setattr("knowaml.health.task_state", broken)
    client.raise_request_exception = False
    assert client.get("/health/").status_code == 500
    assert [m.to for m in mail.outbox] == [["ops@knowaml.example"]]
    assert "task table exploded" in mail.outbox[0].body
    record = next(r for r in caplog.records if "Internal Server Error" in r.getMessage())
    console = next(h for h in logging.getLogger().handlers if h.name == "console")
    line = console.format(record)
    assert "\n" not in line
    assert "RuntimeError: task table exploded" in line and "Traceback" in line
