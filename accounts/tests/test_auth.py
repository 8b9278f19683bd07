"""Sign in and out, password change and reset by email, and throttling of failed sign-ins."""

import re

import pytest
from django.core import mail

from accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "cbhub-demo-2026"


def test_sign_in_and_out(client):
    response = client.post("/accounts/login/", {"username": "rocb.ap", "password": PASSWORD})
    assert response.status_code == 302
    assert "Asha" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    assert "Sign in" in client.get("/").content.decode()


def test_a_wrong_password_is_explained(client):
    response = client.post("/accounts/login/", {"username": "rocb.ap", "password": "wrong"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_repeated_failures_lock_the_account(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "researcher", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "researcher", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_change(client_for):
    client = client_for("expert")
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-pass-9",
            "new_password2": "a-much-longer-pass-9",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="expert").check_password("a-much-longer-pass-9")


def test_password_reset_by_email(client):
    client.post("/accounts/password_reset/", {"email": "donor@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "reset-by-email-2026",
            "new_password2": "reset-by-email-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="donor").check_password("reset-by-email-2026")


def test_the_admin_is_for_secretariat_staff(client_for):
    assert client_for("secretariat").get("/admin/network/member/").status_code == 200
    assert client_for("rocb.ap").get("/admin/").status_code == 302
