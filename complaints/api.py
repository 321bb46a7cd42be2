"""REST API for tickets and their timelines. Interface only.

Lists and details come from ``complaints.queries`` (``tickets_visible_to``, ``staff_tickets``,
``can_see_reporter``); filing goes through ``actions.file_ticket``; every staff endpoint calls the
same action as the staff page, which checks the workflow and raises PermissionDenied/ValidationError.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping
from contextlib import nullcontext

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.fields import empty
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils import html

from services import lookups
from services.answers import public_answers
from services.geo import locate
from services.models import Area, Department, Service, StaffMembership
from smartcity import api_fields
from smartcity.api_errors import ErrorBodySerializer
from smartcity.api_idempotency import HEADER as IDEMPOTENCY_HEADER
from smartcity.api_idempotency import REPLAYED_HEADER, idempotent
from smartcity.client_ip import client_ip
from smartcity.query_strings import with_offset_plus
from smartcity.site_links import absolute_url

from . import actions, photo_views, ratelimit, workflow
from .actions.handling import ANY_ASSIGNEE, NOT_AN_ACTIVE_MEMBER, ROLE_MAY_NOT
from .actions.intake import attribute_code, unasked_attribute_codes
from .models import OPEN_STATUSES, Attachment, Channel, EventType, Privacy, Status, Ticket, TicketEvent
from .photos import MAX_PHOTOS, with_photo_limit
from .queries import (
    address_for,
    can_see_reporter,
    is_reporter,
    is_staff_for,
    pin_for,
    staff_ticket_filter,
    staff_tickets,
    tickets_visible_to,
)
from .redaction import is_citizen_text, mask_contact_details

ERRORS = {
    400: OpenApiResponse(ErrorBodySerializer, description="Invalid input."),
    401: OpenApiResponse(ErrorBodySerializer, description="Not signed in, or the token is unknown or its account off."),
    403: OpenApiResponse(ErrorBodySerializer, description="Not allowed."),
    404: OpenApiResponse(ErrorBodySerializer, description="Not found or not visible to you."),
}
# Reading needs no account, but a request with a token the portal does not know (or of an account switched off) is
# refused all the same, rather than served as if anonymous.
BAD_TOKEN = OpenApiResponse(ErrorBodySerializer, description="The token is unknown or its account off.")


class ReporterSerializer(serializers.Serializer):
    """Who filed the ticket, as they gave it: shown only to the reporter and to staff handling the ticket."""

    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class AssigneeSerializer(serializers.Serializer):
    """Who holds the ticket in its department: shown only to staff whose queue holds the ticket."""

    id = serializers.IntegerField(help_text="User id, as in tickets/{reference}/assignees/ and assign.")
    name = serializers.CharField()


class PhotoSerializer(serializers.Serializer):
    """A photo filed with the report. The portal keeps the upload privately and serves only a re-encoded JPEG (at
    most 1600 px, no EXIF or GPS), a few seconds after filing."""

    id = serializers.IntegerField()
    state = serializers.ChoiceField(
        choices=[Attachment.State.PENDING, Attachment.State.READY],
        help_text="pending: received, being re-encoded (no address yet); ready: served at url.",
    )
    url = serializers.URLField(allow_null=True, help_text="The photo (JPEG), for whoever may see the ticket.")
    thumbnail_url = serializers.URLField(allow_null=True, help_text="A small version (at most 400 px).")


class PlanActivitySerializer(serializers.Serializer):
    """An activity of the city's plan (kegiatan) this report is linked to as evidence: the work that answers it. Its
    public page shows its budget, progress and results; its updates reach the ticket's timeline as `plan_update`
    events."""

    id = serializers.IntegerField(help_text="The activity's id (planning/activities/{id}/ for city staff).")
    code = serializers.CharField(help_text="The activity's code in the plan.")
    name = serializers.CharField()
    fiscal_year = serializers.IntegerField(help_text="The fiscal year (APBD) it belongs to.")
    stage = serializers.CharField(
        help_text="planned, budgeted, in_execution, completed, evaluated; lapsed (not finished) or carried_over "
        "(continued by the next year's activity) when its year closed before it was done."
    )
    public_url = serializers.URLField(help_text="Its public page: budget, progress and results (no login).")


# Build a serializer class's fields once and give each instance shallow, unbound copies.
#
# DRF rebuilds them for every instance: ModelSerializer introspects the model and plain serializers deep-copy their
# declarations (querysets included), which was a third of a filing's time. Binding sets attributes on the copy, and
# fields keep no other per-request state, so shallow copies are enough. They are made by hand: ``copy.copy`` goes
# through ``__reduce_ex__`` and took five times as long. (A comment, not a docstring: the schema shows a
# serializer's docstring, and a subclass without one of its own would show this.)
class FieldsBuiltOnce:
    def get_fields(self):
        cls = type(self)
        template = cls.__dict__.get("_fields_template")
        if template is None:
            template = cls._fields_template = super().get_fields()
        return {name: _shallow_copy(field) for name, field in template.items()}


def _shallow_copy(field):
    clone = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    return clone


# Times as every API time (``api_fields``): ISO 8601 with the offset, to the second; stored in UTC, given and shown on
# the portal's pages in WITA.
TIMES = _("ISO 8601 with its offset, in WITA (+08:00) as the portal's pages show it; stored in UTC.")
# Due dates are the end of a working day (``services.calendar``): weekends, national holidays and the city's days
# off do not count.
WORKING_DAYS = _(
    "The end of a working day (Monday to Friday in WITA, without national holidays and the city's days off), counted "
    "in the service's working days from routing; a forward starts it again, and time waiting for the reporter's "
    "answer is added. Null until routed."
)
TICKET_FIELD_HELP = {
    name: {"help_text": help_text}
    for name, help_text in {
        "reference": _("The report's reference (BJM-year-number): its address here, tickets/{reference}/."),
        "kind": _("complaint or request (a service request), from the service."),
        "title": _("The report's title, as filed."),
        "description": _("The report's text, as filed."),
        "status": _(
            "Where it stands: submitted (waiting to be routed), routed, acknowledged (verified by the department), "
            "in_progress, resolved (waiting for the reporter or the closing window), closed, rejected or duplicate."
        ),
        "priority": _("1 low, 2 normal, 3 high, 4 urgent; set by the department."),
        "privacy": _(
            "public; anonymous (the public reads neither the reporter's name nor the typed address, and a rounded "
            "pin); confidential (only the reporter and the handling staff see it)."
        ),
        "channel": _("How it was filed: web, assisted (kelurahan office), phone, api (this API) or open311."),
        "address": _(
            "The street, number or landmark as typed. An anonymous report's is left out for all but its reporter "
            "and the staff handling it: the kelurahan's name stands in, as in Open311."
        ),
        "lat": _(
            "The pin's latitude (WGS 84); null without a pin. An anonymous report's pin is rounded to 3 decimals "
            "(about 100 m) for all but its reporter and the staff handling it."
        ),
        "lng": _("The pin's longitude (WGS 84), as lat."),
        "support_count": _(
            "How many others reported the same problem: confirmed “me too” supporters and the reports merged into "
            "this one."
        ),
        "created_at": format_lazy("{} {}", _("When the report was filed."), TIMES),
        "updated_at": format_lazy("{} {}", _("When the ticket last changed (a step, a reply, an edit)."), TIMES),
        "response_due_at": format_lazy(
            "{} {}", _("When the department must acknowledge (verify) the report by."), WORKING_DAYS
        ),
        "resolution_due_at": format_lazy("{} {}", _("When the department must resolve the report by."), WORKING_DAYS),
        "waiting_for_citizen_since": format_lazy(
            "{} {}",
            _(
                "Since when the department has been waiting for the reporter's answer to its question (ask-info); "
                "null when it is not waiting. The due dates do not count down meanwhile."
            ),
            TIMES,
        ),
        "resolved_at": format_lazy(
            "{} {}", _("When the department resolved the report; null while it is not resolved."), TIMES
        ),
        "closed_at": format_lazy(
            "{} {}",
            _("When the report was closed (by its reporter, or when the window after resolution ended); else null."),
            TIMES,
        ),
    }.items()
}


# The kelurahan and kecamatan polygons a ticket's answer never shows: large JSON, left unread.
AREA_BOUNDARIES = ("area__boundary", "area__parent__boundary")


def _kecamatan_of(ticket):
    """The kecamatan of the ticket's kelurahan: read with it by the API's queries (``area__parent``), else from this
    process's catalogue copy (a filing by area code read the kelurahan alone)."""
    if not ticket.area_id:
        return None
    area = ticket.area
    if area.level == Area.Level.KELURAHAN and not Area.parent.is_cached(area):
        area = lookups.area(ticket.area_id) or area
    return area.kecamatan


