"""The first administrator, made with createsuperuser, signs in after ``manage.py verify_email``."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

PASSWORD = "Kota-Seribu-Sungai-2026"


def test_the_first_administrator_signs_in_once_the_address_is_confirmed(client, django_user_model, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    django_user_model.objects.create_superuser(email="admin.kota@banjarmasinkota.go.id", password=PASSWORD)
    form = {"login": "admin.kota@banjarmasinkota.go.id", "password": PASSWORD}
    refused = client.post("/akun/login/", form)
    assert refused.status_code == 302 and "/akun/confirm-email/" in refused["Location"]

    call_command("verify_email", "Admin.Kota@banjarmasinkota.go.id")

    signed_in = client.post("/akun/login/", form)
    assert signed_in.status_code == 302 and "/akun/confirm-email/" not in signed_in["Location"]
    assert client.get("/admin/").status_code == 200


def test_an_unknown_address_is_refused_with_its_name():
    with pytest.raises(CommandError, match="nobody@example.id"):
        call_command("verify_email", "nobody@example.id")
