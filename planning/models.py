"""Plan → budget → execute → evaluate: tables only.

Every row belongs to a fiscal year (directly or through its activity). Money is
``Decimal`` Rupiah. Writes live in ``actions``, reads in ``queries``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from services.models import Area, Department, Service


def money_field(verbose_name, **kwargs):
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, **kwargs)


def pct_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=6, decimal_places=2, **kwargs)


# Five-band grade (Permenpan/Bappenas style), lowest score of each band; a fiscal year may override.
DEFAULT_GRADE_BANDS = [
    [91, "very_high"],
    [76, "high"],
    [66, "medium"],
    [51, "low"],
    [0, "very_low"],
]


class Grade(models.TextChoices):
    VERY_HIGH = "very_high", _("Very high")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    VERY_LOW = "very_low", _("Very low")


def default_grade_bands():
    return [list(band) for band in DEFAULT_GRADE_BANDS]


def validate_grade_bands(bands) -> None:
    """Bands the evaluation can use: known grades (an unknown one, e.g. "sangat_tinggi", does not fit the
    evaluation's grade column and failed its save), lowest scores going down, the last starting at 0 (a score below
    every band was given the last band's grade, whatever it was)."""
    example = '[[91, "very_high"], [76, "high"], [66, "medium"], [51, "low"], [0, "very_low"]]'
    shape = _("Write the bands as a list of [lowest score, grade] pairs, e.g. %(example)s.") % {"example": example}
    if not isinstance(bands, list) or not bands:
        raise ValidationError(shape, code="grade_bands")
    previous = None
    for band in bands:
        if not (isinstance(band, list | tuple) and len(band) == 2 and isinstance(band[1], str)):
            raise ValidationError(shape, code="grade_bands")
        low, grade = band
        if isinstance(low, bool) or not isinstance(low, int | float) or not 0 <= low <= 100:
            raise ValidationError(_("“%(score)s” is not a score from 0 to 100.") % {"score": low}, code="grade_bands")
        if grade not in Grade.values:
            raise ValidationError(
                _("Unknown grade “%(grade)s”: use %(grades)s.") % {"grade": grade, "grades": ", ".join(Grade.values)},
                code="grade_bands",
            )
        if previous is not None and low >= previous:
            raise ValidationError(
                _("List the bands highest first: %(score)s comes after %(previous)s.")
                % {"score": low, "previous": previous},
                code="grade_bands",
            )
        previous = low
    if previous != 0:
        raise ValidationError(_("The last band must start at 0, so that every score has a grade."), code="grade_bands")


class FiscalYear(models.Model):
    """A budget year with its planning calendar (Musrenbang → RKPD → KUA-PPAS → APBD → execution → evaluation)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    musrenbang_start = models.DateField(_("Musrenbang starts"))
    musrenbang_end = models.DateField(_("Musrenbang ends"))
    rkpd_by = models.DateField(_("RKPD fixed by"))
    kuappas_start = models.DateField(_("KUA-PPAS starts"))
    kuappas_end = models.DateField(_("KUA-PPAS ends"))
    apbd_by = models.DateField(_("APBD approved by"))
    execution_start = models.DateField(_("execution starts"))
    execution_end = models.DateField(_("execution ends"))
    evaluation_start = models.DateField(_("evaluation starts"))
    evaluation_end = models.DateField(_("evaluation ends"))
    grade_bands = models.JSONField(
        _("grade bands"),
        default=default_grade_bands,
        validators=[validate_grade_bands],
        help_text=_('Lowest score of each band, highest first, e.g. [[91, "very_high"], [76, "high"], …].'),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")

    def __str__(self):
        return str(self.year)

    # The stages in order: (code, label, field of its start, field of its end); RKPD and APBD run from the end of
    # the stage before them.
    STAGES = [
        ("musrenbang", _("Musrenbang"), "musrenbang_start", "musrenbang_end"),
        ("rkpd", _("RKPD"), "musrenbang_end", "rkpd_by"),
        ("kuappas", _("KUA-PPAS"), "kuappas_start", "kuappas_end"),
        ("apbd", _("APBD"), "kuappas_end", "apbd_by"),
        ("execution", _("Execution"), "execution_start", "execution_end"),
        ("evaluation", _("Evaluation"), "evaluation_start", "evaluation_end"),
    ]

    def is_over(self, on: dt.date) -> bool:
        """Its execution has ended by ``on``: nothing new is planned into it (a proposal, an accepted activity)."""
        return self.execution_end < on

    def calendar(self) -> list[tuple[str, str, dt.date, dt.date]]:
        """The stages in order: (code, label, start, end)."""
        return [(code, label, getattr(self, start), getattr(self, end)) for code, label, start, end in self.STAGES]

    def clean(self):
        """The stages as the Indonesian budget calendar runs them:

        - none ends before it starts (a Musrenbang of 31 March to 5 January showed as done and to come);
        - each starts no earlier than the one before it starts: stages may overlap (KUA-PPAS drafting may begin
          before the RKPD is fixed) but not run backwards (an evaluation from 1 June with execution to 31 December
          was accepted);
        - evaluation starts after execution ends, as it scores the finished year, and execution after the APBD is
          approved, as it spends it;
        - execution lies within the fiscal year itself, the calendar year (UU 17/2003): execution to 31 December
          2027 was accepted for 2026.

        Each message names the two dates it compares, on the later one's field: moving Musrenbang into 2027 was
        refused with a message about RKPD alone, whose start is the end of Musrenbang."""
        import itertools

        from django.utils.text import capfirst

        errors = {}

        def value(field):
            return getattr(self, field)

        def label(field):
            return self._meta.get_field(field).verbose_name

        def refuse(field, message, **params):
            params = {key: date_format(v) if isinstance(v, dt.date) else v for key, v in params.items()}
            errors.setdefault(field, message % params)

        def compare(earlier, later, *, strictly=False):
            first, then = value(earlier), value(later)
            if first and then and (then <= first if strictly else then < first):
                message = (
                    _("%(later)s (%(later_date)s) must come after %(earlier)s (%(earlier_date)s).")
                    if strictly
                    else _("%(later)s (%(later_date)s) cannot come before %(earlier)s (%(earlier_date)s).")
                )
                refuse(
                    later,
                    message,
                    later=capfirst(label(later)),
                    later_date=then,
                    earlier=label(earlier),
                    earlier_date=first,
                )

        for code, stage, start, end in self.STAGES:
            if start.startswith(f"{code}_"):  # the stage's own two dates
                first, last = value(start), value(end)
                if first and last and last < first:
                    message = _("%(stage)s cannot end (%(end)s) before it starts (%(start)s).")
                    refuse(end, message, stage=stage, end=last, start=first)
            else:  # RKPD and APBD run from the end of the stage before them: name that stage
                compare(start, end)
        for (_code, _label, previous, previous_end), (code, _stage, start, _end) in itertools.pairwise(self.STAGES):
            if code == "evaluation":
                compare("execution_end", start, strictly=True)
            elif code == "execution":  # spending needs the approved APBD: execution starts after it
                compare(previous, start)
                compare(previous_end, start, strictly=True)
            elif start != previous_end:  # RKPD and APBD start where the stage before ends: its own check above
                compare(previous, start)
        if self.year:
            for field in ("execution_start", "execution_end"):
                day = value(field)
                if day and day.year != self.year:
                    message = _("Execution must fall within fiscal year %(year)s: %(date)s is outside it.")
                    refuse(field, message, year=self.year, date=day)
        if errors:
            raise ValidationError(errors)


class Programme(models.Model):
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="programmes", verbose_name=_("fiscal year")
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("department")
    )

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "code"], name="unique_programme_code")]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return f"{self.code} {self.name}"


class Stage(models.TextChoices):
    PLANNED = "planned", _("Planned")
    BUDGETED = "budgeted", _("Budgeted")
    IN_EXECUTION = "in_execution", _("In execution")
    COMPLETED = "completed", _("Completed")
    EVALUATED = "evaluated", _("Evaluated")
    # Closed at the year's end before completion (``actions.close_year``): the work stopped, its money stays in its
    # year; or it continues as a new activity of the next fiscal year (kegiatan lanjutan), ``Activity.continuation``.
    LAPSED = "lapsed", _("Not finished")
    CARRIED_OVER = "carried_over", _("Carried over")


# The five gates in order. An activity closed unfinished at the year's end leaves this road after execution at the
# latest: its stage is one of ``UNFINISHED_STAGES``.
STAGE_ORDER = [s.value for s in (Stage.PLANNED, Stage.BUDGETED, Stage.IN_EXECUTION, Stage.COMPLETED, Stage.EVALUATED)]
BEFORE_COMPLETION = (Stage.PLANNED, Stage.BUDGETED, Stage.IN_EXECUTION)
UNFINISHED_STAGES = (Stage.LAPSED, Stage.CARRIED_OVER)


class Activity(models.Model):
    """A kegiatan / sub-kegiatan in the plan."""

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="activities", verbose_name=_("fiscal year")
    )
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("programme"),
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="activities"
    )
    kelurahans = models.ManyToManyField(Area, verbose_name=_("kelurahan"), blank=True, related_name="activities")
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    services = models.ManyToManyField(Service, verbose_name=_("services"), blank=True, related_name="activities")
    tickets = models.ManyToManyField(
        "complaints.Ticket",
        through="ActivityTicket",
        blank=True,
        related_name="planned_activities",
        verbose_name=_("tickets"),
    )
    stage = models.CharField(_("stage"), max_length=15, choices=Stage.choices, default=Stage.PLANNED)
    stage_changed_at = models.DateTimeField(_("stage changed at"), auto_now_add=True)
    # The day the work was handed over (PHO), as the head reports it: timeliness is scored from it, not from the
    # day the head clicked (a hand-over on 28 November reported on 20 December scored as late).
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # The activity of the year before whose unfinished work this one continues (kegiatan lanjutan).
    carried_over_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continuation",
        verbose_name=_("carried over from"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "code"], name="unique_activity_code")]
        indexes = [models.Index(fields=["fiscal_year", "department", "stage"], name="activity_dept_stage_idx")]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def stage_index(self) -> int:
        """The gate reached; an activity closed unfinished got no further than execution."""
        if self.stage in UNFINISHED_STAGES:
            return STAGE_ORDER.index(Stage.IN_EXECUTION)
        return STAGE_ORDER.index(self.stage)

    @staticmethod
    def date_errors(year: int | None, start_date: dt.date | None, end_date: dt.date | None) -> dict[str, str]:
        """What is wrong with an activity's dates, by field: the year's budget pays for the year's work (an activity
        of 2026 dated 2029 showed as "in execution" with no time elapsed), and it ends after it starts. The plan's
        action (``create_activity``) and the admin (``clean``) both ask here."""
        errors = {}
        if year is not None:
            for field, day in (("start_date", start_date), ("end_date", end_date)):
                if day and day.year != year:
                    errors[field] = _("An activity of fiscal year %(year)s starts and ends within that year.") % {
                        "year": year
                    }
        if start_date and end_date and end_date < start_date and "end_date" not in errors:
            errors["end_date"] = _("The end cannot come before the start.")
        return errors

    def clean(self):
        year = self.fiscal_year.year if self.fiscal_year_id else None
        errors = self.date_errors(year, self.start_date, self.end_date)
        if errors:
            raise ValidationError(errors, code="date")


class Partner(models.Model):
    """A pentahelix partner of an activity."""

    class Role(models.TextChoices):
        COMMUNITY = "community", _("Community")
        ACADEMIA = "academia", _("Academia")
        BUSINESS = "business", _("Business")
        MEDIA = "media", _("Media")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="partners", verbose_name=_("activity")
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    contribution = models.CharField(_("contribution"), max_length=255, blank=True)

    class Meta:
        ordering = ["role", "name"]
        verbose_name = _("pentahelix partner")
        verbose_name_plural = _("pentahelix partners")

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class ActivityTicket(models.Model):
    """A ticket kept as evidence for an activity; its followers are told when the activity moves."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="ticket_links", verbose_name=_("activity")
    )
    ticket = models.ForeignKey(
        "complaints.Ticket", on_delete=models.CASCADE, related_name="activity_links", verbose_name=_("ticket")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("added by")
    )
    added_at = models.DateTimeField(auto_now_add=True, verbose_name=_("added at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "ticket"], name="unique_activity_ticket")]
        verbose_name = _("activity ticket")
        verbose_name_plural = _("activity tickets")


class StageChange(models.Model):
    """Who moved an activity through a gate, and when."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("activity")
    )
    from_stage = models.CharField(max_length=15, choices=Stage.choices, blank=True, verbose_name=_("from stage"))
    to_stage = models.CharField(max_length=15, choices=Stage.choices, verbose_name=_("to stage"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("actor")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")


class Proposal(models.Model):
    """An usulan: from Musrenbang, a department, a partner or complaint evidence."""

    class Source(models.TextChoices):
        MUSRENBANG_KELURAHAN = "musrenbang_kelurahan", _("Musrenbang kelurahan")
        MUSRENBANG_KECAMATAN = "musrenbang_kecamatan", _("Musrenbang kecamatan")
        DEPARTMENT = "department", _("Department")
        PARTNER = "partner", _("Pentahelix partner")
        EVIDENCE = "evidence", _("Complaint evidence")
        # Sent online by a citizen while the Musrenbang runs (``actions.send_community_proposal``).
        COMMUNITY = "community", _("Community (online)")

    class Status(models.TextChoices):
        IN_REVIEW = "in_review", _("In review")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("fiscal year")
    )
    source = models.CharField(_("source"), max_length=24, choices=Source.choices)
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem statement"))
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="proposals")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="proposals"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    estimated_cost = money_field(_("estimated cost"))
    tickets = models.ManyToManyField(
        "complaints.Ticket", blank=True, related_name="proposals", verbose_name=_("tickets")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.IN_REVIEW)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("proposer")
    )
    activity = models.OneToOneField(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal", verbose_name=_("activity")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    # Who proposes a community proposal, in the citizen's words (an RT/RW, a community group, a campus team): shown
    # publicly only when ``show_group_name`` is ticked; the proposer's own name never is.
    group_name = models.CharField(_("proposing group"), max_length=200, blank=True)
    show_group_name = models.BooleanField(_("show the group's name publicly"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self):
        return self.title


class ProposalPhoto(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="photos", verbose_name=_("proposal"))
    image = models.ImageField(upload_to="planning/proposals/%Y/%m/", verbose_name=_("image"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("proposal photo")
        verbose_name_plural = _("proposal photos")


class ReviewLevel(models.TextChoices):
    KELURAHAN = "kelurahan", _("Kelurahan")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DEPARTMENT = "department", _("Department")
    BAPPEDA = "bappeda", _("Bappeda")


REVIEW_CHAIN = [level.value for level in ReviewLevel]


class ProposalReview(models.Model):
    class Decision(models.TextChoices):
        RECOMMEND = "recommend", _("Recommend")
        DECLINE = "decline", _("Decline")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("proposal"))
    level = models.CharField(_("level"), max_length=10, choices=ReviewLevel.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    note = models.TextField(_("note"), blank=True)
    amount = money_field(_("recommended amount"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("reviewer")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "level"], name="unique_review_level")]
        verbose_name = _("proposal review")
        verbose_name_plural = _("proposal reviews")


class BudgetVersion(models.TextChoices):
    INDICATIVE = "indicative", _("Indicative ceiling (pagu indikatif)")
    # Original lines entered or imported before finance approves them (``approve_budget`` makes them ORIGINAL): not
    # yet a budget, so nothing that reads the original and revised totals (pages, dashboards, realisation's limit)
    # counts them. A file still calls them "original".
    DRAFT = "draft", _("Original, awaiting approval")
    ORIGINAL = "original", _("Original (murni)")
    REVISED = "revised", _("Revised (perubahan)")


def budget_in_force(original, revised):
    """The budget an activity is held to: the revised one (APBD-P) once there is one, else the original (APBD
    murni), else zero (not approved yet: lines awaiting approval are ``BudgetVersion.DRAFT``, never passed here).
    Every page that shows a budget or a realisation % uses this rule."""
    if revised is not None:
        return revised
    return original if original is not None else Decimal("0")


class FundSource(models.TextChoices):
    PAD = "pad", _("Local revenue (PAD)")
    DAU = "dau", _("General allocation (DAU)")
    DAK = "dak", _("Special allocation (DAK)")
    DBH = "dbh", _("Revenue sharing (DBH)")
    OTHER = "other", _("Other lawful revenue")


class BudgetLine(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("activity")
    )
    version = models.CharField(_("version"), max_length=10, choices=BudgetVersion.choices)
    account_code = models.CharField(_("account code"), max_length=40)
    fund_source = models.CharField(_("fund source"), max_length=10, choices=FundSource.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    amount = money_field(_("amount"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["activity", "version", "account_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "version", "account_code", "fund_source"], name="unique_budget_line"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_line_not_negative"),
        ]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self):
        return f"{self.activity.code} {self.get_version_display()} {self.account_code}"


class BudgetChange(models.Model):
    """Every change of a budget line: who, when, old and new amount."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="changes", verbose_name=_("budget line")
    )
    old_amount = money_field(_("old amount"), null=True, blank=True)
    new_amount = money_field(_("new amount"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("actor")
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("budget change")
        verbose_name_plural = _("budget changes")


class Realisation(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="realisations", verbose_name=_("activity")
    )
    date = models.DateField(_("date"))
    amount = money_field(_("amount"))
    document_number = models.CharField(_("payment document number"), max_length=60)
    description = models.CharField(_("description"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            # SP2D-1 and sp2d-1 are the same payment document: one payment, counted once.
            models.UniqueConstraint(
                models.F("activity"), Upper("document_number"), name="unique_realisation_document_any_case"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="realisation_positive"),
        ]
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")


class ProgressReport(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="progress_reports", verbose_name=_("activity")
    )
    month = models.DateField(_("month"), help_text=_("First day of the month reported."))
    physical_pct = pct_field(_("physical progress %"))
    problems = models.TextField(_("problems"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported by"),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(null=True, blank=True, verbose_name=_("verified at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["activity", "month"], name="unique_progress_month")]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")


class ProgressPhoto(models.Model):
    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="photos", verbose_name=_("report")
    )
    image = models.ImageField(upload_to="planning/progress/%Y/%m/", verbose_name=_("image"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("progress photo")
        verbose_name_plural = _("progress photos")


class Milestone(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        MET = "met", _("Met")
        MISSED = "missed", _("Missed")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("activity")
    )
    name = models.CharField(_("name"), max_length=200)
    due_date = models.DateField(_("due"))
    met_on = models.DateField(_("met on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # Who typed it and when, and who recorded it met: ``met_on`` and ``due_date`` are typed, so a milestone added
    # after its due date and met "before" it scored as on time. Empty on milestones recorded before these were kept.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True, editable=False)
    met_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("outcome recorded by"),
    )
    met_recorded_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.name

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == self.Status.PENDING and self.due_date < today


class Indicator(models.Model):
    class Level(models.TextChoices):
        OUTPUT = "output", _("Output")
        OUTCOME = "outcome", _("Outcome")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("activity")
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    description = models.CharField(_("description"), max_length=255)
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=Decimal("0"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default="increase")

    class Meta:
        ordering = ["level", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.description


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    period = models.DateField(_("period"), help_text=_("Last day of the period measured."))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # When the value now held was typed (a period's value may be typed again): empty on values recorded before it
    # was kept. A value counts in the evaluation at once; a planner or inspector verifying it says it was checked.
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["period"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="unique_indicator_period")]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")


class AchievementBasis(models.TextChoices):
    """What the half of an evaluation's score called achievement was computed from, so every page names it for what
    it is: the physical progress a department reports is its own claim, not an indicator measured."""

    INDICATORS = "indicators", _("Indicator achievement")
    # Without indicators: the latest physical progress a planner or inspector verified (``verify_progress``).
    PHYSICAL = "physical", _("Physical progress reported by the department and verified (no indicators)")
    # A department's year: its activities' indicators, or verified physical progress where an activity has none.
    MIXED = "mixed", _("Indicator achievement, or verified physical progress where an activity has no indicators")
    # Evaluations recorded before the basis was kept counted the latest progress reported, verified or not.
    PHYSICAL_UNVERIFIED = (
        "physical_unverified",
        _("Physical progress reported by the department, verified or not (no indicators)"),
    )
    MIXED_UNVERIFIED = (
        "mixed_unverified",
        _(
            "Indicator achievement, or physical progress reported by the department (verified or not) where an "
            "activity has no indicators"
        ),
    )


class Evaluation(models.Model):
    """The evaluation of one activity, or of a department's year (activity empty)."""

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("fiscal year")
    )
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("activity"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("department")
    )
    indicator_achievement_pct = pct_field(_("indicator achievement %"))
    achievement_basis = models.CharField(
        _("achievement computed from"),
        max_length=20,
        choices=AchievementBasis.choices,
        default=AchievementBasis.INDICATORS,
    )
    budget_absorption_pct = pct_field(_("budget absorption %"))
    # Empty when it could not be measured (no milestones, work delivered by its planned end): the score then weighs
    # achievement and absorption alone (``queries.combined_score``).
    timeliness_pct = pct_field(_("timeliness %"), null=True, blank=True)
    score = pct_field(_("score"))
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    findings = models.TextField(_("findings"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("evaluator")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")


class ImportJob(models.Model):
    """A budget or realisation file being imported (all rows or none); large files run as a task."""

    class Kind(models.TextChoices):
        BUDGET = "budget", _("Budget lines")
        REALISATION = "realisation", _("Realisation")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused")

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("fiscal year")
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=_("kind"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="planning_imports", verbose_name=_("owner")
    )
    filename = models.CharField(max_length=255, verbose_name=_("filename"))
    file_path = models.CharField(max_length=255, blank=True, verbose_name=_("file path"))  # under PRIVATE_UPLOAD_ROOT
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, verbose_name=_("state"))
    total = models.PositiveIntegerField(default=0, verbose_name=_("total"))
    done = models.PositiveIntegerField(default=0, verbose_name=_("done"))
    imported = models.PositiveIntegerField(default=0, verbose_name=_("imported"))
    errors = models.JSONField(
        default=list, blank=True, verbose_name=_("errors")
    )  # [{"row": n, "column": "...", "reason": "..."}]
    # What a finished import changed, so the importer sees which year's activities moved:
    # [{"code", "name", "year", "total": a budget version or "realised", "old": "1500000.00" or null, "new": "..."}]
    changes = models.JSONField(default=list, blank=True, verbose_name=_("changes"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0

    def change_rows(self) -> list[dict]:
        """``changes`` as the page shows them: the total named in the reader's language, amounts as Decimal."""
        labels = dict(BudgetVersion.choices) | {"realised": _("Realised")}
        return [
            {
                **change,
                "total": labels.get(change["total"], change["total"]),
                "old": None if change["old"] is None else Decimal(change["old"]),
                "new": Decimal(change["new"]),
            }
            for change in self.changes
        ]
