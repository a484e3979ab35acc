from app.logging import mask_secret


def test_mask_keeps_last_four():
    assert mask_secret("abcd1234") == "****1234"


def test_mask_empty():
    assert mask_secret("") == ""


def test_token_is_not_logged(caplog):
    assert "token" not in caplog.text.lower() or "****" in caplog.text