class TicketSerializer(FieldsBuiltOnce, api_fields.ModelSerializer):
    """A report (service request or complaint) with its status, where it is, who handles it and its deadlines.

    Contact details (`reporter`) and photos appear in the answer about one ticket, not in lists."""

    # A ticket may have no service or kelurahan (API filings by address), and has no department until routed.
    service = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text=_(
            "The service's code (services/{code}/); null for a report filed as not sure until the city's triage desk "
            "gives it one."
        ),
    )
    service_name = serializers.SerializerMethodField(help_text=_("The service's name, in the catalogue's language."))
    area = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text=_("The kelurahan's code (areas/{code}/); null for a report filed with only an address."),
    )
    area_name = serializers.SerializerMethodField(help_text=_("The kelurahan's name."))
    kecamatan = serializers.SerializerMethodField(
        help_text=_("The code of the kelurahan's kecamatan (the filter kecamatan takes it); null without a kelurahan.")
    )
    kecamatan_name = serializers.SerializerMethodField(help_text=_("The kecamatan's name."))
    # Its own words: the model field's help text is the administrator's ("keep this code when renamed").
    department = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text=_("The code of the department handling the report (departments/{code}/); null until routed."),
    )
    department_name = serializers.SerializerMethodField(help_text=_("The handling department's name."))
    public_name = serializers.SerializerMethodField(
        help_text=_(
            "The reporter's name as the public reads it: only on a public report whose reporter chose to show it, "
            "else empty."
        )
    )
    reporter = serializers.SerializerMethodField(
        help_text=_(
            "Who filed it (name, email, phone), in the answer about one ticket, to its reporter and the staff "
            "handling it (never on an anonymous report); null otherwise and in lists."
        )
    )
    assignee = serializers.SerializerMethodField(
        help_text=_("Who holds the ticket in its department, for staff whose queue holds it; null for anyone else.")
    )
    attributes = serializers.SerializerMethodField(
        help_text=_(
            "The answers to the service's extra questions by question code (services/{code}/ lists them), without "
            "those that identify the reporter unless you may see who reported."
        )
    )
    photos = serializers.SerializerMethodField(
        help_text=_("The report's photos, in the answer about one ticket; null in lists.")
    )
    plan_activities = serializers.SerializerMethodField(
        help_text=_(
            "The activities of the city's plan this report is linked to (the work that answers it), in the answer "
            "about one ticket; null in lists."
        )
    )

    class Meta:
        model = Ticket
        fields = [
            "reference",
            "kind",
            "title",
            "description",
            "status",
            "priority",
            "privacy",
            "channel",
            "service",
            "service_name",
            "area",
            "area_name",
            "kecamatan",
            "kecamatan_name",
            "department",
            "department_name",
            "assignee",
            "address",
            "lat",
            "lng",
            "attributes",
            "support_count",
            "public_name",
            "reporter",
            "photos",
            "plan_activities",
            "created_at",
            "updated_at",
            "response_due_at",
            "resolution_due_at",
            "waiting_for_citizen_since",
            "resolved_at",
            "closed_at",
        ]
        extra_kwargs = TICKET_FIELD_HELP

    def get_service_name(self, ticket) -> str | None:
        return ticket.service.name if ticket.service_id else None

    def get_area_name(self, ticket) -> str | None:
        return ticket.area.name if ticket.area_id else None

    def get_kecamatan(self, ticket) -> str | None:
        kecamatan = _kecamatan_of(ticket)
        return kecamatan.code if kecamatan else None

    def get_kecamatan_name(self, ticket) -> str | None:
        kecamatan = _kecamatan_of(ticket)
        return kecamatan.name if kecamatan else None

    def get_department_name(self, ticket) -> str | None:
        return ticket.department.name if ticket.department_id else None

    @extend_schema_field(serializers.DictField())
    def get_attributes(self, ticket) -> dict:
        """The answers as filed (codes), without those that identify the citizen (a PDAM customer number) unless
        the reader may see who reported, as on the ticket pages."""
        answers = ticket.attributes or {}
        if not answers or not ticket.service_id:
            return answers
        public = public_answers(answers, lookups.service_attributes(ticket.service))
        if public == answers:
            return answers
        request = self.context.get("request")
        return answers if request is not None and can_see_reporter(request.user, ticket) else public

    def get_public_name(self, ticket) -> str:
        return ticket.public_reporter_name()

    def to_representation(self, ticket):
        data = super().to_representation(ticket)
        if ticket.privacy == Privacy.ANONYMOUS:  # its pin rounded, its typed address left out, for all but its
            request = self.context.get("request")  # reporter and staff (no query else)
            reader = request.user if request is not None else None
            data["lat"], data["lng"] = pin_for(reader, ticket)
            # The kelurahan's name stands in for the typed address left out, as in Open311 (``request_record``).
            data["address"] = address_for(reader, ticket) or data["area_name"] or ""
        if not self.reads_as_written(ticket):  # phone numbers, emails, NIKs typed into the text (complaints.redaction)
            data["title"] = mask_contact_details(data["title"])
            data["description"] = mask_contact_details(data["description"])
        return data

    def reads_as_written(self, ticket) -> bool:
        """Whether this reader gets the citizen's text as typed, as on the staff and the reporter's pages: staff whose
        queue holds the ticket, its reporter, and whoever just filed it. Everyone else reads it as the public page
        shows it."""
        if self.context.get("just_filed"):
            return True
        request = self.context.get("request")
        if request is None:
            return False
        in_staff_scope = getattr(ticket, "in_staff_scope", None)
        if in_staff_scope is None:  # a ticket the view did not mark (``with_staff_scope``): asked of the database
            in_staff_scope = is_staff_for(request.user, ticket)
        return bool(in_staff_scope) or is_reporter(request.user, ticket)

    @extend_schema_field(ReporterSerializer(allow_null=True))
    def get_reporter(self, ticket):
        """Contact details only in the detail view, for whoever ``can_see_reporter`` allows."""
        if not self.context.get("detail"):
            return None
        request = self.context.get("request")
        if request is None or not can_see_reporter(request.user, ticket):
            return None
        return {"name": ticket.reporter_name, "email": ticket.reporter_email, "phone": ticket.reporter_phone}

    @extend_schema_field(AssigneeSerializer(allow_null=True))
    def get_assignee(self, ticket):
        """Who holds the ticket (assign), for staff whose queue holds it; null when nobody does, and always for
        anyone else (citizens, the public)."""
        if not ticket.assignee_id:
            return None
        in_staff_scope = getattr(ticket, "in_staff_scope", None)
        if in_staff_scope is None:  # a ticket the view did not read itself (none do yet): asked of the database
            request = self.context.get("request")
            in_staff_scope = request is not None and is_staff_for(request.user, ticket)
        if not in_staff_scope:
            return None
        return {"id": ticket.assignee_id, "name": str(ticket.assignee)}

    @extend_schema_field(PhotoSerializer(many=True, allow_null=True))
    def get_photos(self, ticket):
        """The report's own photos (not those of later replies), in the answer about one ticket (null in lists,
        which would need a query more per page). Whoever may see the ticket may see them, as on its page."""
        if not self.context.get("detail"):
            return None
        if self.context.get("no_photos"):  # a filing without photos: none to look up
            return []
        request = self.context.get("request")
        photos = ticket.attachments.filter(
            purpose=Attachment.Purpose.REPORT, state__in=[Attachment.State.PENDING, Attachment.State.READY]
        ).order_by("created_at", "id")
        return [_photo(request, ticket, photo) for photo in photos]

    @extend_schema_field(PlanActivitySerializer(many=True, allow_null=True))
    def get_plan_activities(self, ticket):
        """The activities of the city's plan the report is linked to, latest fiscal year first (an activity carried
        over to the next year and its continuation are both linked), in the answer about one ticket (null in lists,
        which would need a query more per page), as the ticket pages link them."""
        if not self.context.get("detail"):
            return None
        if self.context.get("just_filed"):  # nothing links a report in the request that files it
            return []
        activities = (
            ticket.planned_activities.select_related("fiscal_year")
            .only("pk", "code", "name", "stage", "fiscal_year__year")
            .order_by("-fiscal_year__year", "-pk")
        )
        return [plan_activity(activity) for activity in activities]


def plan_activity(activity) -> dict:
    """An activity as ``PlanActivitySerializer`` gives it; its public page at the portal's public address, as the
    emails link it."""
    return {
        "id": activity.pk,
        "code": activity.code,
        "name": activity.name,
        "fiscal_year": activity.fiscal_year.year,
        "stage": activity.stage,
        "public_url": activity_public_url(activity.pk),
    }


def activity_public_url(activity_id: int) -> str:
    return absolute_url(reverse("planning:public_activity", args=[activity_id]))


def with_staff_scope(tickets, user):
    """``tickets`` each marked ``in_staff_scope`` (whether the user's staff queue holds it) in the same query, with
    its assignee read alongside for staff: ``TicketSerializer`` shows the assignee to them alone, and a list must
    not ask about each ticket."""
    condition = staff_ticket_filter(user)
    if condition is None:
        return tickets.annotate(in_staff_scope=Value(False))
    # Q() is every ticket (an inspector's scope), which ExpressionWrapper cannot write as SQL.
    in_scope = ExpressionWrapper(condition, output_field=BooleanField()) if condition else Value(True)
    return tickets.annotate(in_staff_scope=in_scope).select_related("assignee")


def _photo(request, ticket, photo) -> dict:
    ready = photo.state == Attachment.State.READY and bool(photo.image)
    address = {"reference": ticket.reference, "photo_id": photo.pk}
    url = thumbnail_url = None
    if ready:
        url = reverse("ticket-photo", kwargs=address)
        thumbnail_url = reverse("ticket-photo-thumbnail", kwargs=address) if photo.thumbnail else url
        if request is not None:
            url, thumbnail_url = request.build_absolute_uri(url), request.build_absolute_uri(thumbnail_url)
    return {"id": photo.pk, "state": photo.state, "url": url, "thumbnail_url": thumbnail_url}


UNKNOWN_KELURAHAN = _("There is no kelurahan with the code “{value}”; /api/v1/areas/ lists them.")
UNKNOWN_KECAMATAN = _("There is no kecamatan with the code “{value}”; /api/v1/areas/?level=kecamatan lists them.")
UNKNOWN_DEPARTMENT = _("There is no department with the code “{value}”; /api/v1/departments/ lists them.")


class ActiveServiceField(serializers.SlugRelatedField):
    """A service by code, read from this process's catalogue copies (``services.lookups``): filing is hot."""

    default_error_messages = {
        # DRF's own reads "Object with code=nope does not exist." ("Objek dengan code=nope tidak ada.").
        "does_not_exist": _("There is no active service with the code “{value}”; /api/v1/services/ lists them."),
    }

    def to_internal_value(self, data):
        service = lookups.active_service(str(data))
        if service is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data))
        return service


class _AnswersAsJsonText(str):
    """``attributes`` sent as one form field: JSON text, read by ``AnswersField``."""


# A form field per question: attributes[ukuran]=kecil; attributes[masalah][]=a (or the same key repeated) for several.
_ANSWER_KEY = re.compile(r"attributes\[(?P<code>[^\[\]]+)\](?P<many>\[\])?")
_BOTH_WAYS = object()


