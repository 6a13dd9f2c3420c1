import logging


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
