"""The city's organisation and catalogue: areas, departments, staff, services, routing rules, days off and working
days, and what seed_city has given the city."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """A kecamatan or kelurahan of Banjarmasin with its boundary polygon (GeoJSON, [lng, lat])."""

    class Level(models.TextChoices):
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("kecamatan"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # GeoJSON geometry (Polygon or MultiPolygon), coordinates [lng, lat].
    boundary = models.JSONField(_("boundary"))
    min_lat = models.FloatField(verbose_name=_("minimum latitude"))
    max_lat = models.FloatField(verbose_name=_("maximum latitude"))
    min_lng = models.FloatField(verbose_name=_("minimum longitude"))
    max_lng = models.FloatField(verbose_name=_("maximum longitude"))
    # A point guaranteed inside the polygon (for labels and tests), not the source centroid.
    label_lat = models.FloatField(verbose_name=_("label latitude"))
    label_lng = models.FloatField(verbose_name=_("label longitude"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self):
        return self.name

    @property
    def kecamatan(self):
        return self.parent if self.level == self.Level.KELURAHAN else self


class Department(models.Model):
    """A city department (OPD) that handles tickets and owns activities."""

    code = models.SlugField(
        _("code"),
        max_length=30,
        unique=True,
        help_text=_(
            "Used in web addresses, the API and the open data: changing it breaks links and integrations that use the "
            "old code. Keep it when the department is renamed."
        ),
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    email = models.EmailField(_("contact email"), blank=True)
    is_triage = models.BooleanField(
        _("city triage desk"), default=False, help_text=_("Receives tickets the router cannot place with confidence.")
    )
    auto_assign = models.BooleanField(
        _("auto-assign"), default=False, help_text=_("Assign new tickets to the member with the fewest open tickets.")
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Untick when the department is closed or merged: it receives no new reports (its services' reports go "
            "to the department of another routing rule, else to the triage desk). Its open reports stay with it "
            "until you move them with “Move open reports to another department”."
        ),
    )

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.short_name

    def clean(self):
        """Two departments with one name (or one short name, what pickers and lists show) cannot be told apart."""
        super().clean()
        others = Department.objects.exclude(pk=self.pk) if self.pk else Department.objects.all()
        errors = {}
        for field, message in (
            (
                "name",
                _("%(code)s is already called “%(name)s”: give this department a name that tells them apart."),
            ),
            (
                "short_name",
                _(
                    "%(code)s already has the short name “%(name)s”, which pickers and lists show: give this "
                    "department another."
                ),
            ),
        ):
            value = " ".join((getattr(self, field) or "").split())
            twin = others.filter(**{f"{field}__iexact": value}).first() if value else None
            if twin is not None:
                errors[field] = message % {"code": twin.code, "name": getattr(twin, field)}
        if errors:
            raise ValidationError(errors)


class StaffMembership(models.Model):
    class Role(models.TextChoices):
        STAFF = "staff", _("Staff")
        HEAD = "head", _("Head")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("department")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "department"], name="unique_membership")]
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")

    def __str__(self):
        # Named with the email in the admin (its rows, its history): two members may share a name.
        user = self.user
        who = f"{user.full_name} ({user.email})" if user.full_name else user.email
        return f"{who} · {self.department} ({self.get_role_display()})"


def _in_english() -> bool:
    """Whether the page speaks English (the catalogue's rows carry both languages)."""
    return (get_language() or "id").startswith("en")


class Service(models.Model):
    """A catalogue entry: what a citizen can ask for or complain about (an Open311 service)."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("Service request")
        COMPLAINT = "complaint", _("Complaint")

    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")
        URGENT = 4, _("Urgent")

    class Privacy(models.TextChoices):
        """Who may see a report: the values and labels of ``complaints.models.Privacy``. services sits below
        complaints and must not import it, so it keeps this copy (tests/services/test_default_privacy.py keeps the
        two equal)."""

        PUBLIC = "public", _("Public")
        ANONYMOUS = "anonymous", _("Anonymous")
        CONFIDENTIAL = "confidential", _("Confidential")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(
        _("description (English)"), blank=True, help_text=_("Shown in English; empty shows the description.")
    )
    group = models.CharField(_("group"), max_length=80)
    group_en = models.CharField(
        _("group (English)"), max_length=80, blank=True, help_text=_("Shown in English; empty shows the group.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMPLAINT)
    default_department = models.ForeignKey(
        Department, verbose_name=_("default department"), on_delete=models.PROTECT, related_name="services"
    )
    response_sla_days = models.PositiveSmallIntegerField(_("response SLA (working days)"), default=3)
    resolution_sla_days = models.PositiveSmallIntegerField(_("resolution SLA (working days)"), default=5)
    default_priority = models.PositiveSmallIntegerField(
        _("default priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    keywords = models.TextField(_("keywords"), blank=True, help_text=_("Comma-separated, Indonesian and English."))
    # Protection by default (UU 27/2022): reports about a person's health, welfare or civil records start
    # confidential; complaints.actions.file_ticket applies it to a filing that chose no privacy.
    default_privacy = models.CharField(
        _("default privacy"),
        max_length=12,
        choices=Privacy.choices,
        default=Privacy.PUBLIC,
        help_text=_(
            "What the filing form preselects for this service, and what a report filed through the REST API or "
            "Open311 without a privacy gets. Choose confidential for reports about a person's health, welfare or "
            "civil records. The citizen may always choose otherwise."
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["group", "name_id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if _in_english() else self.name_id

    @property
    def group_name(self) -> str:
        """The group in the page's language (the Indonesian one when no English name is set)."""
        return (self.group_en or self.group) if _in_english() else self.group

    @property
    def description(self) -> str:
        """The description in the page's language (the Indonesian one when no English text is set)."""
        return (self.description_en or self.description_id) if _in_english() else self.description_id

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]

    def clean(self):
        super().clean()
        errors = {}
        if self.active and self.default_department_id is not None and not self.default_department.active:
            # Routing would send every report to the triage desk instead (services.rules).
            errors["default_department"] = _(
                "%(department)s is inactive: choose an active department, or make the service inactive."
            ) % {"department": self.default_department}
        # 0 working days would make a report due at the end of the day it is filed, a Sunday too, and escalate it
        # at midnight (services.calendar.add_working_days).
        too_short = _("At least 1 working day: with 0 a report would be due the day it is filed, even on a weekend.")
        for name in ("response_sla_days", "resolution_sla_days"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                errors[name] = too_short
        response, resolution = self.response_sla_days, self.resolution_sla_days
        if not errors.get("response_sla_days") and response and resolution and response > resolution:
            errors["response_sla_days"] = _(
                "The response SLA (%(response)d working days) cannot be longer than the resolution SLA "
                "(%(resolution)d): a report is verified before it is resolved."
            ) % {"response": response, "resolution": resolution}
        if errors:
            raise ValidationError(errors)


class ServiceAttribute(models.Model):
    """An extra question for a service (Open311 service definition attribute)."""

    class Datatype(models.TextChoices):
        # Values are Open311's datatype names (integrations read them); labels tell an administrator what the
        # citizen gets.
        STRING = "string", _("Short text (string)")
        NUMBER = "number", _("Number (number)")
        DATETIME = "datetime", _("Date and time (datetime)")
        TEXT = "text", _("Long text (text)")
        SINGLEVALUELIST = "singlevaluelist", _("Pick one answer (singlevaluelist)")
        MULTIVALUELIST = "multivaluelist", _("Pick several answers (multivaluelist)")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes", verbose_name=_("service"))
    code = models.SlugField(_("code"), max_length=40)
    datatype = models.CharField(_("datatype"), max_length=20, choices=Datatype.choices, default=Datatype.STRING)
    required = models.BooleanField(_("required"), default=False)
    private = models.BooleanField(
        _("identifies the citizen"),
        default=False,
        help_text=_(
            "For answers such as a customer or identity number: shown only to the reporter and to the staff who may "
            "see who reported, never on public pages or to the public API."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    # Indonesian is the portal's first language: the plain fields hold it, the ``_en`` ones the English text
    # (empty shows the Indonesian), as for Service.group / group_en.
    description = models.CharField(_("question (Indonesian)"), max_length=255)
    description_en = models.CharField(
        _("question (English)"), max_length=255, blank=True, help_text=_("Shown in English; empty shows the question.")
    )
    datatype_description = models.CharField(_("hint (Indonesian)"), max_length=255, blank=True)
    datatype_description_en = models.CharField(
        _("hint (English)"), max_length=255, blank=True, help_text=_("Shown in English; empty shows the hint.")
    )
    values = models.JSONField(
        _("values"),
        default=list,
        blank=True,
        help_text=_(
            'The answers offered by the list datatypes: [{"key": "small", "name": "Kecil", "name_en": "Small"}, …]. '
            "Keys are stored with the tickets: keep them once used."
        ),
    )

    class Meta:
        ordering = ["service", "order"]
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="unique_service_attribute")]
        verbose_name = _("service attribute")
        verbose_name_plural = _("service attributes")

    def __str__(self):
        return f"{self.service.code}.{self.code}"

    def clean(self):
        super().clean()
        options = self.values if isinstance(self.values, list) else None
        if options is None or not all(
            isinstance(o, dict) and str(o.get("key", "")).strip() and str(o.get("name", "")).strip() for o in options
        ):
            raise ValidationError(
                {"values": _('Please give a list of answers, each with a "key" and a "name" ("name_en" optional).')}
            )
        keys = [str(o["key"]) for o in options]
        if len(set(keys)) != len(keys):
            raise ValidationError({"values": _("Each answer needs its own key.")})
        if self.datatype in (self.Datatype.SINGLEVALUELIST, self.Datatype.MULTIVALUELIST) and not options:
            raise ValidationError({"values": _("A list question needs at least one answer.")})

    @property
    def text(self) -> str:
        """The question in the page's language (the Indonesian one when no English text is set)."""
        return (self.description_en or self.description) if _in_english() else self.description

    @property
    def hint(self) -> str:
        """The datatype description (a hint under the field) in the page's language."""
        return (
            (self.datatype_description_en or self.datatype_description) if _in_english() else self.datatype_description
        )

    @property
    def choices(self) -> list[tuple[str, str]]:
        """The offered answers as (key, label), labels in the page's language (Indonesian when no English one)."""
        english = _in_english()
        return [
            (str(option.get("key", "")), str((english and option.get("name_en")) or option.get("name", "")))
            for option in self.values or []
            if isinstance(option, dict)
        ]


class RoutingRule(models.Model):
    """Service × optional area → department. The most specific rule wins.

    One rule per service and area, and one city-wide rule (no area) per service: a partial unique index, as SQL's
    UNIQUE lets NULL areas repeat. (``nulls_distinct=False`` would need PostgreSQL 15 and is not created on SQLite.)
    """

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("service")
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("A kecamatan or kelurahan; empty = the whole city."),
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("department")
    )
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_(
            "Staff read this on every report the rule routes, as the reason the report came to their department: "
            "say why this department handles these reports here (e.g. the regulation or agreement)."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "area"], name="unique_routing_rule"),
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(area__isnull=True),
                name="unique_city_wide_routing_rule",
                violation_error_message=_(
                    "This service already has a city-wide routing rule (no area). Change that rule, or choose an "
                    "area for this one."
                ),
            ),
        ]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self):
        return f"{self.service.code} @ {self.area or '*'} → {self.department}"