class AnswersField(serializers.DictField):
    """The answers to the service's extra questions by question code. In a JSON body an object; in a form or
    multipart body (the one that carries photos) either the field ``attributes`` holding that object as JSON text,
    or one field per question, ``attributes[<code>]`` (repeated, or ``attributes[<code>][]``, for several answers),
    like Open311. DRF's own form reading knows only ``attributes.<code>``, and took ``attributes[ukuran]=kecil`` for
    no answer at all ("Please answer this question")."""

    default_error_messages = {
        "not_json": _('Send the answers as a JSON object, e.g. {"ukuran": "kecil"}.'),
        "both_ways": _("Send the answers either as attributes (JSON) or as attributes[<code>] fields, not both."),
    }

    def get_value(self, dictionary):
        if not html.is_html_input(dictionary):
            return super().get_value(dictionary)
        answers: dict = {}
        for key in dictionary:
            if match := _ANSWER_KEY.fullmatch(key):
                code, values = match["code"], dictionary.getlist(key)
                if match["many"] or len(values) > 1 or code in answers:
                    answers[code] = _as_list(answers.get(code, [])) + values
                else:
                    answers[code] = values[0]
        answers.update(html.parse_html_dict(dictionary, prefix=self.field_name, default={}))
        if self.field_name in dictionary:
            return _BOTH_WAYS if answers else _AnswersAsJsonText(dictionary[self.field_name])
        return answers or empty

    def to_internal_value(self, data):
        if data is _BOTH_WAYS:
            self.fail("both_ways")
        if isinstance(data, _AnswersAsJsonText):
            try:
                data = json.loads(data) if data.strip() else {}
            except ValueError:
                # Not self.fail(): it formats the message with str.format, which the JSON example's braces break.
                raise serializers.ValidationError(self.error_messages["not_json"], code="not_json") from None
        return super().to_internal_value(data)


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


PHOTOS_AS_FILES = with_photo_limit(
    ngettext_lazy(
        "Send photos as files named photos in a multipart/form-data body (at most %(count)s photo: JPEG, PNG, WebP or "
        "HEIC, up to 10 MB).",
        "Send photos as files named photos in a multipart/form-data body (at most %(count)s photos: JPEG, PNG, WebP "
        "or HEIC, up to 10 MB each).",
        "count",
    )
)
# A photo's address (Open311's media_url) is not fetched: the photo itself is sent.
PHOTO_HINTS = dict.fromkeys(("media_url", "media", "photo", "image", "images", "photo_url"), PHOTOS_AS_FILES)
CONTACT_FROM_ACCOUNT = _(
    "Unknown field: a report is filed under the signed-in account, with that account's name and contact details."
)
# Names a client may use for the filing's fields: from Open311 (address_string, long), or spelled out (latitude).
FILING_HINTS = {
    "latitude": "lat",
    "longitude": "lng",
    "lon": "lng",
    "long": "lng",
    "address_string": "address",
    "service_code": "service",
    "kelurahan": "area",
    "area_code": "area",
    "attribute": "attributes",
    **dict.fromkeys(
        ("email", "phone", "name", "first_name", "last_name", "reporter", "reporter_email", "reporter_phone"),
        CONTACT_FROM_ACCOUNT,
    ),
    **PHOTO_HINTS,
}


class TicketCreateSerializer(FieldsBuiltOnce, api_fields.RefusesUnknownFields, serializers.Serializer):
    """A new report, filed for the signed-in account (JSON). Photos go in a multipart/form-data body instead, with
    the same fields.

    Where the problem is: `lat` and `lng` together (the pin), or `area` (a kelurahan's code), or only an `address`;
    at least one of the three. With a pin the kelurahan is the one the pin lies in, whatever `area` says; a pin
    outside Banjarmasin is refused. Any other field is refused (400), naming it, rather than dropped."""

    field_hints = FILING_HINTS

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000)
    service = ActiveServiceField(
        slug_field="code", queryset=Service.objects.filter(active=True), required=False, allow_null=True
    )
    lat = serializers.FloatField(
        required=False,
        allow_null=True,
        min_value=-90,
        max_value=90,
        help_text="The pin's latitude (WGS 84), with lng; the pin decides the kelurahan.",
    )
    lng = serializers.FloatField(
        required=False, allow_null=True, min_value=-180, max_value=180, help_text="The pin's longitude, with lat."
    )
    area = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Area.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": UNKNOWN_KELURAHAN},
        help_text="The kelurahan's code (areas/?level=kelurahan), when there is no pin; with a pin, the pin's "
        "kelurahan is kept instead.",
    )
    address = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
        help_text="Street and number or a landmark; enough on its own when there is neither a pin nor an area.",
    )
    privacy = serializers.ChoiceField(
        choices=Privacy.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Who may see the report. Left out: the service's default (confidential for a person's health, "
        "social aid or civil records; services/{code}/ says which), else public.",
    )
    show_name = serializers.BooleanField(default=False)
    attributes = AnswersField(
        required=False,
        default=dict,
        help_text="Answers to the service's extra questions by code (services/{code}/ lists them); several answers "
        "of a multivaluelist as a list.",
    )

    def validate_attributes(self, value):
        # The database cannot store NUL characters; say so instead of failing on save.
        if "\\u0000" in json.dumps(value):
            raise serializers.ValidationError(_("Null characters are not allowed."))
        return value

    def validate(self, data):
        # An answer to a question the service does not ask would be dropped by file_ticket: refused by name instead,
        # as Open311 does.
        service = data.get("service")
        if service is not None and data.get("attributes"):
            if unknown := sorted(unasked_attribute_codes(service, data["attributes"])):
                message = _("The service %(service)s asks no such question: services/%(service)s/ lists its questions.")
                raise ValidationError({"attributes": {code: [message % {"service": service.code}] for code in unknown}})
        return data


@extend_schema_field(
    {"type": "array", "items": {"type": "string", "format": "binary"}, "maxItems": MAX_PHOTOS},
)
class PhotoFilesField(serializers.ListField):
    child = serializers.FileField()


def photo_files() -> PhotoFilesField:
    """The ``photos`` of a multipart body: checked and re-encoded by the action (``complaints/photos.py``)."""
    return PhotoFilesField(
        required=False,
        default=list,
        help_text=with_photo_limit(
            ngettext_lazy(
                "Up to %(count)s photo (JPEG, PNG, WebP or HEIC, at most 10 MB), one file part named photos.",
                "Up to %(count)s photos (JPEG, PNG, WebP or HEIC, at most 10 MB each), one file part each, all named "
                "photos.",
                "count",
            )
        ),
    )


class TicketCreateMultipartSerializer(TicketCreateSerializer):
    """A new report with photos (multipart/form-data): the fields of the JSON body, `attributes` as JSON text (or
    one `attributes[<code>]` field per question), and files named `photos`, as many as the field's maxItems."""

    photos = photo_files()


UNKNOWN_FILE = _("Unknown file field: send photos as files named photos.")


# What the citizen's ticket page (templates/complaints/ticket.html) shows of a public event's payload: the API shows
# no more to anyone who is not staff in the ticket's scope. The rest is for staff: routing's reasons (an
# administrator's rule note, the classifier's score, duplicate candidates), internal ids, priorities.
PAYLOAD_SHOWN_FOR_EVERY_EVENT = ("reason", "message", "note", "clock")
PAYLOAD_SHOWN_BY_TYPE = {
    EventType.ROUTED: ("department", "department_code"),
    # The new department's dates, and the service the forward gave the report (a triage desk's forward).
    EventType.FORWARDED: ("from", "to", "response_due_at", "resolution_due_at", "service", "service_names"),
    EventType.TRANSFERRED: ("from", "to"),  # a reorganisation's move: the dates carry on, the reason is shown
    EventType.CITIZEN_INFO: ("by",),
    EventType.RATED: ("score", "comment"),
    EventType.MERGED: ("into",),
    # What the page's sentence is made of (``complaints.event_text``) and the activity it links: its id, name, code,
    # department, year, stage and grade; a proposal's title, source, level and the reviewer's reason (not its id: the
    # page does not link it).
    EventType.PLAN_UPDATE: (
        "activity_id",
        "activity",
        "activity_code",
        "activity_url",
        "department",
        "stage",
        "fiscal_year",
        "grade",
        "proposal",
        "source",
        "level",
        "review_note",
    ),
}


def public_payload(payload: dict, event_type: str) -> dict:
    shown = PAYLOAD_SHOWN_FOR_EVERY_EVENT + PAYLOAD_SHOWN_BY_TYPE.get(event_type, ())
    public = {key: value for key, value in payload.items() if key in shown}
    if is_citizen_text(event_type, payload):  # the phone numbers, emails, NIKs a citizen typed (complaints.redaction)
        public = {key: mask_contact_details(text) if isinstance(text, str) else text for key, text in public.items()}
    return public


# Times in payloads, written with isoformat(): a question's clock.since kept its microseconds. The API gives them as
# every other time it gives, in WITA to the second.
PAYLOAD_TIMES = ("since", "resumes_by", "response_due_at", "resolution_due_at", "due_at")
_TIME_FIELD = api_fields.WholeSecondsDateTimeField()


def _to_the_second(values: dict) -> dict:
    times = {}
    for key in PAYLOAD_TIMES:
        try:
            moment = parse_datetime(values[key])
        except (KeyError, TypeError, ValueError):
            continue
        if moment is not None:
            times[key] = _TIME_FIELD.to_representation(moment)
    return {**values, **times} if times else values


def _department_code(context: dict, department_id) -> str | None:
    """A department's code by id, from one read of them all per answer (a page of events names a few)."""
    codes = context.get("department_codes")
    if codes is None:
        codes = context["department_codes"] = dict(Department.objects.values_list("pk", "code"))
    return codes.get(department_id)


EVENT_PAYLOAD_HELP = (
    "What the step holds, by type: a reply's `message`; a rejection's or forward's `reason` (a forward's `from` and "
    "`to` departments, and the new department's `response_due_at` and `resolution_due_at`: forwarding starts them "
    "again); routed: `department` and `department_code`; merged: `into` when that report is not confidential. A "
    "`plan_update`: `message` (the sentence, in Indonesian), and about an activity of the plan `activity_id`, "
    "`activity`, `activity_code`, `activity_url` (its public page), `department` (the activity's), `stage` (planned, "
    "budgeted, completed, evaluated, lapsed, carried_over), `fiscal_year` and, evaluated, `grade` (very_high … "
    "very_low); about a proposal (usulan) before any activity `proposal` (its title), `source`, `fiscal_year`, "
    "`stage` (proposed or declined) and, declined, `level` and `review_note`."
)


