"""Behind the reverse proxy: sign-in lock-outs and password-reset throttling count each real client
(the address the proxy puts in X-Forwarded-For), not the proxy, so no one can lock another user out."""

import pytest
from django.core import mail
from django.test import Client, RequestFactory

from core.throttling import client_ip

pytestmark = pytest.mark.django_db
PASSWORD = "cbhub-demo-2026"
PROXY = "10.0.0.2"  # every request reaches the app from the proxy
ATTACKER = "203.0.113.66"
REAL_USER = "198.51.100.7"


def through_proxy(client_address: str, forged: str = "") -> Client:
    """A client behind the proxy; `forged` is an X-Forwarded-For value the client sent itself."""
    forwarded = f"{forged}, {client_address}" if forged else client_address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def sign_in(client: Client, password: str, username: str = "researcher"):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


def request_with(**meta):
    return RequestFactory().get("/", **meta)


def test_client_ip_without_a_proxy_is_the_connection():
    request = request_with(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "192.0.2.1"  # a header from the client itself is not believed


def test_client_ip_behind_proxies_is_counted_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    forged = request_with(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    assert client_ip(forged) == "203.0.113.9"  # the left entry was written by the client
    assert client_ip(request_with(REMOTE_ADDR=PROXY)) == PROXY  # not through the proxy
    assert client_ip(request_with(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-ip")) == PROXY
    settings.TRUSTED_PROXY_COUNT = 2
    two = request_with(REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9, 10.0.0.2")
    assert client_ip(two) == "203.0.113.9"
    assert client_ip(request_with(REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="2001:DB8::1, 10.0.0.2")) == (
        "2001:db8::1"
    )


def test_an_attacker_behind_the_proxy_does_not_lock_the_real_user_out(behind_one_proxy):
    attacker = through_proxy(ATTACKER)
    for _ in range(behind_one_proxy.AXES_FAILURE_LIMIT):
        sign_in(attacker, "wrong")
    assert sign_in(attacker, PASSWORD).status_code == 429  # the attacker is locked out
    # The real user, behind the same proxy, signs in.
    real = through_proxy(REAL_USER)
    response = sign_in(real, PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in real.session


def test_two_clients_behind_the_proxy_are_locked_separately(behind_one_proxy):
    limit = behind_one_proxy.AXES_FAILURE_LIMIT
    first, second = through_proxy(ATTACKER), through_proxy(REAL_USER)
    for _ in range(limit):
        sign_in(first, "wrong")
    for _ in range(limit - 1):
        sign_in(second, "wrong")
    assert sign_in(first, PASSWORD).status_code == 429
    assert sign_in(second, PASSWORD).status_code == 302


def test_a_forged_forwarded_for_does_not_escape_the_lock(behind_one_proxy):
    for number in range(behind_one_proxy.AXES_FAILURE_LIMIT):
        sign_in(through_proxy(ATTACKER, forged=f"192.0.2.{number}"), "wrong")
    assert sign_in(through_proxy(ATTACKER, forged="192.0.2.200"), PASSWORD).status_code == 429


def test_without_the_proxy_setting_every_client_shares_the_proxy_address(settings):
    """What TRUSTED_PROXY_COUNT fixes: left at 0 behind a proxy, the attacker locks the real user out."""
    settings.TRUSTED_PROXY_COUNT = 0
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(through_proxy(ATTACKER), "wrong")
    assert sign_in(through_proxy(REAL_USER), PASSWORD).status_code == 429


def reset(client: Client, email: str):
    return client.post("/accounts/password_reset/", {"email": email})


def test_password_reset_is_throttled_per_client_address(behind_one_proxy):
    limit = behind_one_proxy.PASSWORD_RESET_LIMIT_PER_ADDRESS
    flooder = through_proxy(ATTACKER)
    for number in range(limit):
        assert reset(flooder, f"nobody{number}@example.org").status_code == 302
    refused = reset(flooder, "donor@example.org")
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert mail.outbox == []
    # Another client behind the same proxy is not affected.
    assert reset(through_proxy(REAL_USER), "donor@example.org").status_code == 302
    assert len(mail.outbox) == 1


def test_password_reset_is_throttled_per_email_without_telling(behind_one_proxy):
    limit = behind_one_proxy.PASSWORD_RESET_LIMIT_PER_EMAIL
    for number in range(limit):
        assert reset(through_proxy(f"198.51.100.{number + 10}"), "donor@example.org").status_code == 302
    assert len(mail.outbox) == limit
    # One more, from yet another address: the same answer as always, and no email.
    response = reset(through_proxy("198.51.100.99"), "DONOR@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == limit