class DayOff(models.Model):
    """The administrator's correction to the working-day calendar (services/calendar.py) on one date.

    A day off: offices close on a day the ``holidays`` package does not list (a local day, a closure, a cuti
    bersama it does not know). A working day: offices open on a date it lists as a national holiday or cuti
    bersama, because the government's SKB moved or cancelled it (the package's Islamic holidays of a coming year
    are estimates). One row a date, so a date is never both."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=Kind.choices,
        default=Kind.DAY_OFF,
        help_text=_(
            "Day off: offices close on a day the calendar counts as a working day (a local day off, a closure, a "
            "cuti bersama the calendar does not list). Working day: offices open on a national holiday or cuti "
            "bersama the calendar lists, which the government's SKB moved to another day or cancelled."
        ),
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["date"]
        verbose_name = _("day off or working day")
        verbose_name_plural = _("days off and working days")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"

    def clean(self):
        """A working day only where the calendar lists a holiday on a weekday: anywhere else it would change no
        count (a weekend is never worked, an unlisted weekday is worked already)."""
        from django.utils.formats import date_format

        from .calendar import is_weekend, listed_holiday

        super().clean()
        if self.kind != self.Kind.WORKING_DAY or self.date is None:
            return
        shown = date_format(self.date, "DATE_FORMAT")
        if is_weekend(self.date):
            raise ValidationError(
                {
                    "kind": _(
                        "%(date)s is a Saturday or Sunday: offices never work on a weekend, so making it a working "
                        "day would change nothing."
                    )
                    % {"date": shown}
                }
            )
        if listed_holiday(self.date) is None:
            raise ValidationError(
                {
                    "kind": _(
                        "%(date)s is not a national holiday or cuti bersama in the calendar: it is a working day "
                        "already, so this would change nothing. To close the offices that day, choose “Day off”."
                    )
                    % {"date": shown}
                }
            )

    @property
    def listed_as(self) -> str | None:
        """What the ``holidays`` package lists on this date (national holiday or cuti bersama), if anything."""
        from .calendar import listed_holiday

        return listed_holiday(self.date)


class SeededEntry(models.Model):
    """A catalogue entry ``seed_city`` has given this city (services/seeding.py), and the fields it gave.

    The release step runs seed_city on every deploy. Remembering what it gave lets it give each thing once: a
    department, service, question or routing rule the administrator deleted stays deleted, a field they emptied
    stays empty, while an entry or a field a later release ships still arrives."""

    kind = models.CharField(_("kind"), max_length=20)  # department, service, question, rule
    key = models.CharField(_("key"), max_length=120)  # the entry's code; service/code or service/area
    fields = models.JSONField(_("fields given"), default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="unique_seeded_entry")]
        verbose_name = _("seeded catalogue entry")
        verbose_name_plural = _("seeded catalogue entries")

    def __str__(self):
        return f"{self.kind} {self.key}"
