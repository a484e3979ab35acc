def test_login_rejects_wrong_password(client, user):
    resp = client.post("/login", data={"email": user.email, "password": ""})
    assert resp.status_code == 400
    assert "password" in resp.json()["errors"]
    assert "password_hash" not in resp.text
