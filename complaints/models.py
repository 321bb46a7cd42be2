"""The ticket and its life: whatever a citizen files, its attachments, timeline, supporters, rating.

Business rules live in ``actions`` (writes), ``queries`` (reads), ``workflow``
(state machine) and ``routing`` (decisions); this module holds tables only.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.models import Area, Department, Service


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ROUTED = "routed", _("Routed")
    ACKNOWLEDGED = "acknowledged", _("Verified")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")


OPEN_STATUSES = (Status.SUBMITTED, Status.ROUTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
FINAL_STATUSES = (Status.CLOSED, Status.REJECTED, Status.DUPLICATE)


def work_order_group() -> models.Case:
    """The staff queue's default order, first key: 0 an open urgent ticket, 1 another open one, 2 a closed one (the
    work first, the weekend's fallen tree before last year's overdue rubbish). ``ticket_work_order_idx`` and
    ``ticket_city_work_order_idx`` hold this very expression: change it there too (a migration)."""
    is_open = models.Q(status__in=OPEN_STATUSES)
    return models.Case(
        models.When(is_open & models.Q(priority__gte=Service.Priority.URGENT), then=models.Value(0)),
        models.When(is_open, then=models.Value(1)),
        default=models.Value(2),
    )


def next_due_at() -> models.Case:
    """The date the department must meet next: the response (verification) due date while nobody has verified the
    ticket (routed; verifying is the response), else the resolution due date. The queue's default order, second key,
    and the date its "Due" column shows (``queries.next_deadline``)."""
    return models.Case(
        models.When(models.Q(status=Status.ROUTED, response_due_at__isnull=False), then=models.F("response_due_at")),
        default=models.F("resolution_due_at"),
    )


class Privacy(models.TextChoices):
    PUBLIC = "public", _("Public")
    ANONYMOUS = "anonymous", _("Anonymous")
    CONFIDENTIAL = "confidential", _("Confidential")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    ASSISTED = "assisted", _("Assisted (kelurahan office)")
    PHONE = "phone", _("Phone (call centre 112)")
    API = "api", _("REST API")
    OPEN311 = "open311", _("Open311")


class Ticket(models.Model):
    """A service request or complaint filed by a citizen."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Service.Kind.choices, default=Service.Kind.COMPLAINT)
    # No single-column index on service, reporter or department: the composite indexes in Meta lead with each
    # of them, and every index on this table is rewritten by each filing and each routing (migration 0012).
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        db_index=False,
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    attributes = models.JSONField(_("extra answers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.SUBMITTED)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Service.Priority.choices, default=Service.Priority.NORMAL
    )
    privacy = models.CharField(_("privacy"), max_length=12, choices=Privacy.choices, default=Privacy.PUBLIC)
    show_name = models.BooleanField(_("show my name publicly"), default=False)

    # Who filed it. Contact details are never public; for anonymous tickets staff never see them.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        verbose_name=_("reporter"),
        db_index=False,
    )
    reporter_name = models.CharField(_("name"), max_length=150, blank=True)
    reporter_email = models.EmailField(_("email"), blank=True)
    reporter_phone = models.CharField(_("phone"), max_length=30, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets_filed_for_others",
        help_text=_("Staff member who filed on the citizen's behalf (assisted filing)."),
        verbose_name=_("filed by"),
    )
    api_key = models.ForeignKey(
        "open311.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("api key")
    )
    # Filings without an account wait for the email link before routing.
    email_confirmed = models.BooleanField(_("email confirmed"), default=True)
    confirmation_token = models.UUIDField(
        default=uuid.uuid4, editable=False, unique=True, verbose_name=_("confirmation token")
    )
    notify_reporter = models.BooleanField(_("email me updates"), default=True)
    # The filing form's one-time key: the same form sent twice (a double click, the back button and "send"
    # again) finds the ticket it filed the first time instead of filing a second one (actions.file_ticket).
    filing_key = models.UUIDField(null=True, blank=True, editable=False, verbose_name=_("filing form key"))

    # Where.
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address or landmark"), max_length=255, blank=True)
    area = models.ForeignKey(
        Area, verbose_name=_("kelurahan"), null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )

    # Who handles it.
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_tickets",
        verbose_name=_("duplicate of"),
    )
    classifier_score = models.FloatField(null=True, blank=True, verbose_name=_("classifier score"))
    support_count = models.PositiveIntegerField(_("supporters"), default=0)
    escalation_level = models.PositiveSmallIntegerField(default=0, verbose_name=_("escalation level"))
    # The deadline the escalation is for (empty while not escalated). It ends when that deadline is answered
    # (``end_answered_escalation``), and a deadline missed later starts again at the head
    # (complaints.routing.escalation_due).
    escalated_deadline = models.CharField(
        max_length=10,
        blank=True,
        default="",
        choices=[("response", _("response due")), ("resolution", _("resolution due"))],
        verbose_name=_("escalated deadline"),
    )

    # Clocks (UTC in the database, shown in WITA).
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    routed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("routed at"))
    acknowledged_at = models.DateTimeField(null=True, blank=True, verbose_name=_("acknowledged at"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    close_window_ends_at = models.DateTimeField(null=True, blank=True, verbose_name=_("close window ends at"))
    # Set while the department waits for the citizen's answer to its question: the due dates stop counting then
    # and move on by the working days waited when it ends (complaints.actions.deadlines.end_citizen_wait).
    waiting_for_citizen_since = models.DateTimeField(
        null=True, blank=True, verbose_name=_("waiting for the citizen since")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            models.Index(fields=["status", "created_at"], name="ticket_status_created_idx"),
            models.Index(fields=["service", "area", "status"], name="ticket_cluster_idx"),
            models.Index(fields=["created_at"], name="ticket_created_idx"),
            # An integration following changes (REST updated_after with ordering=updated_at, as documented) reads
            # the few tickets changed since its last poll instead of scanning them all.
            models.Index(fields=["updated_at", "id"], name="ticket_updated_idx"),
            models.Index(fields=["reporter", "created_at"], name="ticket_reporter_idx"),
            models.Index(fields=["privacy", "status", "created_at"], name="ticket_public_idx"),
            # Dashboards: a department's tickets in a date range; escalations waiting.
            models.Index(fields=["department", "created_at"], name="ticket_dept_created_idx"),
            # Dashboards: every column the period figures read, so a date range is an index-only scan.
            models.Index(
                fields=[
                    "created_at",
                    "department",
                    "status",
                    "privacy",
                    "area",
                    "service",
                    "acknowledged_at",
                    "resolved_at",
                    "response_due_at",
                    "resolution_due_at",
                    "id",
                ],
                name="ticket_dashboard_cover_idx",
            ),
            models.Index(
                fields=["department", "escalation_level"],
                condition=models.Q(escalation_level__gt=0),
                name="ticket_escalated_idx",
            ),
            # Staff queue (complaints.queries.queue_tickets): a department's open tickets in due-date or
            # priority order read straight off an index, so LIMIT 50 stops after 50 rows.
            models.Index(
                fields=["department", "resolution_due_at", "id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="ticket_open_due_idx",
            ),
            models.Index(
                models.F("department"),
                models.F("priority").desc(),
                models.F("resolution_due_at"),
                models.F("id"),
                condition=models.Q(status__in=OPEN_STATUSES),
                name="ticket_open_priority_idx",
            ),
            # Every status by due date; created_at as the last key lets a date range be checked in the index
            # (filing and due dates rise together, so a range of recent tickets sits behind most of the walk).
            models.Index(
                fields=["department", "resolution_due_at", "id", "created_at"], name="ticket_dept_due_created_idx"
            ),
            # Dashboards: escalations waiting (counts per department and level, index-only) and the city page's
            # list of escalated tickets (highest level, earliest due first, read off the index).
            models.Index(
                models.F("escalation_level").desc(),
                models.F("resolution_due_at"),
                models.F("department"),
                models.F("id"),
                condition=models.Q(status__in=OPEN_STATUSES, escalation_level__gt=0),
                name="ticket_open_escalated_idx",
            ),
            # Department dashboard: the open queue by age and status, with overdue, and the workload per officer,
            # counted index-only.
            models.Index(
                fields=[
                    "department",
                    "created_at",
                    "status",
                    "acknowledged_at",
                    "response_due_at",
                    "resolution_due_at",
                    "area",
                    "service",
                    "assignee",
                    "id",
                ],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="ticket_open_age_idx",
            ),
            # Department dashboard: tickets resolved in the window per officer, index-only. Filing never writes it
            # (a new ticket has no resolution time).
            models.Index(
                fields=["department", "resolved_at", "assignee", "status", "area", "service"],
                condition=models.Q(resolved_at__isnull=False),
                name="ticket_dept_resolved_idx",
            ),
            # Routing's duplicate search (complaints/actions/dispatch.py): open tickets of one service inside a
            # small latitude band, read off the index instead of intersecting the service's and the status's
            # bitmaps over a million rows (55 ms -> a few ms per routed ticket at 1M tickets).
            models.Index(
                fields=["service", "lat", "lng", "created_at", "id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="ticket_open_near_idx",
            ),
            # The inspectorate's and administrators' city-wide queue: open tickets by due date or priority.
            models.Index(
                fields=["resolution_due_at", "id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="ticket_city_open_due_idx",
            ),
            models.Index(
                models.F("priority").desc(),
                models.F("resolution_due_at"),
                models.F("id"),
                condition=models.Q(status__in=OPEN_STATUSES),
                name="ticket_city_open_prio_idx",
            ),
            # The queue's default order (complaints.queries.queue_tickets): open urgent tickets first, then by the
            # next due date, closed ones last. One index over every status serves both the open queue (its first
            # rows are the open ones) and "All statuses"; the city-wide queue reads the open ones.
            models.Index(
                models.F("department"),
                work_order_group(),
                next_due_at(),
                models.F("id"),
                name="ticket_work_order_idx",
            ),
            models.Index(
                work_order_group(),
                next_due_at(),
                models.F("id"),
                condition=models.Q(status__in=OPEN_STATUSES),
                name="ticket_city_work_order_idx",
            ),
            # The escalation sweep's waits past their cap (actions.deadlines.resume_expired_waits): only the few
            # tickets waiting for the citizen are in it, so filing and routing never write it.
            models.Index(
                fields=["waiting_for_citizen_since"],
                condition=models.Q(waiting_for_citizen_since__isnull=False),
                name="ticket_waiting_citizen_idx",
            ),
        ]
        constraints = [
            # Only web forms carry a key: API filings add nothing to this index.
            models.UniqueConstraint(
                fields=["filing_key"], condition=models.Q(filing_key__isnull=False), name="unique_ticket_filing_key"
            ),
        ]

    def __str__(self):
        return self.reference or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def reopen(self, now) -> list[str]:
        """Back to work after a resolution or a rejection (by a head or by the reporter); the fields it changed, for
        ``save(update_fields=…)``. Not resolved after all, so no resolution time. A ticket resolved or rejected
        without the verify step counts as verified when it was answered: a reopened ticket is being worked, not
        waiting for verification, which is what every "overdue" (queue, escalation, dashboards) assumes of it."""
        from .routing import due_dates

        self.acknowledged_at = self.acknowledged_at or self.resolved_at or self.closed_at or now
        self.status = Status.IN_PROGRESS
        self.resolved_at = None
        self.closed_at = None
        self.close_window_ends_at = None
        # The reopened work gets the service's resolution time from now, and escalation starts over: the old
        # deadline belonged to the answer just undone, and kept it would escalate the ticket on the spot (to the
        # head, then the inspectorate) even when the department had resolved it in time.
        _response, self.resolution_due_at = due_dates(
            start=now, response_days=None, resolution_days=self.service.resolution_sla_days if self.service_id else None
        )
        self.escalation_level = 0
        self.escalated_deadline = ""
        return [
            "status",
            "acknowledged_at",
            "resolved_at",
            "closed_at",
            "close_window_ends_at",
            "resolution_due_at",
            "escalation_level",
            "escalated_deadline",
            "updated_at",
        ]

    def deadlines_waiting(self) -> tuple[str, ...]:
        """The deadlines the department still owes in this status: the response (verification) while routed, the
        resolution while the ticket is worked; the names ``escalated_deadline`` holds."""
        if self.status == Status.ROUTED:
            return ("response", "resolution")
        if self.status in (Status.ACKNOWLEDGED, Status.IN_PROGRESS):
            return ("resolution",)
        return ()

    @property
    def escalated_due_at(self):
        """The missed date the escalation is for (the response or the resolution due date), None while none."""
        if self.escalated_deadline == "response":
            return self.response_due_at
        if self.escalated_deadline == "resolution":
            return self.resolution_due_at
        return None

    def end_answered_escalation(self) -> list[str]:
        """After a change of status: the escalation ends once the deadline it was for is answered (verifying answers
        the response date, resolving, rejecting or merging both), so the queue's and the dashboards' "escalated"
        stop counting the ticket, and a deadline missed later reaches the head first. The fields it changed, for
        ``save(update_fields=…)``; the escalation events stay on the timeline."""
        if self.escalation_level == 0 or self.escalated_deadline in self.deadlines_waiting():
            return []
        self.escalation_level = 0
        self.escalated_deadline = ""
        return ["escalation_level", "escalated_deadline"]

    def public_reporter_name(self) -> str:
        """The name shown to the public: only when the citizen opted in on a public ticket, and only a name they
        gave: never the account's email address, which ``User.get_full_name`` falls back to."""
        if self.privacy == Privacy.PUBLIC and self.show_name:
            return self.reporter_name or (self.reporter.full_name if self.reporter_id else "")
        return ""


class Attachment(models.Model):
    """A photo. The upload is kept privately until re-encoded without metadata; only ``image`` is ever served."""

    class State(models.TextChoices):
        PENDING = "pending", _("Processing")
        READY = "ready", _("Ready")
        REJECTED = "rejected", _("Rejected")

    class Purpose(models.TextChoices):
        REPORT = "report", _("Citizen's photo")
        INFO = "info", _("Additional information")
        RESOLUTION = "resolution", _("Resolution photo")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("ticket"))
    event = models.ForeignKey(
        "TicketEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        verbose_name=_("event"),
    )
    purpose = models.CharField(
        max_length=12, choices=Purpose.choices, default=Purpose.REPORT, verbose_name=_("purpose")
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, verbose_name=_("state"))
    original_path = models.CharField(
        max_length=255, blank=True, verbose_name=_("original path")
    )  # under PRIVATE_UPLOAD_ROOT
    image = models.ImageField(upload_to="tickets/%Y/%m/", blank=True, verbose_name=_("image"))
    thumbnail = models.ImageField(upload_to="tickets/%Y/%m/thumbs/", blank=True, verbose_name=_("thumbnail"))
    width = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("width"))
    height = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("height"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        # The photo sweep's oldest-pending read; only the few pending rows are indexed.
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(state="pending"), name="attachment_pending_idx")
        ]

    # Pages and APIs link here, never to the files' own MEDIA_URL addresses: complaints.photo_views serves a photo
    # only to who may see the page that shows it (a confidential report's photos are files under MEDIA_ROOT too).
    @property
    def url(self) -> str:
        return reverse("complaints:photo", args=[self.pk])

    @property
    def thumbnail_url(self) -> str:
        return reverse("complaints:photo_thumbnail", args=[self.pk])


class EventType(models.TextChoices):
    SUBMITTED = "submitted", _("Filed")
    EMAIL_CONFIRMED = "email_confirmed", _("Email confirmed")
    ROUTED = "routed", _("Sent to department")
    FORWARDED = "forwarded", _("Forwarded")
    # Moved by the administrator when the city reorganises its departments (actions.transfer): unlike a forward,
    # the handling and the due dates carry on.
    TRANSFERRED = "transferred", _("Moved in a reorganisation")
    ASSIGNED = "assigned", _("Assigned")
    PRIORITY_CHANGED = "priority_changed", _("Priority changed")
    ACKNOWLEDGED = "acknowledged", _("Verified")
    STARTED = "started", _("Work started")
    REPLY = "reply", _("Reply from the department")
    INFO_REQUESTED = "info_requested", _("Question to the citizen")
    CITIZEN_INFO = "citizen_info", _("Information from the citizen")
    NOTE = "note", _("Internal note")
    RESOLVED = "resolved", _("Resolved")
    CONFIRMED = "confirmed", _("Confirmed by the citizen")
    REOPENED = "reopened", _("Reopened")
    RATED = "rated", _("Rated")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged into another report")
    MERGED_IN = "merged_in", _("Another report was merged into this one")
    SUPPORTED = "supported", _("Supported (me too)")
    DUPLICATE_CANDIDATE = "duplicate_candidate", _("Possible duplicate found")
    ESCALATED = "escalated", _("Escalated")
    PLAN_UPDATE = "plan_update", _("City plan update")


class TicketEvent(models.Model):
    """One change in a ticket's life. The public timeline and the audit trail are the same rows."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("ticket"))
    type = models.CharField(max_length=24, choices=EventType.choices, verbose_name=_("type"))
    payload = models.JSONField(default=dict, blank=True, verbose_name=_("payload"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("actor")
    )
    public = models.BooleanField(default=True, verbose_name=_("public"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_ticket_idx"),
            # Dashboards: the reopen rate looks for this one event type per ticket.
            models.Index(fields=["ticket"], condition=models.Q(type="reopened"), name="event_reopened_idx"),
            # The queue's "escalated to the inspectorate: ever" and its dates (queries.inspectorate_escalations).
            models.Index(
                fields=["created_at", "ticket"], condition=models.Q(type="escalated"), name="event_escalated_idx"
            ),
        ]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")

    def __str__(self):
        return f"{self.ticket_id} {self.type}"


class Subscription(models.Model):
    """Someone who receives a ticket's updates: its reporter or a supporter ("me too")."""

    class Reason(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        SUPPORTER = "supporter", _("Supporter")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("ticket"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("user")
    )
    email = models.EmailField(blank=True, verbose_name=_("email"))
    reason = models.CharField(max_length=10, choices=Reason.choices, verbose_name=_("reason"))
    active = models.BooleanField(_("email updates"), default=True)
    # A "me too" given without an account waits for its address to be confirmed from the emailed link
    # (``actions.confirm_support``): until then it is not counted, gets no emails (``active`` is off) and is
    # deleted by the retention job when never confirmed. Everyone else's is confirmed as it is made.
    email_confirmed = models.BooleanField(_("email confirmed"), default=True)
    # When the last confirmation link went to the address: at most one per ``SUPPORT_CONFIRMATION_RESEND``.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("confirmation sent at"))
    # The emails' language for someone without an account (the one they filed or followed in); people with an
    # account get their profile's language.
    language = models.CharField(
        _("language"), max_length=8, choices=[("id", "Bahasa Indonesia"), ("en", "English")], default="id"
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [
            # The retention job's unconfirmed "me too"s, oldest link first (actions.retention): a handful of rows.
            models.Index(
                fields=["confirmation_sent_at"],
                condition=models.Q(email_confirmed=False),
                name="subscription_unconfirmed_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "user"], condition=models.Q(user__isnull=False), name="unique_subscription_user"
            ),
            models.UniqueConstraint(
                fields=["ticket", "email"], condition=models.Q(user__isnull=True), name="unique_subscription_email"
            ),
        ]


class Rating(models.Model):
    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="rating", verbose_name=_("ticket"))
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="rating_1_to_5")]


class DuplicateCandidate(models.Model):
    """An open ticket nearby of the same service, linked by routing for staff to merge (never automatically)."""

    # No index of its own: the unique (ticket, candidate) constraint's index leads with it.
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="duplicate_candidates",
        verbose_name=_("ticket"),
        db_index=False,
    )
    candidate = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+", verbose_name=_("candidate"))
    distance_m = models.PositiveIntegerField(verbose_name=_("distance (m)"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [models.UniqueConstraint(fields=["ticket", "candidate"], name="unique_duplicate_candidate")]


class Notification(models.Model):
    """An outgoing email, written in the same transaction as the change it reports.

    A task sends it; a periodic sweep resends what is still pending, and
    ``dedup_key`` makes sure one change never notifies one person twice.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Template(models.TextChoices):
        """The email templates under templates/email/ (``<code>.txt`` and ``<code>_subject.txt``)."""

        CONFIRM_TICKET = "confirm_ticket", _("Report received (to the citizen)")
        CONFIRM_SUPPORT = "confirm_support", _("Me too to confirm (to the citizen)")
        TICKET_UPDATE = "ticket_update", _("Report update (to the citizen)")
        STAFF_TICKET = "staff_ticket", _("A report's news (to the department's staff)")
        PROPOSAL_UPDATE = "proposal_update", _("A proposal's review (to the citizen who sent it)")
        STAFF_TRANSFER = "staff_transfer", _("Reports moved in a reorganisation (to the receiving department)")
        STAFF_HANDOVER = "staff_handover", _("A leaving colleague's tickets (to the one who takes them on)")

    dedup_key = models.CharField(max_length=200, unique=True, verbose_name=_("deduplication key"))
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("ticket")
    )
    event = models.ForeignKey(TicketEvent, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("event"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("recipient")
    )
    email = models.EmailField(verbose_name=_("email"))
    language = models.CharField(max_length=8, default="id", choices=settings.LANGUAGES, verbose_name=_("language"))
    template = models.CharField(max_length=60, choices=Template.choices, verbose_name=_("template"))
    context = models.JSONField(default=dict, verbose_name=_("context"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, verbose_name=_("state"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["state", "created_at"], name="notification_state_idx"),
            # The retention job's oldest rows still naming their recipient (actions.retention): the rows it blanked
            # leave the index, so its walk never rereads them.
            models.Index(fields=["created_at"], condition=~models.Q(email=""), name="notification_kept_idx"),
        ]

    def __str__(self):
        # Listed by the hundred where an account's deletion names what goes with it: which email and when (WITA).
        # Never the address: this is the admin page's title, and the administrator group must not read to whom an
        # anonymous or confidential report's emails went (the list hides it; tests/security/test_email_log.py).
        written = timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M") if self.created_at else ""
        return " · ".join(part for part in (self.get_template_display(), f"#{self.pk}", written) if part)


class CannedResponse(models.Model):
    """A department's ready-made public reply; ``{reference}``, ``{service}``, ``{kelurahan}``… are filled in."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="canned_responses", verbose_name=_("department")
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["department", "title"]
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")

    def __str__(self):
        return self.title


class SavedFilter(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters", verbose_name=_("owner")
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("department")
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=1000, verbose_name=_("query"))
    shared = models.BooleanField(_("share with my department"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")

    def __str__(self):
        return self.name


class ExportJob(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("owner")
    )
    query = models.CharField(max_length=1000, blank=True, verbose_name=_("query"))
    format = models.CharField(
        max_length=5, choices=[("csv", "CSV"), ("xlsx", "XLSX")], default="csv", verbose_name=_("format")
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, verbose_name=_("state"))
    total = models.PositiveIntegerField(default=0, verbose_name=_("total"))
    done = models.PositiveIntegerField(default=0, verbose_name=_("done"))
    file_path = models.CharField(
        max_length=255, blank=True, verbose_name=_("file path")
    )  # under PRIVATE_UPLOAD_ROOT, served only to owner; emptied when the retention job deletes the file
    # Whose queue the file holds: the owner's city-wide roles and departments when it was built
    # (exports.staff_scope); the owner downloads it only while they still see all of that.
    scope = models.JSONField(default=dict, blank=True, verbose_name=_("scope"))
    # The page's language when it was asked for: the worker writes the headers and Yes/No in it, as a small
    # export written in the request is.
    language = models.CharField(_("language"), max_length=8, default="id")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
