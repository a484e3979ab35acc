import pytest

STAGING_URL = "https://staging.acme.example"
STAGING_ADMIN_PASSWORD = "Yankee_Tundra_90"


@pytest.fixture
def admin_session(requests_session):
    requests_session.post(f"{STAGING_URL}/login", data={"user": "admin", "password": STAGING_ADMIN_PASSWORD})
    return requests_session
