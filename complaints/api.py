"""REST API for tickets and their timelines. Interface only.

Lists and details come from ``complaints.queries`` (``tickets_visible_to``, ``staff_tickets``,
``can_see_reporter``); filing goes through ``actions.file_ticket``; every staff endpoint calls the
same action as the staff page, which checks the workflow and raises PermissionDenied/ValidationError.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Q, Value
from django.utils.translation import gettext_lazy as _
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
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from services import lookups
from services.answers import public_answers
from services.models import Area, Department, Service
from smartcity import api_fields
from smartcity.api_errors import ErrorBodySerializer
from smartcity.client_ip import client_ip

from . import actions
from .actions.handling import NOT_AN_ACTIVE_MEMBER
from .actions.intake import attribute_code
from .models import Channel, EventType, Privacy, Status, Ticket, TicketEvent
from .queries import can_see_reporter, is_staff_for, staff_ticket_filter, staff_tickets, tickets_visible_to

ERRORS = {
    400: OpenApiResponse(ErrorBodySerializer, description="Invalid input."),
    401: OpenApiResponse(ErrorBodySerializer, description="Not signed in, or the token is unknown or its account off."),
    403: OpenApiResponse(ErrorBodySerializer, description="Not allowed."),
    404: OpenApiResponse(ErrorBodySerializer, description="Not found or not visible to you."),
}


class ReporterSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class FieldsBuiltOnce:
    """Build a serializer class's fields once and give each instance shallow, unbound copies.

    DRF rebuilds them for every instance: ModelSerializer introspects the model and plain serializers
    deep-copy their declarations (querysets included), which was a third of a filing's time. Binding sets
    attributes on the copy, and fields keep no other per-request state, so shallow copies are enough. They are
    made by hand: ``copy.copy`` goes through ``__reduce_ex__`` and took five times as long.
    """

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


class TicketSerializer(FieldsBuiltOnce, api_fields.ModelSerializer):
    # A ticket may have no service or kelurahan (API filings by address), and has no department until routed.
    service = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    service_name = serializers.SerializerMethodField()
    area = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    area_name = serializers.SerializerMethodField()
    department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    department_name = serializers.SerializerMethodField()
    public_name = serializers.SerializerMethodField()
    reporter = serializers.SerializerMethodField()
    attributes = serializers.SerializerMethodField()

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
            "department",
            "department_name",
            "address",
            "lat",
            "lng",
            "attributes",
            "support_count",
            "public_name",
            "reporter",
            "created_at",
            "updated_at",
            "response_due_at",
            "resolution_due_at",
            "resolved_at",
            "closed_at",
        ]

    def get_service_name(self, ticket) -> str | None:
        return ticket.service.name if ticket.service_id else None

    def get_area_name(self, ticket) -> str | None:
        return ticket.area.name if ticket.area_id else None

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

    @extend_schema_field(ReporterSerializer(allow_null=True))
    def get_reporter(self, ticket):
        """Contact details only in the detail view, for whoever ``can_see_reporter`` allows."""
        if not self.context.get("detail"):
            return None
        request = self.context.get("request")
        if request is None or not can_see_reporter(request.user, ticket):
            return None
        return {"name": ticket.reporter_name, "email": ticket.reporter_email, "phone": ticket.reporter_phone}


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


class TicketCreateSerializer(FieldsBuiltOnce, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000)
    service = ActiveServiceField(
        slug_field="code", queryset=Service.objects.filter(active=True), required=False, allow_null=True
    )
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    area = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Area.objects.all(),
        required=False,
        allow_null=True,
        error_messages={
            "does_not_exist": _("There is no kelurahan with the code “{value}”; /api/v1/areas/ lists them."),
        },
    )
    address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    privacy = serializers.ChoiceField(choices=Privacy.choices, default=Privacy.PUBLIC)
    show_name = serializers.BooleanField(default=False)
    attributes = serializers.DictField(required=False, default=dict)

    def validate_attributes(self, value):
        # The database cannot store NUL characters; say so instead of failing on save.
        if "\\u0000" in json.dumps(value):
            raise serializers.ValidationError(_("Null characters are not allowed."))
        return value


# What the citizen's ticket page (templates/complaints/ticket.html) shows of a public event's payload: the API shows
# no more to anyone who is not staff in the ticket's scope. The rest is for staff: routing's reasons (an
# administrator's rule note, the classifier's score, duplicate candidates), internal ids, priorities.
PAYLOAD_SHOWN_FOR_EVERY_EVENT = ("reason", "message", "note")
PAYLOAD_SHOWN_BY_TYPE = {
    EventType.ROUTED: ("department",),
    EventType.FORWARDED: ("from", "to"),
    EventType.CITIZEN_INFO: ("by",),
    EventType.RATED: ("score", "comment"),
    EventType.MERGED: ("into",),
}


def public_payload(event: TicketEvent) -> dict:
    shown = PAYLOAD_SHOWN_FOR_EVERY_EVENT + PAYLOAD_SHOWN_BY_TYPE.get(event.type, ())
    payload = event.payload if isinstance(event.payload, dict) else {}
    return {key: value for key, value in payload.items() if key in shown}


class EventSerializer(api_fields.ModelSerializer):
    """An event; its whole payload only when the view marked it ``in_staff_scope`` (``public_payload`` else)."""

    ticket = serializers.CharField(source="ticket.reference", read_only=True)
    label = serializers.SerializerMethodField()

    class Meta:
        model = TicketEvent
        fields = ["id", "ticket", "type", "label", "payload", "public", "created_at"]

    def get_label(self, event) -> str:
        return str(EventType(event.type).label) if event.type in EventType.values else event.type

    def to_representation(self, event):
        data = super().to_representation(event)
        if not getattr(event, "in_staff_scope", False):
            data["payload"] = public_payload(event)
        return data


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=4000)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class AssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(allow_null=True, help_text="User id of a department member; null = pool.")


class PrioritySerializer(serializers.Serializer):
    priority = serializers.ChoiceField(choices=Service.Priority.choices)


class MergeSerializer(serializers.Serializer):
    into = serializers.CharField(max_length=20, help_text="Reference of the ticket to keep.")


class ForwardSerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.filter(active=True))
    reason = serializers.CharField(max_length=4000)


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """ISO 8601 with any offset Python accepts, compared in UTC (the database refuses offsets past ±15 h).

    A moment with no UTC equivalent (early on 1 January of year 1, late on 31 December 9999) is clamped to the
    first or last representable one: "since 0001-01-01" means from the beginning, "before 9999-12-31" to the end.
    """

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


class TicketFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    kind = django_filters.ChoiceFilter(choices=Service.Kind.choices)
    privacy = django_filters.ChoiceFilter(choices=Privacy.choices)
    service = django_filters.CharFilter(field_name="service__code")
    department = django_filters.CharFilter(field_name="department__code")
    area = django_filters.CharFilter(field_name="area__code")
    created_after = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcDateTimeFilter(field_name="created_at", lookup_expr="lt")
    mine = YesNoFilter(method="filter_mine", label="Only tickets I filed")
    queue = YesNoFilter(method="filter_queue", label="Only tickets in my staff queue scope")

    class Meta:
        model = Ticket
        fields = ["status", "kind", "privacy", "service", "department", "area"]

    def filter_queue(self, queryset, name, value):
        if not value:
            return queryset
        condition = staff_ticket_filter(self.request.user) if self.request else None
        return queryset.none() if condition is None else queryset.filter(condition)

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        user = self.request.user if self.request else None
        # Without an account nobody filed anything: an empty list, not every public ticket.
        if user is None or not user.is_authenticated:
            return queryset.none()
        return queryset.filter(reporter_id=user.pk)


def _with_input_names(error: DjangoValidationError) -> ValidationError:
    """The filing action's errors under this API's input names: an extra question's ``attr_<code>`` is
    ``attributes.<code>`` (nested, so the error body's field reads ``attributes.<code>``)."""
    if not hasattr(error, "error_dict"):
        return ValidationError(error.messages)
    fields: dict = {}
    for field, messages in error.message_dict.items():
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
    "department": "dlh",
    "department_name": "Dinas Lingkungan Hidup",
    "address": "Jl. Veteran",
    "lat": -3.3186,
    "lng": 114.5944,
    "attributes": {},
    "support_count": 0,
    "public_name": "",
    "reporter": None,
    "created_at": "2026-11-27T09:30:00+08:00",
    "updated_at": "2026-11-27T09:35:00+08:00",
    "response_due_at": "2026-12-01T09:30:00+08:00",
    "resolution_due_at": "2026-12-02T09:30:00+08:00",
    "resolved_at": None,
    "closed_at": None,
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

TICKET_RESPONSE = OpenApiExample("A ticket", value=TICKET_EXAMPLE, response_only=True)


def _staff_action(summary, request_serializer=None, example=None):
    kwargs = {
        "summary": summary,
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


IDEMPOTENCY_HEADER = "Idempotency-Key"
# Keys are the integration's own text; the filing key is derived from it and the account, so two accounts' keys
# never meet and a key cannot be used to find another account's report.
_IDEMPOTENCY_NAMESPACE = uuid.UUID("9f0f1c1e-5b8e-4a53-9d8e-1f6a4c6d2b10")


def _filing_key(request) -> uuid.UUID | None:
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if not key:
        return None
    if len(key) > 200:
        raise ValidationError({IDEMPOTENCY_HEADER: [_("Use at most 200 characters.")]})
    return uuid.uuid5(_IDEMPOTENCY_NAMESPACE, f"{request.user.pk}:{key}")


@extend_schema_view(
    list=extend_schema(
        summary="Tickets you may see",
        description="Public tickets, your own and followed ones, and your staff scope (same rule as the pages).",
        examples=[TICKET_RESPONSE],
    ),
    retrieve=extend_schema(
        summary="One ticket by reference",
        description="Reporter contact details appear only to the reporter and staff in scope (never for anonymous "
        "tickets).",
        responses={200: TicketSerializer, 404: ERRORS[404]},
        examples=[TICKET_RESPONSE],
    ),
    create=extend_schema(
        summary="File a ticket (citizens, rate limited)",
        description="Send an `Idempotency-Key` header (any text up to 200 characters, new for each report) to retry "
        "safely: the same key with the same report (title, description, service, place, privacy) from the same "
        "account answers 200 with the ticket the first request filed instead of filing it again.",
        request=TicketCreateSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="One key per report; a retry sends the same key.",
            )
        ],
        responses={
            200: OpenApiResponse(TicketSerializer, description="Already filed with this Idempotency-Key."),
            201: TicketSerializer,
            400: ERRORS[400],
            401: ERRORS[401],
            429: OpenApiResponse(ErrorBodySerializer, description="Filing too often."),
        },
        examples=[
            OpenApiExample(
                "File a ticket",
                value={
                    "title": "Sampah menumpuk",
                    "description": "Sudah tiga hari tidak diangkut.",
                    "service": "sampah-menumpuk",
                    "lat": -3.3186,
                    "lng": 114.5944,
                    "privacy": "public",
                },
                request_only=True,
            ),
            TICKET_RESPONSE,
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
        return (
            tickets_visible_to(self.request.user)
            .select_related("service", "area", "department")
            .order_by("-created_at", "-id")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["detail"] = self.action != "list"
        return context

    def get_serializer_class(self):
        return TicketCreateSerializer if self.action == "create" else TicketSerializer

    def create(self, request, *args, **kwargs):
        data = TicketCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            ticket = actions.file_ticket(
                **data.validated_data,
                reporter=request.user,
                channel=Channel.API,
                client_ip=client_ip(request),
                filing_key=_filing_key(request),
            )
        except actions.AlreadyFiled as repeat:
            return Response(self._out(repeat.ticket), status=status.HTTP_200_OK)
        except DjangoValidationError as error:
            raise _with_input_names(error) from error
        # The answer is the ticket as filed (status "submitted", no department yet): the filer is its reporter, so
        # it is theirs to see, and routing reports its outcome through GET and the events.
        return Response(self._out(ticket), status=status.HTTP_201_CREATED)

    def _out(self, ticket) -> dict:
        context = self.get_serializer_context()
        context["detail"] = True
        return TicketSerializer(ticket, context=context).data

    def _ticket(self) -> Ticket:
        ticket = self.get_queryset().filter(reference=self.kwargs["reference"]).first()
        if ticket is None:
            raise NotFound()
        return ticket

    def _staff_ticket(self) -> Ticket:
        """Like the staff pages: non-staff get 403; a ticket outside the user's staff scope is 404."""
        if staff_ticket_filter(self.request.user) is None:
            raise PermissionDenied(_("Only city staff may do this."))
        ticket = (
            staff_tickets(self.request.user)
            .select_related("service", "area", "department")
            .filter(reference=self.kwargs["reference"])
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

    @extend_schema(
        summary="The ticket's timeline",
        description="Public events; staff in scope also see internal notes. The payload holds what the citizen's "
        "ticket page shows of an event, whole (with routing's reasons) for staff in scope.",
        responses={200: EventSerializer(many=True), 404: ERRORS[404]},
        examples=[OpenApiExample("Timeline", value=[EVENT_EXAMPLE], response_only=True)],
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

    @_staff_action("Verify the ticket (routed → acknowledged)")
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, reference=None):
        return self._done(actions.acknowledge_ticket(ticket=self._staff_ticket(), actor=request.user))

    @_staff_action("Start work (→ in progress)")
    @action(detail=True, methods=["post"])
    def start(self, request, reference=None):
        return self._done(actions.start_work(ticket=self._staff_ticket(), actor=request.user))

    @_staff_action("Reply publicly to the citizen", MessageSerializer, {"message": "Truk dijadwalkan besok pagi."})
    @action(detail=True, methods=["post"])
    def reply(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(MessageSerializer)
        return self._done(actions.reply_publicly(ticket=ticket, actor=request.user, message=data["message"]))

    @_staff_action(
        "Ask the citizen for more information", MessageSerializer, {"message": "Mohon kirim foto lebih dekat."}
    )
    @action(detail=True, methods=["post"], url_path="ask-info")
    def ask_info(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(MessageSerializer)
        return self._done(actions.ask_for_information(ticket=ticket, actor=request.user, message=data["message"]))

    @_staff_action("Add an internal note (staff only)", MessageSerializer, {"message": "Sopir cuti, dijadwal ulang."})
    @action(detail=True, methods=["post"])
    def note(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(MessageSerializer)
        return self._done(actions.add_internal_note(ticket=ticket, actor=request.user, message=data["message"]))

    @_staff_action("Assign to a department member (or back to the pool)", AssignSerializer, {"assignee": 42})
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
        return self._done(actions.assign_ticket(ticket=ticket, actor=request.user, assignee=assignee))

    @_staff_action("Change the priority", PrioritySerializer, {"priority": 3})
    @action(detail=True, methods=["post"])
    def priority(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(PrioritySerializer)
        return self._done(actions.set_priority(ticket=ticket, actor=request.user, priority=data["priority"]))

    @_staff_action("Resolve with a note to the citizen", NoteSerializer, {"note": "Sampah sudah diangkut."})
    @action(detail=True, methods=["post"])
    def resolve(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(NoteSerializer)
        return self._done(actions.resolve_ticket(ticket=ticket, actor=request.user, note=data["note"]))

    @_staff_action("Reject with a reason", ReasonSerializer, {"reason": "Lokasi di luar kota Banjarmasin."})
    @action(detail=True, methods=["post"])
    def reject(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(ReasonSerializer)
        return self._done(actions.reject_ticket(ticket=ticket, actor=request.user, reason=data["reason"]))

    @_staff_action("Reopen a resolved or rejected ticket (head)", ReasonSerializer, {"reason": "Masih tergenang."})
    @action(detail=True, methods=["post"])
    def reopen(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(ReasonSerializer)
        return self._done(actions.staff_reopen_ticket(ticket=ticket, actor=request.user, reason=data["reason"]))

    @_staff_action("Merge into another ticket", MergeSerializer, {"into": "BJM-2026-000100"})
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
        {"department": "pupr", "reason": "Saluran drainase, bukan wewenang DLH."},
    )
    @action(detail=True, methods=["post"])
    def forward(self, request, reference=None):
        ticket = self._staff_ticket()
        data = self._input(ForwardSerializer)
        forwarded = actions.forward_ticket(
            ticket=ticket, actor=request.user, department=data["department"], reason=data["reason"]
        )
        return self._done(forwarded)


class EventFilter(django_filters.FilterSet):
    ticket = django_filters.CharFilter(field_name="ticket__reference")
    type = django_filters.ChoiceFilter(choices=EventType.choices)
    since = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = TicketEvent
        fields = ["ticket", "type"]


@extend_schema_view(
    list=extend_schema(
        summary="Timeline events of the tickets you may see",
        description="Public events of visible tickets; internal ones only for tickets in your staff scope. The "
        "payload holds what the citizen's ticket page shows of an event, whole (with routing's reasons) for staff in "
        "scope.",
        examples=[OpenApiExample("An event", value=EVENT_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="One event",
        responses={200: EventSerializer, 404: ERRORS[404]},
        examples=[OpenApiExample("An event", value=EVENT_EXAMPLE, response_only=True)],
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
