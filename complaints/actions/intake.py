"""Filing: a citizen (or staff on their behalf, or another system) files a ticket; email confirmation;
"me too"; the citizen's extra information and photos. See complaints/actions/__init__.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import uuid
from collections.abc import Sequence
from contextlib import nullcontext
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from services import lookups
from services.geo import locate
from services.models import Area, Service, ServiceAttribute
from smartcity.inserts import assign_ids, insert_rows
from smartcity.site_links import absolute_url
from smartcity.taskqueue import enqueue_on_commit

from .. import photos as photo_files
from .. import ratelimit, references
from ..events import new_event, record_event
from ..models import Attachment, Channel, EventType, Notification, Privacy, Status, Subscription, Ticket, TicketEvent
from ..notifications import notify_staff, queue_email

log = logging.getLogger(__name__)

__all__ = [
    "AlreadyFiled",
    "FilingRateLimited",
    "add_citizen_info",
    "attach_photos",
    "confirm_email",
    "file_ticket",
    "process_attachment",
    "confirm_support",
    "support_confirmation_token",
    "support_confirmation_url",
    "support_ticket",
    "support_to_confirm",
]

MAX_DESCRIPTION = 4000
MAX_TITLE = 200
MAX_INFO = 4000
MAX_MEDIA_URL = 500
# Numeric answers stay below 10**15: every JSON client (JavaScript's doubles included) reads them exactly, and
# no question the city asks (depths, counts, lengths) comes near it.
MAX_NUMBER_DIGITS = 15
# The years a date or time answer may name (when the problem started, an appointment): wide enough for any report.
ANSWER_YEARS = (1900, 2100)
# Errors about a service's extra question are keyed ``attr_<code>`` (the web form's field names); the APIs turn
# them back into their own parameter names with ``attribute_code``.
ATTRIBUTE_FIELD_PREFIX = "attr_"

_media_url_validator = URLValidator(schemes=["http", "https"])

# Refusals the web filing form makes as well (``forms.FilingForm.clean``), so that they come in the same round as
# the form's own instead of only once every other field is right.
PIN_OUTSIDE_CITY = _(
    "This place is outside Banjarmasin. Please drop the pin inside the city, or contact the city where the problem is."
)
CITIZEN_NAME_MISSING = _("Please enter the citizen's name.")
CITIZEN_CONTACT_MISSING = _("Please enter the citizen's phone number or email address.")


def attribute_code(field: str) -> str | None:
    """The question's code when ``field`` is the error key of a service's extra question, else None."""
    return field.removeprefix(ATTRIBUTE_FIELD_PREFIX) if field.startswith(ATTRIBUTE_FIELD_PREFIX) else None


class AlreadyFiled(Exception):
    """The filing form was sent again with the same key and text (a double click, the back button): ``ticket`` is
    the report the first sending filed. Nothing new was written."""

    def __init__(self, ticket: Ticket):
        super().__init__(ticket.reference)
        self.ticket = ticket


# A reloaded form (the browser refills the text, the page carries a new key) sent again within this time is the
# same report; later it is a report of its own (routing still flags it to staff as a possible duplicate).
REPEAT_WINDOW = dt.timedelta(minutes=10)


def _report_key(form_key: uuid.UUID, content: tuple) -> uuid.UUID:
    """The key a filing is stored under: the form's key with what the form said, so that only the same form sent
    again with the same report meets it; the same form reused for another report gets a key of its own."""
    return uuid.uuid5(form_key, "\x1f".join(str(part) for part in content))


def _earlier_filing(filing_key, *, channel, reporter, reporter_email: str, same: dict) -> Ticket | None:
    if filing_key is not None and (earlier := Ticket.objects.filter(filing_key=filing_key).first()):
        return earlier
    if channel != Channel.WEB or (reporter is None and not reporter_email):
        return None
    who = (
        {"reporter": reporter} if reporter is not None else {"reporter__isnull": True, "reporter_email": reporter_email}
    )
    return (
        Ticket.objects.filter(created_at__gte=timezone.now() - REPEAT_WINDOW, channel=Channel.WEB, **who, **same)
        .order_by("-created_at")
        .first()
    )


class FilingRateLimited(Exception):
    """Too many filings from one address or account; the message is for the user (the API answers 429).

    ``retry_after``: seconds until the counting window that refused the filing ends (the APIs' Retry-After)."""

    def __init__(self, message=None, *, retry_after: int | None = None):
        super().__init__(str(message or _("You have filed many reports in a short time. Please try again later.")))
        self.retry_after = retry_after


# --- validation helpers -----------------------------------------------------------


def unasked_attribute_codes(service: Service, attributes) -> list[str]:
    """The codes among ``attributes`` (answers by code) that ``service`` asks no question for, in the order given:
    ``validate_attributes`` would drop them, so the APIs refuse them by name instead (the per-process copy of the
    questions: no query)."""
    asked = {question.code for question in lookups.service_attributes(service)}
    return [code for code in attributes if code not in asked]


def validate_attributes(service: Service | None, attributes: dict) -> tuple[dict, dict]:
    """Check the answers to a service's extra questions; returns (clean answers, errors by attribute code)."""
    clean: dict = {}
    errors: dict = {}
    if service is None:
        return clean, errors
    for attribute in lookups.service_attributes(service):
        raw = attributes.get(attribute.code)
        values = raw if isinstance(raw, list | tuple) else ([] if raw in (None, "") else [raw])
        values = [str(v).strip() for v in values if str(v).strip()]
        field = f"{ATTRIBUTE_FIELD_PREFIX}{attribute.code}"
        if not values:
            if attribute.required:
                errors[field] = [_("Please answer this question.")]
            continue
        datatype = attribute.datatype
        if datatype == ServiceAttribute.Datatype.NUMBER:
            try:
                number = Decimal(values[0])
                if not number.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                errors[field] = [_("Please enter a number.")]
                continue
            # The questions ask for amounts and measures (water depth, lamps out): -5 cm was filed and shown.
            if number < 0:
                errors[field] = [_("Please enter a number of 0 or more.")]
                continue
            if abs(number) >= 10**MAX_NUMBER_DIGITS:
                errors[field] = [
                    _("Please enter a number with at most %(digits)s digits before the decimal point.")
                    % {"digits": MAX_NUMBER_DIGITS}
                ]
                continue
            clean[attribute.code] = int(number) if number == number.to_integral_value() else float(number)
        elif datatype == ServiceAttribute.Datatype.DATETIME:
            try:
                moment = parse_datetime(values[0])
                day = None if moment else parse_date(values[0])
            except ValueError:  # well formed but impossible, e.g. 30 February
                moment = day = None
            if moment is None and day is None:
                errors[field] = [_("Please enter a date and time.")]
                continue
            if moment is not None and timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            # A valid ISO 8601 text can still name a moment that has no date in UTC or WITA (9999-12-31T23:59-14:00):
            # every page that shows the answer in WITA would fail on it. No report asks about such years.
            first, last = ANSWER_YEARS
            try:
                years = (timezone.localtime(moment).year, moment.astimezone(dt.UTC).year) if moment else (day.year,)
            except OverflowError:
                years = (0,)
            if not all(first <= year <= last for year in years):
                errors[field] = [
                    _("Please enter a date between the years %(first)s and %(last)s.") % {"first": first, "last": last}
                ]
                continue
            clean[attribute.code] = moment.isoformat() if moment else day.isoformat()
        elif datatype in (ServiceAttribute.Datatype.SINGLEVALUELIST, ServiceAttribute.Datatype.MULTIVALUELIST):
            keys = {str(v.get("key")) for v in attribute.values or []}
            if any(v not in keys for v in values):
                errors[field] = [_("Please choose one of the offered answers.")]
                continue
            if datatype == ServiceAttribute.Datatype.SINGLEVALUELIST:
                if len(values) > 1:
                    errors[field] = [_("Please choose only one answer.")]
                    continue
                clean[attribute.code] = values[0]
            else:
                clean[attribute.code] = values
        else:
            text = values[0]
            if len(text) > 1000:
                errors[field] = [_("Please keep this answer to at most 1,000 characters.")]
                continue
            clean[attribute.code] = text
    return clean, errors


def _photo_errors(photos: list) -> list:
    """Why the uploaded photos cannot be kept (too many, or a file that is not a usable image); empty if fine."""
    if len(photos) > photo_files.MAX_PHOTOS:
        return [photo_files.too_many_photos()]
    errors = []
    for upload in photos:
        try:
            photo_files.check_photo(upload)
        except ValidationError as exc:
            errors.extend(exc.messages)
    return errors


def _client_key(client_ip: str | None) -> str:
    return (client_ip or "unknown").replace(":", "_")[:64]


def _shared_connection_refusal(retry_after: int) -> FilingRateLimited:
    minutes = max(1, math.ceil(retry_after / 60))
    message = ngettext(
        "Many reports were sent from your internet connection in a short time (phones on one mobile network can "
        "share it). Please try again in %(minutes)s minute.",
        "Many reports were sent from your internet connection in a short time (phones on one mobile network can "
        "share it). Please try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}
    return FilingRateLimited(message, retry_after=retry_after)


def _check_rate_limits(*, reporter, reporter_email: str, client_ip: str | None, channel: str) -> None:
    """Web filings count per person (the account, or a guest's email address) and per internet address; API
    filings per account, in the same counter as the account's web filings. Open311 keys have their own limits;
    staff filing at a desk are not limited.

    The address's allowance (``FILING_IP_RATE_LIMIT``) is wider than a person's (``FILING_RATE_LIMIT``): a mobile
    network puts many phones behind one address (CGNAT), and one citizen's filings must not use up the others'."""
    if channel not in (Channel.WEB, Channel.API):
        return
    rate = getattr(settings, "FILING_RATE_LIMIT", "10/h")
    if reporter is not None:
        person = f"file:user:{reporter.pk}"
    else:
        person = "file:email:" + hashlib.sha256(reporter_email.encode()).hexdigest()[:32] if reporter_email else ""
    # The address first: a filing it refuses must not use up the person's own allowance as well. Integrations share
    # addresses (a gateway, a NAT): the API counts the account only.
    ip_rate = getattr(settings, "FILING_IP_RATE_LIMIT", "60/h")
    if channel == Channel.WEB and client_ip and not ratelimit.hit(f"file:ip:{_client_key(client_ip)}", ip_rate):
        raise _shared_connection_refusal(ratelimit.seconds_left(ip_rate))
    if person and not ratelimit.hit(person, rate):
        raise FilingRateLimited(retry_after=ratelimit.seconds_left(rate))


def _citizen_language(channel: str) -> str:
    """The language a citizen without an account gets their emails in: the one they filed or followed in.

    Staff filing on a citizen's behalf (kelurahan office, call centre) work in their own language, which says
    nothing about the citizen's: those get the city's default."""
    default = settings.LANGUAGE_CODE
    if channel in (Channel.ASSISTED, Channel.PHONE):
        return default
    language = (get_language() or default)[:2]
    return language if language in dict(settings.LANGUAGES) else default


def _route_on_commit(ticket: Ticket) -> None:
    from ..tasks import request_routing

    ticket_id = ticket.pk
    transaction.on_commit(lambda: request_routing(ticket_id))


# --- filing -----------------------------------------------------------------------


def file_ticket(
    *,
    title: str,
    description: str,
    service: Service | None = None,
    lat: float | None = None,
    lng: float | None = None,
    area: Area | None = None,
    address: str = "",
    privacy: str | None = None,
    show_name: bool = False,
    reporter=None,
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    channel: str = Channel.WEB,
    attributes: dict | None = None,
    photos: Sequence = (),
    media_url: str = "",
    filed_by=None,
    api_key=None,
    client_ip: str | None = None,
    filing_key: uuid.UUID | None = None,
) -> Ticket:
    """File a ticket: validate everything, save it as ``submitted``, and start routing after commit.

    Without an account on the web the email address must be confirmed first (a link is
    emailed); routing waits for ``confirm_email``. Rate limits apply to web filings per
    address and per account. Errors: ``ValidationError`` (dict field → messages) or
    ``FilingRateLimited``.

    ``privacy``: who may see it; none given (None or empty: the web form's choice left unticked, a REST or Open311
    filing without one) is the service's default (``Service.default_privacy``: confidential for a person's health,
    welfare or civil records), public without a service. The citizen may always choose more public or more private.

    ``filing_key``: the web form's one-time key (or the API's Idempotency-Key). The same form sent again with the
    same report raises ``AlreadyFiled`` naming the ticket the first sending filed, and nothing is filed again; a
    form reused for another report (new text, place, service or privacy behind the back button) files it, under a
    key of its own. A web report identical to one the same person filed in the last minutes (the browser reloaded
    the form: same text, kelurahan, service and privacy, a new key) folds onto it too, and the citizen is told.
    """
    errors: dict[str, list] = {}
    # A title is one line: line breaks sent through the API ("Sampah\r\nBcc: …") showed as lines of their own in
    # the emails' bodies, and in lists and subjects they read as nothing but noise.
    title = " ".join((title or "").split())
    description = (description or "").strip()
    address = (address or "").strip()
    reporter_name = (reporter_name or "").strip()
    reporter_email = (reporter_email or "").strip().lower()
    reporter_phone = (reporter_phone or "").strip()
    media_url = (media_url or "").strip()
    if reporter is not None and not getattr(reporter, "is_authenticated", False):
        reporter = None

    if not title:
        errors["title"] = [_("Please give your report a short title.")]
    elif len(title) > MAX_TITLE:
        errors["title"] = [_("Please keep the title to at most 200 characters.")]
    if not description and not (photos or media_url):
        errors["description"] = [_("Please describe the problem.")]
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = [
            _("Please keep the description to at most 4,000 characters (now %(count)s).")
            % {"count": number_format(len(description), force_grouping=True)}
        ]
    if service is not None and not service.active:
        errors["service"] = [_("This service is no longer offered. Please choose another one.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if not privacy:
        privacy = service.default_privacy if service is not None else Privacy.PUBLIC
    if privacy not in Privacy.values:
        errors["privacy"] = [_("Please choose who may see your report.")]
    show_name = bool(show_name) and privacy == Privacy.PUBLIC

    # Where: the pin decides the kelurahan; without a pin the chosen kelurahan (or an address for API clients).
    if (lat is None) != (lng is None):
        errors["lat"] = [_("Please drop the pin again: the location is incomplete.")]
    elif lat is not None:
        try:
            lat, lng = float(lat), float(lng)
        except (TypeError, ValueError):
            errors["lat"] = [_("Please drop the pin again: the location is not valid.")]
        else:
            located = locate(lat, lng)
            if located is None:
                errors["lat"] = [PIN_OUTSIDE_CITY]
            else:
                area = located
    if lat is None and "lat" not in errors:
        if area is not None and area.level != Area.Level.KELURAHAN:
            errors["area"] = [_("Please choose a kelurahan.")]
        elif area is None and not (address and channel in (Channel.API, Channel.OPEN311)):
            errors["area"] = [_("Please drop a pin on the map or choose the kelurahan.")]

    # Who.
    if reporter is None:
        if channel == Channel.WEB and not reporter_email:
            errors["reporter_email"] = [_("Please give your email address: we send a link to confirm your report.")]
        if channel in (Channel.ASSISTED, Channel.PHONE):
            if not reporter_name:
                errors["reporter_name"] = [CITIZEN_NAME_MISSING]
            if not (reporter_phone or reporter_email):
                errors["reporter_phone"] = [CITIZEN_CONTACT_MISSING]
    if reporter_email:
        try:
            validate_email(reporter_email)
        except ValidationError:
            errors["reporter_email"] = [_("Please enter a valid email address.")]
    if len(reporter_phone) > 30:
        errors["reporter_phone"] = [_("Please enter a shorter phone number.")]

    if media_url:
        try:
            if len(media_url) > MAX_MEDIA_URL:
                raise ValidationError("too long")
            _media_url_validator(media_url)
        except ValidationError:
            errors["media_url"] = [
                _("Please give a web address starting with http:// or https:// (at most 500 characters).")
            ]

    clean_attributes, attribute_errors = validate_attributes(service, attributes or {})
    errors.update(attribute_errors)

    photos = list(photos or [])
    if photo_errors := _photo_errors(photos):
        errors["photos"] = photo_errors

    if not errors:
        # Before the limits and the pending-confirmation cap: a repeat is no new filing.
        if filing_key is not None:
            filing_key = _report_key(
                filing_key,
                (title, description, service.pk if service else "", area.pk if area else "", lat, lng, privacy),
            )
        if earlier := _earlier_filing(
            filing_key,
            channel=channel,
            reporter=reporter,
            reporter_email=reporter_email,
            same={"title": title, "description": description, "service": service, "area": area, "privacy": privacy},
        ):
            raise AlreadyFiled(earlier)

    needs_confirmation = reporter is None and channel == Channel.WEB
    if needs_confirmation and reporter_email and "reporter_email" not in errors:
        pending = Ticket.objects.filter(
            reporter__isnull=True,
            reporter_email__iexact=reporter_email,
            email_confirmed=False,
            status=Status.SUBMITTED,
        ).count()
        if pending >= settings.MAX_PENDING_UNCONFIRMED_PER_EMAIL:
            errors["reporter_email"] = [
                _(
                    "Reports from this address are waiting for confirmation. Please open the links we emailed you "
                    "first: confirm the reports you filed and delete any you did not. Or log in to file at once."
                )
            ]

    if errors:
        raise ValidationError(errors)
    _check_rate_limits(reporter=reporter, reporter_email=reporter_email, client_ip=client_ip, channel=channel)

    if reporter is not None:
        reporter_name = reporter_name or reporter.full_name
        reporter_email = reporter_email or reporter.email
        reporter_phone = reporter_phone or reporter.phone

    ticket = Ticket(
        kind=service.kind if service else Service.Kind.COMPLAINT,
        service=service,
        channel=channel,
        title=title,
        description=description,
        attributes=clean_attributes,
        status=Status.SUBMITTED,
        priority=service.default_priority if service else Service.Priority.NORMAL,
        privacy=privacy,
        show_name=show_name,
        reporter=reporter,
        reporter_name=reporter_name,
        reporter_email=reporter_email,
        reporter_phone=reporter_phone,
        filed_by=filed_by if getattr(filed_by, "pk", None) else None,
        api_key=api_key,
        email_confirmed=not needs_confirmation,
        lat=lat,
        lng=lng,
        address=address[:255],
        area=area,
        filing_key=filing_key,
    )
    subscription = None
    if reporter is not None:
        subscription = Subscription(ticket=ticket, user=reporter, reason=Subscription.Reason.REPORTER)
    elif reporter_email:
        subscription = Subscription(
            ticket=ticket,
            email=reporter_email,
            reason=Subscription.Reason.REPORTER,
            language=_citizen_language(channel),
        )
    payload = {"channel": channel}
    if media_url:
        payload["media_url"] = media_url
    # Anonymous tickets never name their reporter, not even as an event's actor.
    actor = filed_by or (reporter if privacy != Privacy.ANONYMOUS else None)
    event = new_event(ticket=ticket, type=EventType.SUBMITTED, actor=actor, payload=payload)
    rows = [row for row in (ticket, subscription, event) if row is not None]

    # The rows go in one statement batch, atomic on its own (smartcity.inserts); photos and the confirmation
    # email join them in a transaction. Without either (most API filings) no BEGIN and COMMIT are needed.
    try:
        with transaction.atomic() if (photos or needs_confirmation or filing_key) else nullcontext():
            assign_ids(*rows)
            ticket.reference = references.reference_for_new(ticket.pk)
            insert_rows(*rows)
            references.assign_reference(ticket)
            attach_photos(ticket=ticket, photos=photos, event=event, uploaded_by=reporter or filed_by, validated=True)
            if needs_confirmation:
                queue_email(
                    key=f"confirm_ticket:{ticket.pk}",
                    email=reporter_email,
                    template=Notification.Template.CONFIRM_TICKET,
                    # The confirmation and "stop" links are made when it is sent (``notifications.email_links``).
                    context={"reference": ticket.reference, "title": ticket.title, "subscription_id": subscription.pk},
                    ticket=ticket,
                    language=subscription.language,
                )
            else:
                _route_on_commit(ticket)
    except IntegrityError:
        # The same form sent twice at once: the other request filed it while this one was on its way.
        earlier = filing_key and Ticket.objects.filter(filing_key=filing_key).first()
        if not earlier:
            raise
        raise AlreadyFiled(earlier) from None
    return ticket


def confirm_email(*, token: uuid.UUID) -> Ticket:
    """The link from the confirmation email: mark the address confirmed and start routing (safe to repeat)."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(confirmation_token=token).first()
        if ticket is None:
            raise ValidationError(_("This confirmation link is not valid."))
        if ticket.email_confirmed:
            return ticket
        ticket.email_confirmed = True
        ticket.save(update_fields=["email_confirmed", "updated_at"])
        record_event(ticket=ticket, type=EventType.EMAIL_CONFIRMED)
        if ticket.status == Status.SUBMITTED:
            _route_on_commit(ticket)
    return ticket


def _lock_while_open(ticket: Ticket) -> None:
    """Lock the ticket's row until the transaction ends; refuse if it has closed since the caller read it."""
    ticket.status = Ticket.objects.select_for_update(of=("self",)).values_list("status", flat=True).get(pk=ticket.pk)
    if not ticket.is_open:
        raise ValidationError(_("This report is no longer open."))


# A "me too" given without an account waits for the address's confirmation. Its link works this long, and the
# retention job deletes a "me too" whose last link is older (``retention.drop_unconfirmed_supports``).
SUPPORT_CONFIRMATION_DAYS = 7
# At most one confirmation link per address and report in this time, however often it is asked for: a visitor cannot
# make the city's mail server write to someone again and again.
SUPPORT_CONFIRMATION_RESEND = dt.timedelta(hours=6)
SUPPORT_CONFIRMATION_SALT = "complaints.support_confirmation"


def support_confirmation_token(subscription_id: int) -> str:
    """What confirms a "me too" given without an account: its subscription's id, signed."""
    return signing.dumps(subscription_id, salt=SUPPORT_CONFIRMATION_SALT)


def support_confirmation_url(subscription_id: int, reference: str) -> str:
    """The link that confirms a "me too" given without an account (made when its email is sent, never stored)."""
    token = support_confirmation_token(subscription_id)
    return absolute_url(reverse("complaints:confirm_support", args=[reference, token]))


def support_to_confirm(token: str) -> Subscription | None:
    """The "me too" a confirmation link is for, with its ticket; None for a link we did not sign, one older than
    ``SUPPORT_CONFIRMATION_DAYS``, or one whose "me too" is gone (deleted unconfirmed)."""
    try:
        subscription_id = signing.loads(
            token, salt=SUPPORT_CONFIRMATION_SALT, max_age=dt.timedelta(days=SUPPORT_CONFIRMATION_DAYS)
        )
    except signing.BadSignature:  # forged, or expired
        return None
    return (
        Subscription.objects.select_related("ticket")
        .filter(pk=subscription_id, user__isnull=True, reason=Subscription.Reason.SUPPORTER)
        .first()
    )


def _count_supporter(ticket: Ticket, actor=None) -> None:
    """One more supporter on the ticket's count and timeline (the caller holds the ticket's lock)."""
    Ticket.objects.filter(pk=ticket.pk).update(support_count=F("support_count") + 1)
    ticket.refresh_from_db(fields=["support_count"])
    record_event(ticket=ticket, type=EventType.SUPPORTED, actor=actor, payload={"count": ticket.support_count})


# Staff saying "me too" for a citizen with no email address typed: only an address can confirm it.
_CITIZEN_EMAIL_MISSING = _(
    "Type the citizen's email address below first: their “me too” counts once they confirm it from the email we "
    "send them. A citizen without an email address cannot be counted."
)


def support_ticket(*, ticket: Ticket, user=None, email: str = "", channel: str = Channel.WEB) -> Subscription:
    """ "Me too": follow an open public ticket and count one more supporter (once per person).

    A signed-in citizen (whose address the account's sign-up confirmed) supports at once. Without an account the
    address is confirmed first, as a report filed without one is: the "me too" waits (``email_confirmed`` off: not
    counted, no emails) and a link goes to the address, at most once per ``SUPPORT_CONFIRMATION_RESEND``;
    ``confirm_support`` counts it. An address that supports already gets the link as well (another browser then
    remembers the report, and emails it switched off come back on); the reporter's own address gets nothing. The
    caller answers alike whatever the address, so a "me too" tells nobody who supports or filed a report.

    ``channel`` ``ASSISTED`` or ``PHONE``: staff (``user``) say it for a citizen who came to their office or phoned,
    as when they file for one. It is the citizen's "me too", confirmed from the citizen's ``email`` as a guest's is
    and emailed in the city's language; the staff member is never subscribed nor counted."""
    from ..queries import public_tickets

    for_citizen = channel in (Channel.ASSISTED, Channel.PHONE)
    if for_citizen or (user is not None and not getattr(user, "is_authenticated", False)):
        user = None
    email = (email or "").strip().lower()
    if user is None:
        if not email:
            missing = (
                _CITIZEN_EMAIL_MISSING if for_citizen else _("Please give your email address to follow this report.")
            )
            raise ValidationError({"email": [missing]})
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": [_("Please enter a valid email address.")]})
    if not public_tickets().filter(pk=ticket.pk).exists():
        raise PermissionDenied(_("Only public reports can be supported."))
    if not ticket.is_open:
        raise ValidationError(_("This report is no longer open."))
    if user is not None and ticket.reporter_id == user.pk:
        raise ValidationError(_("You filed this report yourself."))
    with transaction.atomic():
        # Under the ticket's lock, a second "me too" of the same person at once (a double click, two tabs) finds
        # the first one's subscription instead of breaking the unique constraint.
        _lock_while_open(ticket)
        if user is None:
            return _support_to_be_confirmed(
                ticket, email, language=_citizen_language(channel), said_by_staff=for_citizen
            )
        subscription = Subscription.objects.select_for_update().filter(ticket=ticket, user=user).first()
        if subscription is not None:
            if not subscription.active:
                subscription.active = True
                subscription.save(update_fields=["active"])
            return subscription
        subscription = Subscription.objects.create(
            ticket=ticket, user=user, reason=Subscription.Reason.SUPPORTER, language=settings.LANGUAGE_CODE
        )
        _count_supporter(ticket, actor=user)
    return subscription


def _support_to_be_confirmed(ticket: Ticket, email: str, *, language: str, said_by_staff: bool = False) -> Subscription:
    """A guest's "me too" (under the ticket's lock): the address's subscription, a new one waiting for confirmation
    if it has none, and the confirmation email unless one went to the address in the last hours. ``language``: the
    one its emails speak while it is not confirmed (``_citizen_language``); ``said_by_staff``: a city officer said
    it for the citizen (a phone call, a visit), which the email says instead of "someone, probably you"."""
    now = timezone.now()
    subscription = (
        Subscription.objects.select_for_update().filter(ticket=ticket, user__isnull=True, email=email).first()
    )
    if subscription is None:
        subscription = Subscription(
            ticket=ticket, email=email, reason=Subscription.Reason.SUPPORTER, active=False, email_confirmed=False
        )
    elif subscription.reason == Subscription.Reason.REPORTER:
        return subscription
    elif subscription.confirmation_sent_at and now - subscription.confirmation_sent_at < SUPPORT_CONFIRMATION_RESEND:
        return subscription
    if not subscription.email_confirmed:
        subscription.language = language  # as asked last
    subscription.confirmation_sent_at = now
    subscription.save()
    with translation.override(subscription.language):
        # The service as the reader's pages name it (the title is the citizen's own words, in theirs).
        service = ticket.service.name if ticket.service_id else ""
    queue_email(
        key=f"confirm_support:{subscription.pk}:{now.timestamp():.0f}",
        email=email,
        template=Notification.Template.CONFIRM_SUPPORT,
        # The confirmation link is made when it is sent (``notifications.email_links``).
        context={
            "reference": ticket.reference,
            "title": ticket.title,
            "service": service,
            "subscription_id": subscription.pk,
            "days": SUPPORT_CONFIRMATION_DAYS,
            "said_by_staff": said_by_staff,
        },
        ticket=ticket,
        language=subscription.language,
    )
    return subscription


def confirm_support(*, token: str) -> Subscription:
    """The button behind a "me too"'s confirmation link: the "me too" counts (once: safe to repeat) and the address
    gets the report's updates, switched back on if it had switched them off. Refused while the report is no longer
    open or public, or the link is not (any more) valid."""
    from ..queries import public_tickets

    subscription = support_to_confirm(token)
    if subscription is None:
        raise ValidationError(_("This confirmation link is not valid."))
    ticket = subscription.ticket
    if not public_tickets().filter(pk=ticket.pk).exists():
        raise ValidationError(_("This report is closed or no longer public: it takes no more support."))
    with transaction.atomic():
        _lock_while_open(ticket)
        # Read again under the lock: the retention job may have deleted it, another click confirmed it.
        subscription = Subscription.objects.select_for_update().filter(pk=subscription.pk).first()
        if subscription is None:
            raise ValidationError(_("This confirmation link is not valid."))
        counted = subscription.email_confirmed
        if counted and subscription.active:
            return subscription
        subscription.email_confirmed = subscription.active = True
        subscription.save(update_fields=["email_confirmed", "active"])
        if not counted:
            _count_supporter(ticket)
    return subscription


def add_citizen_info(*, ticket: Ticket, actor, message: str, photos=()) -> TicketEvent:
    """The reporter or a follower adds information or photos (or answers a staff question) while it is open.

    Followers need an account; the reporter may also be a guest holding their follow link (``queries.is_reporter``),
    and so may the reporter of a report merged into this one, who adds as a follower (``queries.merged_report_of``).
    A system that filed the report for a citizen with its Open311 key relays the citizen's words with its REST
    account (``queries.relays_for``): the event is the reporter's, via that account (``via``), and it is the actor.
    If the department was waiting for an answer, the wait ends and its due dates move later by the working days it
    lasted (``deadlines.end_citizen_wait``); the event's ``clock`` says by how much.
    """
    from ..queries import citizen_actor, followers_may_see, merged_report_of, relays_for
    from ..queries import is_reporter as reporter_of
    from .deadlines import end_citizen_wait

    is_reporter = reporter_of(actor, ticket)
    signed_in = actor is not None and actor.is_authenticated
    relayed = not is_reporter and relays_for(actor, ticket)
    merged_reporter = not (is_reporter or relayed) and merged_report_of(actor, ticket) is not None
    if not (is_reporter or merged_reporter) and not signed_in:
        raise PermissionDenied(_("Please log in to add information."))
    if not (is_reporter or relayed or merged_reporter) and not (
        followers_may_see(ticket) and Subscription.objects.filter(ticket=ticket, user=actor).exists()
    ):
        raise PermissionDenied(_("Only the reporter and followers can add information."))
    if not ticket.is_open:
        raise ValidationError(_("This report is no longer open."))
    message = (message or "").strip()
    photos = list(photos or [])
    errors: dict[str, list] = {}
    if not message and not photos:
        errors["message"] = [_("Please write something or add a photo.")]
    elif len(message) > MAX_INFO:
        errors["message"] = [_("Please keep the message to at most 4,000 characters.")]
    if photo_errors := _photo_errors(photos):
        errors["photos"] = photo_errors
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The checks above ran on the page's copy; a resolve that got in meanwhile must not receive the information
        # after the fact (the department has closed its work, the citizen would think it was seen).
        _lock_while_open(ticket)
        question = (
            TicketEvent.objects.filter(ticket=ticket, type=EventType.INFO_REQUESTED)
            .order_by("-created_at", "-id")
            .first()
        )
        payload = {"message": message, "by": "reporter" if is_reporter or relayed else "follower"}
        if relayed:
            payload["via"] = str(actor)  # the staff timeline names the account; kept if the account goes
        if (
            question is not None
            and not TicketEvent.objects.filter(
                ticket=ticket, type=EventType.CITIZEN_INFO, created_at__gt=question.created_at
            ).exists()
        ):
            payload["answer_to"] = question.pk
        now = timezone.now()
        # Read under the lock: the page's copy may predate the question, or another answer that already ended it.
        locked = Ticket.objects.only("status", "waiting_for_citizen_since", "response_due_at", "resolution_due_at").get(
            pk=ticket.pk
        )
        waited, clock = end_citizen_wait(locked, now=now, reason="answer")
        if clock:
            payload["clock"] = clock
        # An anonymous report's reporter is never named, on it nor on a report it was merged into; a guest
        # reporter has no user to name.
        event = record_event(
            ticket=ticket, type=EventType.CITIZEN_INFO, actor=citizen_actor(actor, ticket), payload=payload
        )
        attach_photos(ticket=ticket, photos=photos, event=event, purpose=Attachment.Purpose.INFO, validated=True)
        Ticket.objects.filter(pk=ticket.pk).update(
            updated_at=now, **{field: getattr(locked, field) for field in waited}
        )
        for field in waited:
            setattr(ticket, field, getattr(locked, field))
        if ticket.department_id:
            notify_staff(ticket=ticket, event=event, users=_handlers(ticket))
    return event


def _handlers(ticket: Ticket):
    if ticket.assignee_id:
        return [ticket.assignee]
    from services.models import StaffMembership

    return [
        m.user
        for m in StaffMembership.objects.filter(department_id=ticket.department_id, active=True).select_related("user")
    ]


# --- photos -----------------------------------------------------------------------


def attach_photos(
    *,
    ticket: Ticket,
    photos: Sequence,
    event: TicketEvent | None = None,
    purpose: str = Attachment.Purpose.REPORT,
    uploaded_by=None,
    validated: bool = False,
) -> list[Attachment]:
    """Keep each upload privately as a pending attachment; a task re-encodes it after commit.

    Until then nobody sees it. Callers that did not check the uploads pass ``validated=False``.
    """
    from ..tasks import process_attachment as process_task

    attachments = []
    for upload in photos:
        if not validated:
            photo_files.check_photo(upload)
        relative = photo_files.save_original(upload)
        attachment = Attachment.objects.create(
            ticket=ticket,
            event=event,
            purpose=purpose,
            state=Attachment.State.PENDING,
            original_path=relative,
            uploaded_by=uploaded_by if getattr(uploaded_by, "pk", None) else None,
        )
        enqueue_on_commit(process_task, attachment.pk)
        attachments.append(attachment)
    return attachments


def process_attachment(*, attachment_id: int) -> Attachment | None:
    """Re-encode a pending photo (no EXIF/GPS, orientation applied, ≤ 1600 px, thumbnail), drop the original.

    An original that cannot be read (missing because this worker does not see the web machine's
    PRIVATE_UPLOAD_ROOT, or the shared volume is not mounted yet) is an error in the log, not the photo's fault:
    the photo stays pending and ``tasks.sweep_attachments`` tries again, until it is
    PHOTO_PROCESSING_GIVE_UP_HOURS old and is rejected. An original that is there but no usable image is
    rejected at once. Safe to run twice: a row lock and the state guard make the second run a no-op.
    """
    with transaction.atomic():
        attachment = Attachment.objects.select_for_update().filter(pk=attachment_id).first()
        if attachment is None or attachment.state != Attachment.State.PENDING:
            return attachment
        path = photo_files.private_root() / attachment.original_path
        try:
            data = path.read_bytes()
        except OSError as error:
            give_up_hours = settings.PHOTO_PROCESSING_GIVE_UP_HOURS
            if (timezone.now() - attachment.created_at).total_seconds() < give_up_hours * 3600:
                log.error(
                    "attachment %s: cannot read its original %s (%s); PRIVATE_UPLOAD_ROOT must be one directory "
                    "shared by the web and worker machines. Left pending: the sweep tries again",
                    attachment_id,
                    path,
                    error,
                )
                return attachment
            log.error(
                "attachment %s: original %s still unreadable after %s hours (%s); the photo is rejected",
                attachment_id,
                path,
                give_up_hours,
                error,
            )
            attachment.state = Attachment.State.REJECTED
        else:
            try:
                image_bytes, thumb_bytes, width, height = photo_files.reencode(data)
            except Exception:  # unreadable after all: never serve it
                log.warning("attachment %s could not be re-encoded", attachment_id, exc_info=True)
                attachment.state = Attachment.State.REJECTED
            else:
                name = f"{uuid.uuid4().hex}.jpg"
                attachment.image.save(name, ContentFile(image_bytes), save=False)
                attachment.thumbnail.save(name, ContentFile(thumb_bytes), save=False)
                attachment.width, attachment.height = width, height
                attachment.state = Attachment.State.READY
        original = attachment.original_path
        attachment.original_path = ""
        attachment.save()
        transaction.on_commit(lambda: photo_files.delete_private(original))
    return attachment
