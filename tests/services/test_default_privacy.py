"""Protection by default: a catalogue entry says who may see its reports unless the citizen chooses otherwise, and
seed_city gives the health, welfare and civil registration services confidential, once."""

import pytest

from complaints.models import Privacy
from services.catalogue import DEFAULT_PRIVACY, SERVICES
from services.models import SeededEntry, Service
from services.seeding import seed_city

pytestmark = pytest.mark.django_db

SENSITIVE = ("ktp-el", "kartu-keluarga", "akta", "layanan-puskesmas", "bansos", "odgj-terlantar", "rumah-tidak-layak")


def test_the_services_copy_of_the_privacy_choices_is_the_tickets():
    # services may not import complaints: its copy must stay the same values and labels.
    assert Service.Privacy.choices == Privacy.choices
    assert set(DEFAULT_PRIVACY.values()) <= set(Privacy.values)
    assert set(DEFAULT_PRIVACY) <= {row[0] for row in SERVICES}


def test_a_seeded_city_has_its_health_welfare_and_civil_registration_services_confidential(city):
    privacy = dict(Service.objects.values_list("code", "default_privacy"))
    assert {code for code, value in privacy.items() if value == Privacy.CONFIDENTIAL} == set(SENSITIVE)
    assert privacy["jalan-rusak"] == privacy["demam-berdarah"] == Privacy.PUBLIC


def _as_before_the_field(codes):
    """A city seeded by the release before default_privacy: its rows have the migration's "public", never given."""
    Service.objects.filter(code__in=codes).update(default_privacy=Privacy.PUBLIC)
    for entry in SeededEntry.objects.filter(kind="service", key__in=codes):
        entry.fields = [name for name in entry.fields if name != "default_privacy"]
        entry.save()


def test_an_upgraded_city_gets_the_shipped_default_privacy_once(city):
    _as_before_the_field(["bansos", "odgj-terlantar", "jalan-rusak"])
    Service.objects.filter(code="odgj-terlantar").update(default_privacy=Privacy.ANONYMOUS)  # chosen in the admin
    seed_city()
    privacy = dict(Service.objects.values_list("code", "default_privacy"))
    assert privacy["bansos"] == Privacy.CONFIDENTIAL
    assert privacy["odgj-terlantar"] == Privacy.ANONYMOUS  # not the column's default: someone chose it
    assert privacy["jalan-rusak"] == Privacy.PUBLIC
    assert "default_privacy" in SeededEntry.objects.get(kind="service", key="bansos").fields

    # The administrator decides otherwise afterwards: the next deploys keep it.
    Service.objects.filter(code="bansos").update(default_privacy=Privacy.PUBLIC)
    seed_city()
    seed_city()
    assert Service.objects.get(code="bansos").default_privacy == Privacy.PUBLIC


def test_the_admin_edits_a_services_default_privacy(client, administrator, city):
    client.force_login(administrator)
    service = Service.objects.get(code="ktp-el")
    listing = client.get("/admin/services/service/?default_privacy__exact=confidential").content.decode()
    assert "ktp-el" in listing and "jalan-rusak" not in listing
    page = client.get(f"/admin/services/service/{service.pk}/change/").content.decode()
    assert 'name="default_privacy"' in page
    assert '<option value="confidential" selected>' in page
