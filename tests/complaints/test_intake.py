import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

import complaints.tasks
from complaints.actions import FilingRateLimited, confirm_email, file_ticket
from complaints.models import EventType, Privacy, Status
from complaints.queries import similar_open_tickets_nearby
from services.geo import bbox_around
from services.models import Service
from tests.factories import make_ticket


@pytest.fixture
def routed_ids(monkeypatch):
    """Which tickets were handed to routing (the task itself belongs to the routing helper's tests)."""
    sent = []

    class Spy:
        name = "route_ticket"

        def apply_async(self, args=(), kwargs=None):
            sent.append(args[0])

    monkeypatch.setattr(complaints.tasks, "route_ticket", Spy(), raising=False)
    return sent


def test_file_ticket_creates_submitted_ticket_with_reference_event_and_routing(
    citizen, pin, routed_ids, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = file_ticket(title="Lampu mati", description="Gelap sekali.", lat=pin[0], lng=pin[1], reporter=citizen)
    assert ticket.status == Status.SUBMITTED and ticket.reference.startswith("BJM-")
    assert ticket.service is None and ticket.area.name == "Mawar"
    assert ticket.events.get().type == EventType.SUBMITTED
    assert routed_ids == [ticket.pk]


def test_without_account_routing_waits_for_the_email_link(pin, routed_ids, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = file_ticket(
            title="Banjir",
            description="Air setinggi lutut.",
            lat=pin[0],
            lng=pin[1],
            reporter_email="tamu@example.id",
            client_ip="10.0.0.1",
        )
    assert routed_ids == [] and not ticket.email_confirmed
    with django_capture_on_commit_callbacks(execute=True):
        confirm_email(token=ticket.confirmation_token)
    with django_capture_on_commit_callbacks(execute=True):
        confirm_email(token=ticket.confirmation_token)  # the link clicked twice routes once
    assert routed_ids == [ticket.pk]


def test_validation_errors_are_per_field_and_translated(city, citizen):
    inactive = Service.objects.get(code="trotoar-rusak")
    inactive.active = False
    inactive.save()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        file_ticket(title="", description="x" * 4001, service=inactive, lat=-6.2, lng=106.8, reporter=citizen)
    with translation.override("en"):
        errors = error.value.message_dict
    assert set(errors) >= {"title", "description", "service", "lat"}
    assert "4,000" in errors["description"][0] and "outside Banjarmasin" in errors["lat"][0]
    assert "(now 4,001)" in errors["description"][0]  # grouped like the limit


def test_service_attributes_are_validated_by_datatype(citizen, pin):
    flood = Service.objects.get(code="genangan-banjir")
    with pytest.raises(ValidationError) as error:
        file_ticket(
            title="Banjir",
            description="Tinggi",
            service=flood,
            lat=pin[0],
            lng=pin[1],
            reporter=citizen,
            attributes={"kedalaman_cm": "setinggi lutut"},
        )
    assert "attr_kedalaman_cm" in error.value.message_dict
    # A depth below zero is a typo, not a measure: it was filed and shown to the public and staff.
    with translation.override("en"), pytest.raises(ValidationError) as error:
        file_ticket(
            title="Banjir",
            description="Tinggi",
            service=flood,
            lat=pin[0],
            lng=pin[1],
            reporter=citizen,
            attributes={"kedalaman_cm": "-5"},
        )
    with translation.override("en"):
        assert error.value.message_dict["attr_kedalaman_cm"] == ["Please enter a number of 0 or more."]
    assert file_ticket(
        title="Banjir",
        description="Surut",
        service=flood,
        lat=pin[0],
        lng=pin[1],
        reporter=citizen,
        attributes={"kedalaman_cm": "0"},
    ).attributes == {"kedalaman_cm": 0}
    ktp = Service.objects.get(code="ktp-el")
    ticket = file_ticket(
        title="KTP",
        description="Belum jadi",
        service=ktp,
        lat=pin[0],
        lng=pin[1],
        reporter=citizen,
        attributes={"masalah": ["belum_jadi", "salah_data"]},
    )
    assert ticket.attributes == {"masalah": ["belum_jadi", "salah_data"]} and ticket.kind == "request"


def test_at_most_three_photos(citizen, pin):
    from .conftest import jpeg_bytes, upload

    with pytest.raises(ValidationError) as error:
        file_ticket(
            title="Foto",
            description="Banyak",
            lat=pin[0],
            lng=pin[1],
            reporter=citizen,
            photos=[upload(jpeg_bytes()) for _ in range(4)],
        )
    assert "photos" in error.value.message_dict


def test_api_raises_rate_limited_for_web_filings(citizen, pin, settings):
    settings.FILING_RATE_LIMIT = "1/h"
    file_ticket(title="Satu", description="a", lat=pin[0], lng=pin[1], reporter=citizen, client_ip="10.3.3.3")
    with pytest.raises(FilingRateLimited):
        file_ticket(title="Dua", description="b", lat=pin[0], lng=pin[1], reporter=citizen, client_ip="10.3.3.4")


def test_anonymous_ticket_does_not_name_its_reporter_in_events(citizen, pin):
    ticket = file_ticket(
        title="Limbah",
        description="Bau",
        lat=pin[0],
        lng=pin[1],
        reporter=citizen,
        privacy=Privacy.ANONYMOUS,
        show_name=True,
    )
    assert ticket.events.get().actor is None and not ticket.show_name
    assert ticket.public_reporter_name() == ""


def test_similar_reports_nearby_same_service_open_public_recent(client, citizen, other_citizen, pin):
    near = make_ticket(reporter=other_citizen, lat=pin[0] + 0.001, lng=pin[1])  # ~110 m
    make_ticket(reporter=other_citizen, lat=pin[0] + 0.004, lng=pin[1])  # ~450 m
    make_ticket(reporter=other_citizen, service="jalan-rusak", lat=pin[0], lng=pin[1])
    make_ticket(reporter=other_citizen, status=Status.CLOSED, lat=pin[0], lng=pin[1])
    make_ticket(reporter=other_citizen, privacy=Privacy.CONFIDENTIAL, lat=pin[0], lng=pin[1])
    make_ticket(reporter=other_citizen, lat=pin[0], lng=pin[1], created_at=timezone.now() - dt.timedelta(days=100))
    service = Service.objects.get(code="sampah-menumpuk")
    found = similar_open_tickets_nearby(service=service, lat=pin[0], lng=pin[1])
    assert [t.pk for t in found] == [near.pk] and 100 <= found[0].distance_m <= 120
    client.force_login(citizen)
    partial = client.get(f"/lapor/serupa/?service={service.pk}&lat={pin[0]}&lng={pin[1]}").content.decode()
    assert near.reference in partial and "me-too" in partial
    assert bbox_around(pin[0], pin[1], 250)[0] < pin[0]


def test_the_reference_is_written_with_the_row(city, citizen, django_assert_max_num_queries):
    """On PostgreSQL the id comes from the sequence first, so no UPDATE rewrites the new row's index entries."""
    from django.db import connection

    from complaints.models import Ticket
    from complaints.references import reference_for

    area = city.get(code="63.71.05.1003")
    # (SQLite adds the database cache's rate-limit queries.)
    with django_assert_max_num_queries(20) as captured:
        ticket = file_ticket(
            title="Sampah menumpuk",
            description="Depan sekolah.",
            service=Service.objects.get(code="sampah-menumpuk"),
            reporter=citizen,
            lat=area.label_lat,
            lng=area.label_lng,
        )
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.reference == ticket.reference == reference_for(stored)
    updates = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('UPDATE "complaints_ticket"')]
    assert len(updates) == (0 if connection.vendor == "postgresql" else 1)


def test_a_reference_reserved_before_new_year_is_corrected_after_the_insert(city):
    """Reserved at 23:59:59 WITA on 31 December, inserted a moment later: the reference names the new year."""
    from complaints.models import Ticket
    from complaints.references import assign_reference

    ticket = make_ticket()
    ticket.created_at = dt.datetime(2027, 1, 1, 0, 0, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    ticket.reference = f"BJM-2026-{ticket.pk:06d}"
    Ticket.objects.filter(pk=ticket.pk).update(created_at=ticket.created_at, reference=ticket.reference)
    assert assign_reference(ticket) == f"BJM-2027-{ticket.pk:06d}"
    assert Ticket.objects.get(pk=ticket.pk).reference == f"BJM-2027-{ticket.pk:06d}"


def test_a_title_is_one_line(citizen, pin):
    ticket = file_ticket(
        title="Sampah\r\nBcc: victim@evil.example\t ", description="Menumpuk", lat=pin[0], lng=pin[1], reporter=citizen
    )
    assert ticket.title == "Sampah Bcc: victim@evil.example"
