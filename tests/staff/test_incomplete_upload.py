"""A form whose body did not fully arrive (the phone's connection dropped mid-upload) is refused and changes
nothing (smartcity/uploads.py): the resolve form resolved the ticket with its note but without the evidence photo."""

from __future__ import annotations

import io
import socket

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from complaints.models import Attachment, Status, Ticket
from tests.staff.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


CSRF_SECRET = "s" * 32


def resolve_body(photo_size=(1600, 1200)) -> bytes:
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("hasil.jpg", jpeg_bytes(size=photo_size), content_type="image/jpeg")
    fields = {"csrfmiddlewaretoken": CSRF_SECRET, "resolve-note": "Sudah diangkut.", "resolve-photos": [photo]}
    return encode_multipart(BOUNDARY, fields)


def post_body(client, url, body: bytes, *, received: int, content_type=MULTIPART_CONTENT):
    """POST with the full body's Content-Length, the server receiving only its first ``received`` bytes."""
    return client.generic(
        "POST",
        url,
        body,
        content_type=content_type,
        CONTENT_LENGTH=str(len(body)),
        **{"wsgi.input": io.BytesIO(body[:received])},
    )


def assert_unchanged(ticket):
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status == Status.ROUTED and ticket.resolved_at is None
    assert not Attachment.objects.filter(ticket=ticket).exists()


def test_a_resolve_form_cut_off_in_its_photo_is_refused_and_resolves_nothing(client, dlh_ticket, staff_dlh):
    client.force_login(staff_dlh)
    url = reverse("staff:ticket_action", args=[dlh_ticket.reference, "resolve"])
    body = resolve_body()
    response = post_body(client, url, body, received=len(body) // 2)
    assert response.status_code == 400
    assert "did not arrive completely" in response.content.decode()
    assert_unchanged(dlh_ticket)


def test_a_body_cut_off_before_its_closing_boundary_is_refused(client, dlh_ticket, staff_dlh):
    client.force_login(staff_dlh)
    url = reverse("staff:ticket_action", args=[dlh_ticket.reference, "resolve"])
    body = resolve_body()
    closing = body.rindex(f"--{BOUNDARY}--".encode())
    # The photo's part complete, its end never came: what arrived is every field, the closing boundary is missing.
    response = post_body(client, url, body, received=closing)
    assert response.status_code == 400
    assert_unchanged(dlh_ticket)
    # Nor is a body whose Content-Length matches but which has no closing boundary read as complete.
    response = post_body(client, url, body[:closing], received=closing)
    assert response.status_code == 400
    assert_unchanged(dlh_ticket)


def test_the_refusal_is_in_the_users_language(client, dlh_ticket, staff_dlh):
    client.force_login(staff_dlh)
    url = reverse("staff:ticket_action", args=[dlh_ticket.reference, "resolve"])
    body = resolve_body()
    response = post_body(client, url, body, received=len(body) // 2)
    assert response.status_code == 400
    assert response["Content-Language"] == "en"


def test_a_whole_body_still_resolves_with_its_photo(client, dlh_ticket, staff_dlh):
    client.force_login(staff_dlh)
    url = reverse("staff:ticket_action", args=[dlh_ticket.reference, "resolve"])
    body = resolve_body()
    response = post_body(client, url, body, received=len(body))
    assert response.status_code == 302, response.content.decode()[:500]
    ticket = Ticket.objects.get(pk=dlh_ticket.pk)
    assert ticket.status == Status.RESOLVED
    assert Attachment.objects.filter(ticket=ticket, purpose=Attachment.Purpose.RESOLUTION).count() == 1


def test_a_urlencoded_form_cut_short_is_refused(client, dlh_ticket, staff_dlh):
    client.force_login(staff_dlh)
    url = reverse("staff:ticket_action", args=[dlh_ticket.reference, "resolve"])
    body = b"resolve-note=" + b"Sudah+diangkut+dan+dibersihkan." * 20
    response = post_body(client, url, body, received=40, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert_unchanged(dlh_ticket)


@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_to_a_live_server_resolves_nothing(live_server, dlh_ticket, staff_dlh):
    """The QA walk's reproduction: a raw socket sends the full Content-Length, part of the body, then closes."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(staff_dlh.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = staff_dlh.get_session_auth_hash()
    session.create()
    body = resolve_body()
    path = reverse("staff:ticket_action", args=[dlh_ticket.reference, "resolve"])
    host, port = live_server.url.removeprefix("http://").split(":")
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: {MULTIPART_CONTENT}\r\n"
        f"Content-Length: {len(body)}\r\nCookie: {settings.SESSION_COOKIE_NAME}={session.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}\r\n"
        "Accept-Language: en\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=20) as conn:
        conn.sendall(head + body[: len(body) // 2])
        conn.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    assert answer.split(b"\r\n", 1)[0].split()[1] == b"400", answer[:300]
    assert_unchanged(dlh_ticket)