# Its whole payload only when the view marked the event ``in_staff_scope`` (``public_payload`` else).
class EventSerializer(api_fields.ModelSerializer):
    """One step in a ticket's timeline: filed, routed, replied, resolved… `payload` holds what the citizen's ticket
    page shows of it (a reply's message, the department it was sent to); staff handling the ticket get it whole,
    with routing's reasons. `public` is false for internal notes and steps only staff see."""

    ticket = serializers.CharField(source="ticket.reference", read_only=True)
    label = serializers.SerializerMethodField()

    class Meta:
        model = TicketEvent
        fields = ["id", "ticket", "type", "label", "payload", "public", "created_at"]
        extra_kwargs = {"payload": {"help_text": EVENT_PAYLOAD_HELP}}

    def get_label(self, event) -> str:
        return str(EventType(event.type).label) if event.type in EventType.values else event.type

    def to_representation(self, event):
        data = super().to_representation(event)
        payload = _to_the_second(dict(event.payload) if isinstance(event.payload, dict) else {})  # a copy to add to
        if isinstance(payload.get("clock"), dict):
            payload["clock"] = _to_the_second(payload["clock"])
        # Routing names the department by its short name ("DLH"); the API names departments by code elsewhere.
        if event.type == EventType.ROUTED and "department_id" in payload:
            payload["department_code"] = _department_code(self.context, payload["department_id"])
        # The activity's public page, which the ticket pages and the plan update's email link.
        if event.type == EventType.PLAN_UPDATE and isinstance(payload.get("activity_id"), int):
            payload["activity_url"] = activity_public_url(payload["activity_id"])
        data["payload"] = payload if getattr(event, "in_staff_scope", False) else public_payload(payload, event.type)
        return data


class NoBodySerializer(api_fields.RefusesUnknownFields, serializers.Serializer):
    """An action that takes no body: a field sent with it is refused, not ignored."""


class MessageSerializer(api_fields.RefusesUnknownFields, serializers.Serializer):
    """A message: a public reply, a question to the citizen, an internal note or the inspectorate's question to the
    department."""

    message = serializers.CharField(max_length=4000)


class CitizenInfoSerializer(api_fields.RefusesUnknownFields, serializers.Serializer):
    """What the reporter (or a follower) adds to an open report: the answer to the department's question, or more
    about the problem. Photos go in a multipart/form-data body instead, with the same field."""

    field_hints = PHOTO_HINTS

    message = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
        help_text="The answer or the added information; may be left out when photos are sent (multipart).",
    )


class CitizenInfoMultipartSerializer(CitizenInfoSerializer):
    """The added information with photos (multipart/form-data): `message` and files named `photos`, as many as the
    field's maxItems."""

    photos = photo_files()


class NoteSerializer(api_fields.RefusesUnknownFields, serializers.Serializer):
    """The resolution note the citizen reads."""

    note = serializers.CharField(max_length=4000)


class ReasonSerializer(api_fields.RefusesUnknownFields, serializers.Serializer):
    """The reason, kept on the ticket's timeline (a rejection's is shown to the citizen)."""

    reason = serializers.CharField(max_length=4000)


class AssignSerializer(api_fields.RefusesUnknownFields, serializers.Serializer):
    """Whom to give the ticket to: a member of its department (tickets/{reference}/assignees/ lists them)."""

    assignee = serializers.IntegerField(
        allow_null=True, help_text="User id from tickets/{reference}/assignees/; null gives it back to the pool."
    )
    expected_assignee = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Optional: who you saw holding the ticket when you chose (user id; null for the pool), the "
        "ticket's `assignee.id` (null when it has none). If "
        "someone else has assigned it since, nothing changes: 400 on `assignee` naming who holds it now. Left "
        "out, nothing is compared.",
    )


class PrioritySerializer(api_fields.RefusesUnknownFields, serializers.Serializer):
    """The new priority: 1 low, 2 normal, 3 high, 4 urgent."""

    priority = serializers.ChoiceField(choices=Service.Priority.choices)


class MergeSerializer(api_fields.RefusesUnknownFields, serializers.Serializer):
    """The open ticket this one duplicates: this one becomes a duplicate, its reporter and supporters follow that
    one."""

    into = serializers.CharField(max_length=20, help_text="Reference of the ticket to keep.")


class MemberSerializer(serializers.Serializer):
    """A member of the ticket's department who may be given it (assign)."""

    id = serializers.IntegerField(help_text="User id, for assign.")
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=StaffMembership.Role.choices)


class ActiveDepartmentField(serializers.SlugRelatedField):
    """A department by code that takes tickets. A department switched off is told apart from an unknown code, so the
    integrator knows the code is right: both read "no department with the code" before."""

    default_error_messages = {
        # DRF's own "Object with code=nope does not exist." ("Objek dengan code=nope tidak ada.") named no list.
        "does_not_exist": UNKNOWN_DEPARTMENT,
        "inactive": _(
            "The department “{value}” is not active: it accepts no tickets; /api/v1/departments/ lists the active ones."
        ),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Department.objects.all(), **kwargs)

    def to_internal_value(self, data):
        department = super().to_internal_value(data)
        if not department.active:
            self.fail("inactive", value=department.code)
        return department


class ForwardSerializer(api_fields.RefusesUnknownFields, serializers.Serializer):
    """Another department whose authority the ticket is (disposisi), with the reason the citizen reads, and the
    service the report is about when the ticket has none yet (a "Not sure" report at the triage desk)."""

    department = ActiveDepartmentField()
    reason = serializers.CharField(max_length=4000)
    # Checked by the action, as on the staff page: required when the ticket has no service, and one the department
    # handles.
    service = ActiveServiceField(
        slug_field="code",
        queryset=Service.objects.filter(active=True),
        required=False,
        allow_null=True,
        help_text="The service's code (services/?department=<code> lists a department's): the ticket's service from "
        "now on, its new due dates counted from this service's working days. Required when the ticket has none "
        "(`service` null: filed as not sure, at the triage desk); it must be one the department handles. Left out, "
        "the ticket keeps its service.",
    )


class UtcDateTimeField(IsoDateTimeField):
    default_error_messages = {
        "invalid": _(
            "Use an ISO 8601 date and time with its offset, e.g. 2026-11-27T09:30:00+08:00 (in a query string the + "
            "is written %%2B)."
        )
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = with_offset_plus(value)
        return super().to_python(value)


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """ISO 8601 with any offset Python accepts, compared in UTC (the database refuses offsets past ±15 h); without an
    offset, in WITA. Anything else is a 400 that shows the format.

    A moment with no UTC equivalent (early on 1 January of year 1, late on 31 December 9999) is clamped to the
    first or last representable one: "since 0001-01-01" means from the beginning, "before 9999-12-31" to the end.
    """

    field_class = UtcDateTimeField

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(dt.UTC)
            except (OverflowError, ValueError):
                value = (dt.datetime.min if value.year < 5000 else dt.datetime.max).replace(tzinfo=dt.UTC)
        return super().filter(qs, value)


class YesNoField(forms.Field):
    """A yes/no query parameter in any of its usual spellings, any case; empty means "not given".

    django-filter's own boolean field reads only a few spellings and takes any other value as "not given", so
    ``mine=1`` listed every visible ticket with a 200: a value it cannot read is refused instead (400).
    """

    SPELLINGS = dict.fromkeys(("true", "1", "yes", "on"), True) | dict.fromkeys(("false", "0", "no", "off"), False)
    default_error_messages = {"invalid": _("Use true or false (also 1/0, yes/no or on/off).")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        answer = self.SPELLINGS.get(str(value).strip().lower())
        if answer is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return answer


class YesNoFilter(django_filters.BooleanFilter):
    """A BooleanFilter (so the schema still says boolean) that reads its value with ``YesNoField``."""

    field_class = YesNoField


class StableOrderingFilter(django_filters.OrderingFilter):
    """``ordering`` among a few fields, ``-`` for descending; the id breaks ties in the same direction, so that pages
    never share or skip rows that tie (many tickets share a priority). A field off the list is a 400."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "-id" if ordering[-1].startswith("-") else "id")


class CodesField(django_filters.fields.ModelMultipleChoiceField):
    """Catalogue rows by their codes (the parameter repeated), read in one query; each unknown code is a 400 that
    names it and the list of codes (``unknown``)."""

    def __init__(self, *args, unknown, **kwargs):
        super().__init__(*args, **kwargs)
        self.unknown = unknown

    def clean(self, value):
        # An empty value is no code, as ?service= with one code was: not a 400 about a code "".
        if isinstance(value, list | tuple):
            value = [code for code in value if code not in ("", None)]
        return super().clean(value)

    def _check_values(self, value):
        codes = list(dict.fromkeys(str(code) for code in value))
        # The database refuses to compare a NUL character: no code has one.
        rows = list(self.queryset.filter(code__in=[code for code in codes if "\x00" not in code]))
        known = {row.code for row in rows}
        # Not Django's "Select a valid choice": it names neither the code nor where the codes are.
        if unknown := [code for code in codes if code not in known]:
            raise forms.ValidationError(
                [
                    # The code as a parameter: django-filter %-formats the message, and a code may hold a %.
                    forms.ValidationError(
                        self.unknown.format(value="%(value)s"), code="invalid_choice", params={"value": code}
                    )
                    for code in unknown
                ]
            )
        return rows


class CodesFilter(django_filters.ModelMultipleChoiceFilter):
    """Tickets of one or more services, departments or kelurahan by code, the parameter repeated for several (their
    union, as ``status``). The codes are looked up once (an indexed read of those rows) and the tickets filtered by
    their ids: "nope" was an empty 200, as if the code had no tickets, and a repeated code kept only the last one."""

    field_class = CodesField

    def __init__(self, queryset, *, unknown, **kwargs):
        super().__init__(queryset=queryset.only("pk", "code"), to_field_name="code", unknown=unknown, **kwargs)

    def filter(self, qs, value):
        # One ``IN`` rather than django-filter's OR of equalities, and no DISTINCT: a ticket has one of each.
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


class AreaCodesFilter(CodesFilter):
    """Areas by code, a kecamatan's meaning every kelurahan in it: tickets carry their kelurahan, and a kecamatan's
    code answered an empty 200."""

    def filter(self, qs, value):
        if not value:
            return qs
        ids = [area.pk for area in value]
        kelurahan = Area.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids), level=Area.Level.KELURAHAN)
        return qs.filter(**{f"{self.field_name}__in": kelurahan.values("pk")})


class AssigneeField(forms.CharField):
    """``me``, ``none`` or a user id; anything else is a 400 that says so."""

    default_error_messages = {"invalid": _("Use me, none or a user id.")}

    def to_python(self, value):
        value = super().to_python(value).strip().lower()
        if value in ("", "me", "none") or value.isascii() and value.isdigit():
            return value
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class AssigneeFilter(django_filters.CharFilter):
    field_class = AssigneeField


class TicketFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        label=_("Tickets in this status; repeat the parameter for several (their tickets together)."),
    )
    kind = django_filters.ChoiceFilter(choices=Service.Kind.choices, label=_("complaint or request."))
    privacy = django_filters.ChoiceFilter(
        choices=Privacy.choices,
        label=_("public, anonymous or confidential (confidential ones only to whoever may see them)."),
    )
    # Retired services and departments too: their tickets stay listed.
    service = CodesFilter(
        Service.objects.all(),
        unknown=_("There is no service with the code “{value}”; /api/v1/services/ lists them."),
        label=_(
            "A service's code (services/ lists them); repeat the parameter for several (their tickets together). An "
            "unknown code is a 400 naming it."
        ),
    )
    department = CodesFilter(
        Department.objects.all(),
        unknown=UNKNOWN_DEPARTMENT,
        label=_(
            "The handling department's code (departments/ lists them); repeat the parameter for several. An unknown "
            "code is a 400 naming it."
        ),
    )
    area = AreaCodesFilter(
        Area.objects.all(),
        unknown=UNKNOWN_KELURAHAN,
        label=_(
            "A kelurahan's code (areas/?level=kelurahan lists them), or a kecamatan's for all its kelurahan; repeat "
            "the parameter for several (their tickets together). An unknown code is a 400 naming it."
        ),
    )
    kecamatan = AreaCodesFilter(
        Area.objects.filter(level=Area.Level.KECAMATAN),
        field_name="area",
        unknown=UNKNOWN_KECAMATAN,
        label=_(
            "A kecamatan's code (areas/?level=kecamatan lists them): the tickets of all its kelurahan; repeat the "
            "parameter for several. Any other code is a 400 naming it."
        ),
    )
    created_after = UtcDateTimeFilter(
        field_name="created_at",
        lookup_expr="gte",
        label=_(
            "Tickets filed (created_at) at or after this moment: ISO 8601 with its offset, e.g. "
            "2026-11-01T00:00:00+08:00 (in a query string the + is written %2B); without an offset, in WITA."
        ),
    )
    created_before = UtcDateTimeFilter(
        field_name="created_at",
        lookup_expr="lt",
        label=_(
            "Tickets filed before this moment, not at it: to include all of 30 November (WITA), send "
            "created_before=2026-12-01T00:00:00+08:00 (the dashboards' “to” date includes its whole day). ISO 8601 "
            "with its offset; without one, in WITA."
        ),
    )
    updated_after = UtcDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_(
            "Tickets changed (updated_at) at or after this moment, ISO 8601 with its offset. To follow changes, "
            "list with ordering=updated_at and ask again from the last updated_at received, a minute earlier: a "
            "change saved while you read is then not missed, and a ticket received twice is simply its later state."
        ),
    )
    updated_before = UtcDateTimeFilter(
        field_name="updated_at",
        lookup_expr="lt",
        label=_("Last changed before this moment, which is not included (ISO 8601 with its offset)."),
    )
    ordering = StableOrderingFilter(
        fields=("created_at", "updated_at", "priority"),
        label=_(
            "Order by created_at (the default is -created_at, newest first), updated_at or priority; - descending."
        ),
    )
    mine = YesNoFilter(method="filter_mine", label=_("Only the tickets I filed (empty without an account)."))
    queue = YesNoFilter(
        method="filter_queue",
        label=_(
            "Staff: the tickets of my staff queue, as its page lists them by default: open ones (submitted, "
            "routed, acknowledged, in_progress) in my scope. With `status`, the tickets of those statuses in my scope "
            "instead (resolved, closed…). Empty for anyone who is not staff."
        ),
    )
    assignee = AssigneeFilter(
        method="filter_assignee",
        label=_(
            "Staff: tickets in my staff scope held by me (`me`), by nobody (`none`) or by a user id (the "
            "`assignee.id` of a ticket, tickets/{reference}/assignees/). Any status unless `status` or `queue` says "
            "otherwise. Empty for anyone who is not staff."
        ),
    )

    class Meta:
        model = Ticket
        fields = ["status", "kind", "privacy", "service", "department", "area"]

    def _in_staff_scope(self, queryset):
        condition = staff_ticket_filter(self.request.user) if self.request else None
        return queryset.none() if condition is None else queryset.filter(condition)

    def filter_queue(self, queryset, name, value):
        if not value:
            return queryset
        # The staff queue page's default (complaints.queries.queue_tickets, status "open"); a status asked for
        # replaces it, as the page's status filter does.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        return self._in_staff_scope(queryset)

    def filter_assignee(self, queryset, name, value):
        if not value:
            return queryset
        # Who holds a ticket is staff's business: only within the reader's staff scope, so that nobody else learns
        # from the list who holds which public ticket.
        queryset = self._in_staff_scope(queryset)
        if value == "me":
            return queryset.filter(assignee_id=self.request.user.pk)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=int(value))

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        user = self.request.user if self.request else None
        # Without an account nobody filed anything: an empty list, not every public ticket.
        if user is None or not user.is_authenticated:
            return queryset.none()
        return queryset.filter(reporter_id=user.pk)


# file_ticket words a missing or half pin for the web form's map ("drop a pin", "choose the kelurahan"), which an API
# filer does not have: it is told which fields to send instead, under the same fields as before.
PIN_INCOMPLETE = _("Send lat and lng together (the pin's latitude and longitude), or neither.")
NO_PLACE = _("Say where the problem is: lat and lng (a pin), area (a kelurahan code) or address.")
OUTSIDE_CITY = _(
    "This place is outside Banjarmasin: send lat and lng of a point inside the city, or send the report to the city "
    "where the problem is."
)


def _location_in_api_words(data: Mapping) -> dict:
    """The API's words for the filing's location errors, by the field file_ticket reports them under (its own speak
    to the web form: "drop the pin")."""
    if (data.get("lat") is None) != (data.get("lng") is None):
        return {"lat": [PIN_INCOMPLETE]}
    if data.get("lat") is not None and locate(float(data["lat"]), float(data["lng"])) is None:
        return {"lat": [OUTSIDE_CITY]}
    if data.get("lat") is None and data.get("area") is None and not data.get("address", "").strip():
        return {"area": [NO_PLACE]}
    return {}


def _with_input_names(error: DjangoValidationError, reworded: Mapping | None = None) -> ValidationError:
    """The filing action's errors under this API's input names: an extra question's ``attr_<code>`` is
    ``attributes.<code>`` (nested, so the error body's field reads ``attributes.<code>``). ``reworded``: messages
    that replace the action's own for a field it refused."""
    if not hasattr(error, "error_dict"):
        return ValidationError(error.messages)
    fields: dict = {}
    for field, messages in error.message_dict.items():
        messages = (reworded or {}).get(field, messages)
        code = attribute_code(field)
        if code is None:
            fields[field] = messages
        else:
            fields.setdefault("attributes", {})[code] = messages
    return ValidationError(fields)


TICKET_EXAMPLE = {
    "reference": "BJM-2026-000123",
    "kind": "complaint",
    "title": "Sampah menumpuk di Jl. Veteran",
    "description": "Sudah tiga hari sampah tidak diangkut.",
    "status": "routed",
    "priority": 2,
    "privacy": "public",
    "channel": "api",
    "service": "sampah-menumpuk",
    "service_name": "Sampah tidak diangkut atau menumpuk",
    "area": "63.71.05.1003",
    "area_name": "Mawar",
    "kecamatan": "63.71.05",
    "kecamatan_name": "Banjarmasin Tengah",
    "department": "dlh",
    "department_name": "Dinas Lingkungan Hidup",
    "assignee": {"id": 42, "name": "Siti Rahmah"},  # as staff of the department read it; null for anyone else
    "address": "Jl. Veteran",
    # A pin in Mawar (services.geo.locate): the pin decides the kelurahan.
    "lat": -3.3256,
    "lng": 114.5817,
    "attributes": {},
    "support_count": 0,
    "public_name": "",
    "reporter": None,
    "photos": [
        {
            "id": 12,
            "state": "ready",
            "url": "https://lapor.banjarmasinkota.go.id/api/v1/tickets/BJM-2026-000123/photos/12/",
            "thumbnail_url": "https://lapor.banjarmasinkota.go.id/api/v1/tickets/BJM-2026-000123/photos/12/thumbnail/",
        }
    ],
    "plan_activities": [
        {
            "id": 31,
            "code": "1.03.02.2.01.0031",
            "name": "Normalisasi drainase Jl. Veteran",
            "fiscal_year": 2027,
            "stage": "budgeted",
            "public_url": "https://lapor.banjarmasinkota.go.id/perencanaan/publik/kegiatan/31/",
        }
    ],
    "created_at": "2026-11-27T09:30:00+08:00",
    "updated_at": "2026-11-27T09:35:00+08:00",
    # Due dates are the end of a working day (services.calendar.add_working_days).
    "response_due_at": "2026-12-01T23:59:59+08:00",
    "resolution_due_at": "2026-12-02T23:59:59+08:00",
    "waiting_for_citizen_since": None,
    "resolved_at": None,
    "closed_at": None,
}
# The answer to a filing: the ticket as filed, before routing gives it a department and due dates; its filer sees
# the contact details they filed with.
FILED_EXAMPLE = TICKET_EXAMPLE | {
    "status": "submitted",
    "department": None,
    "department_name": None,
    "assignee": None,
    "reporter": {"name": "Siti Rahmah", "email": "siti@example.id", "phone": ""},
    "photos": [],
    "plan_activities": [],
    "updated_at": TICKET_EXAMPLE["created_at"],
    "response_due_at": None,
    "resolution_due_at": None,
}
EVENT_EXAMPLE = {
    "id": 7,
    "ticket": "BJM-2026-000123",
    "type": "reply",
    "label": "Reply from the department",
    "payload": {"message": "Truk dijadwalkan besok pagi."},
    "public": True,
    "created_at": "2026-11-27T10:00:00+08:00",
}
# A plan update as the public reads it: the activity that answers the report, its stage, and the sentence the ticket
# page shows (kept in the site's language, Indonesian).
PLAN_UPDATE_EVENT_EXAMPLE = {
    "id": 93,
    "ticket": "BJM-2026-000123",
    "type": "plan_update",
    "label": "City plan update",
    "payload": {
        "activity_id": 31,
        "activity": "Normalisasi drainase Jl. Veteran",
        "activity_code": "1.03.02.2.01.0031",
        "activity_url": "https://lapor.banjarmasinkota.go.id/perencanaan/publik/kegiatan/31/",
        "department": "Dinas PUPR",
        "stage": "budgeted",
        "fiscal_year": 2027,
        "message": "Pemerintah kota telah menganggarkan kegiatan “Normalisasi drainase Jl. Veteran” (Dinas PUPR) "
        "pada tahun anggaran 2027 untuk menjawab laporan seperti laporan Anda.",
    },
    "public": True,
    "created_at": "2027-01-15T09:00:00+08:00",
}

TICKET_RESPONSE = OpenApiExample("A ticket", value=TICKET_EXAMPLE, response_only=True)
# Also the 200 of a retry, which answers what the first request did.
FILED_RESPONSE = OpenApiExample(
    "The ticket as filed", value=FILED_EXAMPLE, response_only=True, status_codes=["200", "201"]
)
PHOTO_NOT_FOUND = OpenApiExample(
    "Not (yet) there",
    value={"errors": [{"field": None, "message": "Not found."}]},
    response_only=True,
    status_codes=["404"],
)


# The answers of a filing refused for its rate: its Retry-After header says when the account may file again.
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    int,
    OpenApiParameter.HEADER,
    response=[429],
    description="Seconds until the account may file again.",
)
FILING_ERRORS = {
    400: ERRORS[400],
    401: ERRORS[401],
    413: OpenApiResponse(ErrorBodySerializer, description="The body is larger than the API takes (JSON: 1 MB)."),
    429: OpenApiResponse(ErrorBodySerializer, description="Filing too often; Retry-After says for how long."),
}


def _staff_action(summary, request_serializer=None, example=None, description=None):
    kwargs = {
        "summary": summary,
        "description": description,
        "responses": {200: TicketSerializer, **ERRORS},
        "examples": [TICKET_RESPONSE],
    }
    if request_serializer is not None:
        kwargs["request"] = request_serializer
        if example is not None:
            kwargs["examples"] = [OpenApiExample("Request", value=example, request_only=True), TICKET_RESPONSE]
    else:
        kwargs["request"] = None
    return extend_schema(**kwargs)


class _PhotoNegotiation(BaseContentNegotiation):
    """A photo is a JPEG whatever the client accepts (``Accept: image/*`` included); an error is the API's JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


# The two photo addresses (the photo, its thumbnail) answer alike: a plain file, JSON only for errors.
PHOTO_ACTION = {
    "detail": True,
    "methods": ["get"],
    "permission_classes": [IsAuthenticatedOrReadOnly],
    "pagination_class": None,
    "filter_backends": [],
    "renderer_classes": [JSONRenderer],
    "content_negotiation_class": _PhotoNegotiation,
}


# The counter ``complaints.actions.intake`` counts an account's filings under (its FILING_RATE_LIMIT per account).
FILING_COUNTER = "file:user:{user_id}"

# Keys are the integration's own text; the filing key is derived from it and the account, so two accounts' keys
# never meet and a key cannot be used to find another account's report.
_IDEMPOTENCY_NAMESPACE = uuid.UUID("9f0f1c1e-5b8e-4a53-9d8e-1f6a4c6d2b10")


def _filing_key(request) -> uuid.UUID | None:
    """file_ticket's key for this filing: a second guard under ``@idempotent`` (which checked the header), for a
    retry that comes after the key's record expired (``API_IDEMPOTENCY_HOURS``) or of a filing made before it was
    kept."""
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if not key:
        return None
    return uuid.uuid5(_IDEMPOTENCY_NAMESPACE, f"{request.user.pk}:{key}")


@extend_schema_view(
    list=extend_schema(
        summary="Tickets you may see",
        description="Public tickets, your own and followed ones, and your staff scope (same rule as the pages). "
        "Newest first unless `ordering` says otherwise; `reporter`, `photos` and `plan_activities` are null here "
        "(ask for one ticket). "
        "`assignee` names who holds a ticket, for staff whose scope holds it (null for anyone else); `assignee=me` "
        "lists yours. "
        "To follow changes: `updated_after` with `ordering=updated_at` (see the parameter), or the events' "
        "`after_id`.",
        responses={200: TicketSerializer(many=True), 401: BAD_TOKEN},
        examples=[TICKET_RESPONSE],
    ),
    retrieve=extend_schema(
        summary="One ticket by reference",
        description="Reporter contact details appear only to the reporter and staff in scope (never for anonymous "
        "tickets). `photos` lists the report's photos with their addresses once they are ready. `plan_activities` "
        "lists the activities of the city's plan the report is linked to (the work that answers it), with their "
        "public pages; their news is in the timeline's `plan_update` events.",
        responses={200: TicketSerializer, 401: BAD_TOKEN, 404: ERRORS[404]},
        examples=[TICKET_RESPONSE],
    ),
    create=extend_schema(
        summary="File a ticket (rate limited)",
        description=with_photo_limit(
            "Files a report for the signed-in account through the same checks as the web form: a JSON "
            "body, or multipart/form-data with photos (files named `photos`, at most %(count)s) and the answers as "
            "`attributes` (JSON text) or `attributes[<code>]` fields. A file under any other name, or `photos` in a "
            "JSON body, is a 400: nothing is dropped unsaid. The answer is the ticket as filed (`submitted`), its "
            "photos `pending` until re-encoded.\n\n"
            "Where: `lat` and `lng` (the pin), or `area`, or only an `address` (see the body); with a pin, its "
            "kelurahan is kept, whatever `area` says.\n\n"
            "Send an `Idempotency-Key` header (any text up to 200 characters, new for each report) to retry "
            "safely, as for every write: the same key with the same body from the same account answers `200` with "
            "the first answer (the ticket as the first request filed it) and `Idempotent-Replayed: true`, instead of "
            "filing it again; the same key with another body (another report) is `422`, and files nothing.\n\n"
            "An account files at most FILING_RATE_LIMIT reports (10 an hour) like a citizen on the web, unless the "
            "administrator gave it a REST API filing limit of its own (an agency's system); beyond it 429 with "
            "Retry-After."
        ),
        request={
            "application/json": TicketCreateSerializer,
            "multipart/form-data": TicketCreateMultipartSerializer,
        },
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="One key per report, new for each; a retry sends the same key with the same body. Kept "
                "24 hours unless the city set otherwise.",
            ),
            RETRY_AFTER,
            OpenApiParameter(
                "Location",
                str,
                OpenApiParameter.HEADER,
                response=[201],
                description="The new ticket's address in this API (tickets/{reference}/).",
            ),
        ],
        responses={
            200: OpenApiResponse(
                TicketSerializer, description="Already filed with this Idempotency-Key: the first answer, again."
            ),
            201: TicketSerializer,
            **FILING_ERRORS,
        },
        examples=[
            OpenApiExample(
                "File a ticket",
                value={
                    "title": "Sampah menumpuk",
                    "description": "Sudah tiga hari tidak diangkut.",
                    "service": "sampah-menumpuk",
                    "lat": TICKET_EXAMPLE["lat"],
                    "lng": TICKET_EXAMPLE["lng"],
                    "privacy": "public",
                },
                request_only=True,
            ),
            FILED_RESPONSE,
        ],
    ),
)
class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = TicketSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    lookup_field = "reference"
    lookup_value_regex = r"[^/]+"
    filterset_class = TicketFilter

    def get_queryset(self):
        tickets = (
            tickets_visible_to(self.request.user)
            .select_related("service", "area__parent", "department")
            .defer(*AREA_BOUNDARIES)
            .order_by("-created_at", "-id")
        )
        return with_staff_scope(tickets, self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["detail"] = self.action != "list"
        return context

    def get_serializer_class(self):
        return TicketCreateSerializer if self.action == "create" else TicketSerializer

    @idempotent(replayed_status=status.HTTP_200_OK)
    def create(self, request, *args, **kwargs):
        data = self._body_input(request, TicketCreateSerializer, TicketCreateMultipartSerializer)
        # An account the administrator gave a filing limit of its own (an agency's system) files under it; the action
        # counts its filings as any account's (``FILING_COUNTER``), against that allowance instead of the citizens'.
        limit = request.user.api_filing_limit
        counter = FILING_COUNTER.format(user_id=request.user.pk)
        try:
            with ratelimit.allowance(counter, limit) if limit else nullcontext():
                ticket = actions.file_ticket(
                    **data,
                    reporter=request.user,
                    channel=Channel.API,
                    client_ip=client_ip(request),
                    filing_key=_filing_key(request),
                )
        except actions.AlreadyFiled as repeat:
            # The same report under this key, filed before its Idempotency-Key record was kept (or after it expired)
            return Response(self._out(repeat.ticket), status=status.HTTP_200_OK, headers={REPLAYED_HEADER: "true"})
        except DjangoValidationError as error:
            raise _with_input_names(error, _location_in_api_words(data)) from error
        # The answer is the ticket as filed (status "submitted", no department yet): the filer is its reporter, so
        # it is theirs to see, and routing reports its outcome through GET and the events. Most filings send no
        # photo: their answer needs no look-up of photos (a query that cost a fifth of a filing's CPU).
        location = request.build_absolute_uri(reverse("ticket-detail", kwargs={"reference": ticket.reference}))
        return Response(
            self._out(ticket, no_photos=not data.get("photos"), just_filed=True),
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    @staticmethod
    def _body_input(request, serializer_class, multipart_serializer_class) -> dict:
        """The body's fields, photos included from a multipart body (read by ``multipart_serializer_class``).
        Nothing sent is dropped unsaid: photos in a JSON or urlencoded body, or files under another name than
        ``photos``, are refused."""
        if request.content_type.startswith("multipart/form-data"):
            serializer_class = multipart_serializer_class
            if unknown := sorted(set(request.FILES) - {"photos"}):
                raise ValidationError({name: [UNKNOWN_FILE] for name in unknown})
        elif isinstance(request.data, Mapping) and "photos" in request.data:
            raise ValidationError({"photos": [PHOTOS_AS_FILES]})
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    def _out(self, ticket, *, no_photos: bool = False, just_filed: bool = False) -> dict:
        context = self.get_serializer_context()
        context["detail"] = True
        context["no_photos"] = no_photos
        context["just_filed"] = just_filed
        return TicketSerializer(ticket, context=context).data

    def _reference(self) -> str:
        reference = self.kwargs["reference"]
        if "\x00" in reference:  # in no reference, and the database refuses to compare it: 404, as retrieve answers
            raise NotFound()
        return reference

    def _ticket(self) -> Ticket:
        ticket = self.get_queryset().filter(reference=self._reference()).first()
        if ticket is None:
            raise NotFound()
        return ticket

    def _staff_ticket(self) -> Ticket:
        """Like the staff pages: non-staff get 403 for a ticket they may see; a ticket outside the user's staff
        scope is 404. A ticket they may not see is 404 for them too, as an unknown reference is: a 403 told a
        citizen that a confidential report with that reference exists."""
        if staff_ticket_filter(self.request.user) is None:
            self._ticket()
            raise PermissionDenied(_("Only city staff may do this."))
        ticket = (
            staff_tickets(self.request.user)
            .select_related("service", "area__parent", "department", "assignee")
            .defer(*AREA_BOUNDARIES)
            .annotate(in_staff_scope=Value(True))
            .filter(reference=self._reference())
            .first()
        )
        if ticket is None:
            raise NotFound()
        return ticket

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _done(self, ticket) -> Response:
        # A confidential ticket forwarded elsewhere leaves the actor's view: answer with what the action returned.
        fresh = self.get_queryset().filter(pk=ticket.pk).first()
        return Response(self._out(fresh or ticket))

    def _endpoint(self) -> str:
        return getattr(getattr(self, self.action, None), "url_path", self.action)

    def handle_exception(self, exc):
        # The workflow names a refused transition by the staff page's button ("cannot be changed with “Verify”"); the
        # API names it by the endpoint the integration called (acknowledge), in either language.
        if isinstance(exc, DjangoValidationError) and getattr(exc, "code", None) == "invalid_transition":
            params = {**(exc.params or {}), "action": self._endpoint()}
            exc = DjangoValidationError(exc.message, code=exc.code, params=params)
        elif isinstance(exc, DjangoPermissionDenied) and getattr(exc, "transition", None) is not None:
            # "Your role may not do “Buka kembali”": the role's refusal names the endpoint (reopen) too.
            exc = DjangoPermissionDenied(ROLE_MAY_NOT % {"action": self._endpoint()})
        return super().handle_exception(exc)

    @extend_schema(
        summary="The ticket's timeline",
        description="Public events; staff in scope also see internal notes. The payload holds what the citizen's "
        "ticket page shows of an event, whole (with routing's reasons) for staff in scope. Oldest first, as the "
        "ticket's page tells it, and not paged (events/?ticket=<reference>&ordering=created_at gives the same "
        "order, paged).",
        responses={200: EventSerializer(many=True), 401: BAD_TOKEN, 404: ERRORS[404]},
        examples=[OpenApiExample("Timeline", value=[EVENT_EXAMPLE, PLAN_UPDATE_EVENT_EXAMPLE], response_only=True)],
    )
    # The timeline is neither filtered nor paged: no filter backends, so the schema lists no parameters it ignores.
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[IsAuthenticatedOrReadOnly],
        pagination_class=None,
        filter_backends=[],
    )
    def events(self, request, reference=None):
        ticket = self._ticket()
        in_staff_scope = is_staff_for(request.user, ticket)
        events = ticket.events.order_by("created_at", "id")
        if not in_staff_scope:
            events = events.filter(public=True)
        events = events.annotate(in_staff_scope=Value(in_staff_scope)).select_related("ticket")
        return Response(EventSerializer(events, many=True).data)

    def _photo(self, request, photo_id, *, thumbnail: bool):
        """The photo, if it is one of this ticket's and ``photo_views`` (the portal's own photo address, with the
        same rule as the ticket pages) serves it to this reader; ``request.user`` is the API's, token or session."""
        ticket = self._ticket()
        if not ticket.attachments.filter(pk=photo_id).exists():
            raise NotFound()
        return photo_views.photo(request._request, pk=int(photo_id), thumbnail=thumbnail)

    @extend_schema(
        summary="A photo of the ticket (JPEG)",
        description="The re-encoded photo (at most 1600 px, no metadata) of a ticket you may see, for the address "
        "in its `photos`. 404 while it is still being processed.",
        parameters=[OpenApiParameter("photo_id", int, OpenApiParameter.PATH)],
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY, 401: BAD_TOKEN, 404: ERRORS[404]},
        examples=[PHOTO_NOT_FOUND],
    )
    @action(url_path=r"photos/(?P<photo_id>[0-9]+)", url_name="photo", **PHOTO_ACTION)
    def photo(self, request, reference=None, photo_id=None, format=None):
        return self._photo(request, photo_id, thumbnail=False)

    @extend_schema(
        summary="A photo's thumbnail (JPEG)",
        description="The small version (at most 400 px) of a photo in the ticket's `photos`.",
        parameters=[OpenApiParameter("photo_id", int, OpenApiParameter.PATH)],
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY, 401: BAD_TOKEN, 404: ERRORS[404]},
        examples=[PHOTO_NOT_FOUND],
    )
    @action(url_path=r"photos/(?P<photo_id>[0-9]+)/thumbnail", url_name="photo-thumbnail", **PHOTO_ACTION)
    def photo_thumbnail(self, request, reference=None, photo_id=None, format=None):
        return self._photo(request, photo_id, thumbnail=True)

    @extend_schema(
        summary="Who the ticket can be assigned to",
        description="The active members of the ticket's department (id, name, role), for `assign`: to staff who "
        "may assign the ticket (its department's staff and head, administrators). No email addresses or phone "
        "numbers.",
        responses={200: MemberSerializer(many=True), 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]},
        examples=[
            OpenApiExample(
                "Members",
                value=[{"id": 42, "name": "Siti Rahmah", "role": "staff"}, {"id": 7, "name": "Budi", "role": "head"}],
                response_only=True,
            )
        ],
    )
    @action(
        detail=True, methods=["get"], permission_classes=[IsAuthenticated], pagination_class=None, filter_backends=[]
    )
    def assignees(self, request, reference=None):
        ticket = self._staff_ticket()
        # The action's rule for who may assign: an inspector sees the ticket but does not work it.
        if not workflow.relations_of(request.user, ticket) & set(workflow.STAFF):
            raise PermissionDenied(_("You may not work on this ticket."))
        members = (
            StaffMembership.objects.filter(department_id=ticket.department_id, active=True, user__is_active=True)
            .select_related("user")
            .order_by("user__full_name", "user__email")
        )
        return Response(
            MemberSerializer([{"id": m.user_id, "name": str(m.user), "role": m.role} for m in members], many=True).data
        )

    @_staff_action(
        "Acknowledge the ticket (routed → acknowledged)",
        description="The department confirms the report is its own and real; the staff page's button for it reads "
        "Verify.",
    )
    @idempotent
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, reference=None):
        ticket = self._staff_ticket()
        self._input(NoBodySerializer)
        return self._done(actions.acknowledge_ticket(ticket=ticket, actor=request.user))

    @_staff_action("Start work (→ in progress)")
    @idempotent
    @action(detail=True, methods=["post"])
    def start(self, request, reference=None):
        ticket = self._staff_ticket()
        self._input(NoBodySerializer)
        return self._done(actions.start_work(ticket=ticket, actor=request.user))

    @_staff_action("Reply publicly to the citizen", MessageSerializer, {"message": "Truk dijadwalkan besok pagi."})
    @idempotent
    @action(detail=True, methods=["post"])
    def reply(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(MessageSerializer)
        return self._done(actions.reply_publicly(ticket=ticket, actor=request.user, message=data["message"]))

    @_staff_action(
        "Ask the citizen for more information", MessageSerializer, {"message": "Mohon kirim foto lebih dekat."}
    )
    @idempotent
    @action(detail=True, methods=["post"], url_path="ask-info")
    def ask_info(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(MessageSerializer)
        return self._done(actions.ask_for_information(ticket=ticket, actor=request.user, message=data["message"]))

    @_staff_action("Add an internal note (staff only)", MessageSerializer, {"message": "Sopir cuti, dijadwal ulang."})
    @idempotent
    @action(detail=True, methods=["post"])
    def note(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(MessageSerializer)
        return self._done(actions.add_internal_note(ticket=ticket, actor=request.user, message=data["message"]))

    @_staff_action(
        "Ask the department for an explanation (inspectorate)",
        MessageSerializer,
        {"message": "Mengapa laporan ini terlambat 20 hari kerja?"},
        description="The staff page's *Ask the department for an explanation*: an internal note (never on the "
        "public timeline, never emailed to the citizen) that the ticket's assignee and its department's active "
        "heads are each emailed once; not the department's contact address, not the person asking. Only the "
        "inspectorate may ask (anyone else 403), on open and closed tickets alike. A department with no active "
        "head and a ticket with no assignee leave nobody to ask: 400 on `message`.",
    )
    @idempotent
    @action(detail=True, methods=["post"], url_path="ask-explanation")
    def ask_explanation(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(MessageSerializer)
        return self._done(
            actions.ask_department_for_explanation(ticket=ticket, actor=request.user, message=data["message"])
        )

    @_staff_action(
        "Assign to a department member (or back to the pool)",
        AssignSerializer,
        {"assignee": 42, "expected_assignee": None},
        description="With `expected_assignee`, two people assigning the same ticket at once cannot overwrite each "
        "other unseen: the second is refused (400 on `assignee`, naming who holds it now) instead of replacing "
        "the first's choice. Assigning it to whoever holds it now changes nothing and is never refused.",
    )
    @idempotent
    @action(detail=True, methods=["post"])
    def assign(self, request, reference=None):
        from accounts.models import User

        ticket = self._staff_ticket()
        data = self._input(AssignSerializer)
        assignee = None
        if data["assignee"] is not None:
            assignee = User.objects.filter(pk=data["assignee"], is_active=True).first()
            if assignee is None:
                # The action's answer for a non-member: whether this id is an account is nobody's business.
                raise ValidationError({"assignee": [NOT_AN_ACTIVE_MEMBER]})
        seen = data.get("expected_assignee", ANY_ASSIGNEE)
        return self._done(
            actions.assign_ticket(ticket=ticket, actor=request.user, assignee=assignee, seen_assignee_id=seen)
        )

    @_staff_action("Change the priority", PrioritySerializer, {"priority": 3})
    @idempotent
    @action(detail=True, methods=["post"])
    def priority(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(PrioritySerializer)
        return self._done(actions.set_priority(ticket=ticket, actor=request.user, priority=data["priority"]))

    @_staff_action("Resolve with a note to the citizen", NoteSerializer, {"note": "Sampah sudah diangkut."})
    @idempotent
    @action(detail=True, methods=["post"])
    def resolve(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(NoteSerializer)
        return self._done(actions.resolve_ticket(ticket=ticket, actor=request.user, note=data["note"]))

    @_staff_action("Reject with a reason", ReasonSerializer, {"reason": "Lokasi di luar kota Banjarmasin."})
    @idempotent
    @action(detail=True, methods=["post"])
    def reject(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(ReasonSerializer)
        return self._done(actions.reject_ticket(ticket=ticket, actor=request.user, reason=data["reason"]))

    @_staff_action("Reopen a resolved or rejected ticket (head)", ReasonSerializer, {"reason": "Masih tergenang."})
    @idempotent
    @action(detail=True, methods=["post"])
    def reopen(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(ReasonSerializer)
        return self._done(actions.staff_reopen_ticket(ticket=ticket, actor=request.user, reason=data["reason"]))

    @_staff_action("Merge into another ticket", MergeSerializer, {"into": "BJM-2026-000100"})
    @idempotent
    @action(detail=True, methods=["post"])
    def merge(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(MergeSerializer)
        into = staff_tickets(request.user).filter(reference=data["into"]).first()
        if into is None:
            raise ValidationError({"into": [_("No ticket with that reference in your queue.")]})
        return self._done(actions.merge_ticket(ticket=ticket, into=into, actor=request.user))

    @_staff_action(
        "Forward to another department with a reason",
        ForwardSerializer,
        {"department": "pupr", "reason": "Saluran drainase, bukan wewenang DLH.", "service": "drainase-tersumbat"},
        description="The ticket goes to the department's queue (routed), with new due dates. As on the staff page, "
        "a ticket without a service (filed as not sure) must be given one (400 on `service` without it), a service "
        "the department handles (400 on `service` for another department's).",
    )
    @idempotent
    @action(detail=True, methods=["post"])
    def forward(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(ForwardSerializer)
        forwarded = actions.forward_ticket(
            ticket=ticket,
            actor=request.user,
            department=data["department"],
            reason=data["reason"],
            service=data.get("service"),
        )
        return self._done(forwarded)

    @extend_schema(
        summary="Add information or answer the department's question (reporter, follower)",
        description=with_photo_limit(
            "What the ticket's page offers its reporter (and followers with an account) while the report is "
            "open: the answer to a question the department asked (ask-info), or more about the problem, with photos "
            "(at most %(count)s) in a multipart/form-data body. An answer ends the department's wait for the "
            "citizen (`waiting_for_citizen_since` back to null) and its due dates move later by the working days it "
            "waited. A system filing for citizens relays their answers here: its own REST filings as their reporter, "
            "its Open311 filings with the account its key was given (an administrator sets the key's REST API "
            "account). Only who may add information on the page may add it here: anyone else 403, a ticket you may "
            "not see 404, a report no longer open 400."
        ),
        request={
            "application/json": CitizenInfoSerializer,
            "multipart/form-data": CitizenInfoMultipartSerializer,
        },
        responses={200: TicketSerializer, **ERRORS},
        examples=[
            OpenApiExample("Request", value={"message": "Lokasinya di depan SDN 3, RT 05."}, request_only=True),
            TICKET_RESPONSE,
        ],
    )
    @idempotent
    @action(detail=True, methods=["post"], url_path="add-info", permission_classes=[IsAuthenticated])
    def add_info(self, request, reference=None):
        ticket = self._ticket()
        data = self._body_input(request, CitizenInfoSerializer, CitizenInfoMultipartSerializer)
        actions.add_citizen_info(
            ticket=ticket, actor=request.user, message=data["message"], photos=data.get("photos", ())
        )
        return self._done(ticket)


# Ids are taken when an event is written and become visible when its transaction commits, a moment later: an event
# written before another can appear after it. Following ``after_id`` holds back events younger than this, so that
# one still committing is not skipped when a later one is read first.
FOLLOW_DELAY = dt.timedelta(seconds=10)


class IdField(forms.IntegerField):
    # Django's own read "Enter a whole number." ("Masukkan keseluruhan angka bilangan.").
    default_error_messages = {
        "invalid": _("Use the id of an event (a whole number, 0 or more), e.g. after_id=0."),
        "min_value": _("Use the id of an event (a whole number, 0 or more), e.g. after_id=0."),
    }


class IdFilter(django_filters.NumberFilter):
    field_class = IdField  # NumberFilter's own reads decimals: after_id=1.5 is no event id


class EventFilter(django_filters.FilterSet):
    ticket = django_filters.CharFilter(field_name="ticket__reference")
    type = django_filters.ChoiceFilter(choices=EventType.choices)
    since = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    after_id = IdFilter(
        method="filter_after_id",
        min_value=0,
        label="The way to follow changes: events with an id greater than this, oldest first (ascending id), once "
        "they are 10 seconds old. Ask again with the id of the last event received; page numbers are not needed. "
        "Cannot be combined with ordering.",
    )
    ordering = StableOrderingFilter(
        fields=("created_at",),
        label="-created_at (the default: newest first) or created_at (oldest first, the order of a ticket's "
        "timeline, tickets/{reference}/events/).",
    )

    class Meta:
        model = TicketEvent
        fields = ["ticket", "type"]

    def filter_after_id(self, queryset, name, value: int):
        settled = timezone.now() - FOLLOW_DELAY
        return queryset.filter(id__gt=value, created_at__lte=settled).order_by("id")

    def filter_queryset(self, queryset):
        if self.form.cleaned_data.get("after_id") is not None and self.form.cleaned_data.get("ordering"):
            raise ValidationError(
                {"ordering": [_("after_id lists the events oldest first, by id: leave ordering out.")]}
            )
        return super().filter_queryset(queryset)


@extend_schema_view(
    list=extend_schema(
        summary="Timeline events of the tickets you may see",
        description="Public events of visible tickets; internal ones only for tickets in your staff scope. The "
        "payload holds what the citizen's ticket page shows of an event, whole (with routing's reasons) for staff in "
        "scope.\n\n"
        "Newest first, by page: a feed to look at. Pages move while events are added (an event written between two "
        "page reads pushes the next page's first event onto it), so **to follow changes use `after_id`**: start "
        "with `after_id=0` (or the newest id you hold), then ask again with the id of the last event received; the "
        "answer is oldest first and misses nothing written before it (events show 10 seconds after they are "
        "written, so that none is skipped while it is still being saved). A ticket that enters your view later "
        "(forwarded to your department, routed and so made public) brings no events older than your position: "
        "read its timeline when one of its events reaches you.\n\n"
        "`ticket=<reference>&ordering=created_at` lists a ticket's events in the order of its timeline "
        "(tickets/{reference}/events/: oldest first, the story as its page tells it, not paged).",
        responses={200: EventSerializer(many=True), 401: BAD_TOKEN},
        examples=[
            OpenApiExample("An event", value=EVENT_EXAMPLE, response_only=True),
            OpenApiExample("A plan update", value=PLAN_UPDATE_EVENT_EXAMPLE, response_only=True),
        ],
    ),
    retrieve=extend_schema(
        summary="One event",
        responses={200: EventSerializer, 401: BAD_TOKEN, 404: ERRORS[404]},
        examples=[
            OpenApiExample("An event", value=EVENT_EXAMPLE, response_only=True),
            OpenApiExample("A plan update", value=PLAN_UPDATE_EVENT_EXAMPLE, response_only=True),
        ],
    ),
)
class EventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    lookup_value_regex = r"[^/]+"
    filterset_class = EventFilter

    def get_queryset(self):
        user = self.request.user
        visible = Q(ticket__in=tickets_visible_to(user).values("pk"), public=True)
        in_staff_scope = Value(False)
        if user.is_authenticated:
            visible |= Q(ticket__in=staff_tickets(user).values("pk"))
            in_staff_scope = Exists(staff_tickets(user).filter(pk=OuterRef("ticket_id")))
        return (
            TicketEvent.objects.filter(visible)
            .annotate(in_staff_scope=in_staff_scope)
            .select_related("ticket")
            .order_by("-created_at", "-id")
        )
