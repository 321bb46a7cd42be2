"""GeoReport v2 endpoints. Interface only: filing goes through ``complaints.actions.file_ticket``,
reads through ``complaints.queries.tickets_visible_to_key``; nothing here decides who may see what.

Every endpoint answers ``.json`` and ``.xml``; bad input gets the specification's error body
(400, 403, 404, 405, plus 429 for rate limits), never a server error or an HTML page.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from functools import wraps

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation, ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Count, Prefetch
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.csrf import csrf_exempt

from complaints.actions.intake import MAX_TITLE, attribute_code, unasked_attribute_codes
from complaints.models import Attachment, Channel, Privacy, Status, Ticket, TicketEvent
from complaints.photos import with_photo_limit
from complaints.queries import public_distance_m, public_pin_box, tickets_visible_to_key
from services import lookups
from services.models import Service
from smartcity import api_idempotency as idempotency
from smartcity.client_ip import client_ip
from smartcity.query_strings import with_offset_plus

from . import keys, serializers
from .idempotency import Claim
from .renderers import FORMATS, render, render_errors

logger = logging.getLogger(__name__)

MAX_RESULTS = 1000
DEFAULT_DAYS = 90
# GET requests near a point (lat, long, radius in metres), measured to each report's public pin.
DEFAULT_RADIUS_M = 500
MAX_RADIUS_M = 10_000
SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-27T00:00:00+08:00"


class Open311Error(Exception):
    def __init__(self, status: int, description: str, *, headers: dict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.headers = headers or {}


def _error_response(error: Open311Error, fmt: str):
    response = render_errors([(error.status, error.description)], fmt, status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


# GeoReport v2 posts a form; any other body (JSON, XML) would be read as an empty form.
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _read_parameters(request):
    """The request's parameters, parsed here so that a body Django refuses (too many fields, too big, a charset
    other than UTF-8, a multipart body without its boundary) gets an error body instead of Django's HTML 400 page
    (or, with DEBUG, a 500: its error page reads the form again). POST reads the form, GET the query string."""
    try:
        query = request.GET
        if request.method != "POST":
            return query
        if request.content_type not in FORM_CONTENT_TYPES and request.body:
            # Said outright: the api_key in a JSON body is not seen, and "api_key is required" would mislead.
            raise Open311Error(
                400,
                _("The request body must be form-encoded: application/x-www-form-urlencoded or multipart/form-data."),
            )
        return request.POST
    except RequestDataTooBig:
        raise Open311Error(413, _("The request is too large."))
    except SuspiciousOperation:  # TooManyFieldsSent, TooManyFilesSent, a multipart body that breaks its rules
        raise Open311Error(400, _("The request has too many fields or cannot be read."))
    except BadRequest:  # application/x-www-form-urlencoded with another charset than UTF-8
        raise Open311Error(400, _("The form must be UTF-8 encoded: send it without a charset or with charset=utf-8."))
    except MultiPartParserError:  # no boundary, or a body that does not follow it
        raise Open311Error(400, _("The multipart/form-data body cannot be read: check its boundary."))
    except (UnicodeDecodeError, LookupError):  # a charset Python does not know, or bytes it does not match
        raise Open311Error(400, _("The request body cannot be read: send the form in UTF-8."))


def endpoint(methods=("GET",)):
    """Method, format and jurisdiction checks, the api_key, the rate limit and error bodies shared by every
    endpoint. HEAD is answered as GET wherever GET is (the server leaves the body out), as Django's views do."""
    allowed = tuple(part for method in methods for part in ((method, "HEAD") if method == "GET" else (method,)))
    allow = ", ".join(allowed)

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, fmt, *args, **kwargs):
            if fmt not in FORMATS:
                return render_errors([(400, _("Format must be json or xml."))], "json", status=400)
            try:
                if request.method not in allowed:
                    raise Open311Error(
                        405,
                        _("Method %(method)s is not allowed here; use %(allowed)s.")
                        % {"method": request.method[:20], "allowed": allow},
                        headers={"Allow": allow},
                    )
                params = _read_parameters(request)
                if any("\x00" in str(v) for v in kwargs.values()) or any(
                    "\x00" in value for values in request.GET.lists() for value in values[1]
                ):
                    raise Open311Error(400, _("Null characters are not allowed."))
                jurisdiction = params.get("jurisdiction_id", "")
                if jurisdiction and jurisdiction != settings.OPEN311_JURISDICTION_ID:
                    # Named: a client guessing from the contact's domain (banjarmasinkota.go.id) learns the value.
                    raise Open311Error(
                        404,
                        _("jurisdiction_id not found: this server's is %(jurisdiction_id)s.")
                        % {"jurisdiction_id": settings.OPEN311_JURISDICTION_ID},
                    )
                api_key = None
                # Many Open311 clients put api_key in the query string of a POST too: accept it from either.
                raw_key = params.get("api_key", "") or request.GET.get("api_key", "")
                if raw_key:
                    api_key = keys.key_from_secret(raw_key)
                    if api_key is None:
                        raise Open311Error(403, _("Invalid api_key."))
                if not keys.allow(api_key=api_key, client_ip=client_ip(request)):
                    raise Open311Error(
                        429,
                        _("Rate limit exceeded. Try again later."),
                        headers={"Retry-After": str(keys.seconds_until_reset())},
                    )
                request.open311_key = api_key
                return view(request, fmt, *args, **kwargs)
            except Open311Error as error:
                return _error_response(error, fmt)

        return wrapper

    return decorator


# The endpoints' addresses without their ``.json`` or ``.xml`` (urls.py).
WITHOUT_FORMAT = re.compile(r"^(discovery|services|requests|(services|requests|tokens)/[^/.]+)$")


@csrf_exempt
def not_found(request, path=""):
    """Any other path under /open311/v2/: the specification's 404 error body, in the format its extension asks
    for (JSON when it names none)."""
    fmt = path.rsplit(".", 1)[-1].lower() if "." in path else "json"
    if WITHOUT_FORMAT.match(path.rstrip("/")):
        address = request.path.rstrip("/")
        # An endpoint asked without its format: served in neither (the specification's addresses carry one, and a
        # JSON answer would hide the client's mistake until it asks XML), but the answer says what to add.
        description = _("Add the format to the address: %(json)s or %(xml)s.") % {
            "json": f"{address}.json",
            "xml": f"{address}.xml",
        }
        return _error_response(Open311Error(404, description), "json")
    return _error_response(Open311Error(404, _("There is no such endpoint.")), fmt if fmt in FORMATS else "json")


@endpoint()
def discovery(request, fmt):
    base = request.build_absolute_uri("/open311/v2/")
    data = {
        "changeset": CHANGESET,
        # Not among the specification's discovery fields, but a client needs the value (it is optional on requests).
        "jurisdiction_id": settings.OPEN311_JURISDICTION_ID,
        "contact": _("Diskominfotik Kota Banjarmasin, diskominfotik@banjarmasinkota.go.id"),
        "key_service": _("API keys are issued by Diskominfotik Kota Banjarmasin."),
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return render(data, fmt, root="discovery")


def _active_services():
    # The model's ordering (group, then name) said again: a query with GROUP BY (the Count) does not apply it.
    return (
        Service.objects.filter(active=True)
        .annotate(attribute_count=Count("attributes"))
        .order_by(*Service._meta.ordering)
    )


@endpoint()
def service_list(request, fmt):
    records = [serializers.service_record(service) for service in _active_services()]
    return render(records, fmt, root="services")


@endpoint()
def service_definition(request, fmt, service_code):
    service = _active_services().filter(code=service_code).first()
    if service is None:
        raise Open311Error(404, _("service_code not found."))
    return render(serializers.service_definition(service), fmt, root="service_definition")


def _with_related(queryset):
    # The request a merged one went into, read with it: its status notes name it when it is public.
    return queryset.select_related("service", "department", "area", "duplicate_of").prefetch_related(
        Prefetch(
            "events",
            queryset=TicketEvent.objects.filter(public=True).order_by("created_at", "id"),
            to_attr="public_events",
        ),
        Prefetch(
            "attachments",
            queryset=Attachment.objects.filter(state=Attachment.State.READY, purpose=Attachment.Purpose.REPORT),
            to_attr="ready_photos",
        ),
    )


def _parse_when(value: str, name: str, *, end: bool = False) -> dt.datetime:
    # A "+" left unencoded in the query string (2026-11-01T00:00:00+08:00) arrives as a space: read back as the REST
    # API reads it, not refused as a date that is not W3C.
    value = with_offset_plus(value)
    try:
        # A date alone first: parse_datetime would read "2026-01-31" as its midnight, cutting off an end_date's day.
        day = parse_date(value)
        if day is not None:
            parsed = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
        else:
            parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise Open311Error(400, _("%(name)s must be a W3C date and time, e.g. 2026-01-31T00:00:00Z.") % {"name": name})
    try:
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        # The database compares in UTC: a moment with no UTC equivalent (before year 1, after 9999) is refused.
        parsed.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise Open311Error(
            400, _("%(name)s is out of range: use a date between 0001-01-02 and 9999-12-30.") % {"name": name}
        )
    return parsed


def _days_before(moment: dt.datetime, days: int) -> dt.datetime:
    """``days`` before ``moment``, or the earliest representable moment when that is before year 1."""
    try:
        return (moment - dt.timedelta(days=days)).astimezone(dt.UTC)
    except OverflowError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)


def _positive_int(value: str | None, name: str, default: int, maximum: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise Open311Error(400, _("%(name)s must be a positive whole number.") % {"name": name})
    if number > maximum:
        # Said, as the REST API does: a capped answer reads as the whole one.
        raise Open311Error(400, _("%(name)s must be at most %(maximum)s.") % {"name": name, "maximum": maximum})
    return number


def _csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _visible_requests(request):
    """The tickets this request may read as GeoReport requests. A ticket without a service (a REST or web report the
    classifier could not place, waiting at the triage desk) is left out until it has one: every GeoReport request
    has a service_code that services lists, and a null one, or a made-up one, breaks the clients that look it up."""
    return tickets_visible_to_key(request.open311_key).filter(service__isnull=False)


def _list_requests(request, fmt):
    params = request.GET
    tickets = _visible_requests(request)
    ids = _csv(params.get("service_request_id", ""))
    if ids:
        # The specification: a list of ids overrides every other filter.
        tickets = tickets.filter(reference__in=ids[:MAX_RESULTS])
    else:
        codes = _csv(params.get("service_code", ""))
        if codes:
            # A misspelt code is said, not answered with an empty list that reads as "no reports". Any service in
            # the catalogue counts: one no longer offered still has its reports.
            known = set(Service.objects.filter(code__in=codes).values_list("code", flat=True))
            if unknown := [code for code in codes if code not in known]:
                raise Open311Error(
                    400,
                    _("service_code: no such service: %(codes)s (services.%(format)s lists them).")
                    % {"codes": ", ".join(unknown), "format": fmt},
                )
            tickets = tickets.filter(service__code__in=codes)
        statuses = set(_csv(params.get("status", "").lower()))
        if statuses - {"open", "closed"}:
            raise Open311Error(400, _("status must be open or closed."))
        if statuses == {"open"}:
            tickets = tickets.exclude(status__in=serializers.CLOSED_STATUSES)
        elif statuses == {"closed"}:
            tickets = tickets.filter(status__in=serializers.CLOSED_STATUSES)
        start = params.get("start_date", "")
        end = params.get("end_date", "")
        end_at = _parse_when(end, "end_date", end=True) if end else timezone.now()
        start_at = _parse_when(start, "start_date") if start else _days_before(end_at, DEFAULT_DAYS)
        if start_at > end_at:
            raise Open311Error(400, _("start_date must be before end_date."))
        tickets = tickets.filter(created_at__gte=start_at, created_at__lte=end_at)
    page_size = _positive_int(params.get("page_size"), "page_size", MAX_RESULTS, MAX_RESULTS)
    page = _positive_int(params.get("page"), "page", 1, 10**6)
    offset = (page - 1) * page_size
    tickets = tickets.order_by("-created_at", "-id")
    near = None if ids else _near(params)
    if near is not None:
        tickets = tickets.filter(pk__in=_page_near(tickets, *near, offset=offset, page_size=page_size))
        offset = 0
    tickets = _with_related(tickets)[offset : offset + page_size]
    extensions = params.get("extensions", "").lower() == "true"
    records = [serializers.request_record(t, request, extensions=extensions) for t in tickets]
    return render(records, fmt, root="service_requests")


def _near(params) -> tuple[float, float, int] | None:
    """The point and radius of a search near a place (``lat``, ``long``, ``radius`` in metres), None without one.
    Not in GeoReport v2's list of GET requests filters, but clients send them: a client that did got every report of
    the city and took them for the ones near it."""
    lat, lng, radius = (params.get(name, "").strip() for name in ("lat", "long", "radius"))
    if not (lat or lng or radius):
        return None
    if not (lat and lng):
        raise Open311Error(400, _("lat and long go together: give both (and radius in metres, if you like)."))
    return (
        _coordinate(lat, "lat", -90, 90),
        _coordinate(lng, "long", -180, 180),
        _positive_int(radius, "radius", DEFAULT_RADIUS_M, MAX_RADIUS_M),
    )


def _page_near(tickets, lat: float, lng: float, radius_m: int, *, offset: int, page_size: int) -> list[int]:
    """The ids on one page of ``tickets`` (in their order) whose public pin lies within ``radius_m``: the box is
    read by the database, the circle decided here, so an anonymous report's exact pin is never measured; only as many
    rows are read as the page needs."""
    found, skipped = [], 0
    rows = tickets.filter(public_pin_box(lat, lng, radius_m)).values_list("pk", "privacy", "lat", "lng")
    for pk, privacy, ticket_lat, ticket_lng in rows.iterator(chunk_size=2000):
        if public_distance_m(privacy, ticket_lat, ticket_lng, lat, lng) > radius_m:
            continue
        if skipped < offset:
            skipped += 1
            continue
        found.append(pk)
        if len(found) == page_size:
            break
    return found


@endpoint()
def request_detail(request, fmt, service_request_id):
    ticket = _with_related(_visible_requests(request).filter(reference=service_request_id)).first()
    if ticket is None:
        raise Open311Error(404, _("service_request_id not found."))
    extensions = request.GET.get("extensions", "").lower() == "true"
    return render([serializers.request_record(ticket, request, extensions=extensions)], fmt, root="service_requests")


@endpoint()
def token_detail(request, fmt, token):
    from complaints.models import Ticket

    try:
        ticket = Ticket.objects.filter(confirmation_token=token, channel=Channel.OPEN311).first()
    except ValidationError:
        ticket = None
    if ticket is None:
        raise Open311Error(404, _("token not found."))
    record = {
        "service_request_id": ticket.reference if ticket.status != Status.SUBMITTED else None,
        "token": str(ticket.confirmation_token),
    }
    return render([record], fmt, root="service_requests")


def _attributes(post) -> dict:
    """``attribute[code]=v`` and ``attribute[code][]=v1&attribute[code][]=v2`` into ``{code: v or [..]}``."""
    attributes: dict = {}
    for name in post:
        if not name.startswith("attribute[") or "]" not in name:
            continue
        code = name[len("attribute[") : name.index("]")]
        if not code:
            continue
        values = post.getlist(name)
        if name.endswith("[]") or len(values) > 1:
            attributes[code] = values
        else:
            attributes[code] = values[0]
    return attributes


def _too_long(value: str, parameter: str, field: str) -> list[tuple[int, str]]:
    """A 400 naming ``parameter`` and the limit when ``value`` does not fit the ticket's ``field``."""
    try:
        MaxLengthValidator(Ticket._meta.get_field(field).max_length)(value)
    except ValidationError as error:
        return [(400, f"{parameter}: {message}") for message in error.messages]
    return []


def _unknown_attributes(attributes: dict, service, fmt: str) -> list[tuple[int, str]]:
    """A 400 for each ``attribute[code]`` the service does not ask (file_ticket keeps only the answers it asks)."""
    message = _(
        "The service %(service_code)s has no such attribute: services/%(service_code)s.%(format)s lists its attributes."
    )
    return [
        (400, f"attribute[{code}]: " + message % {"service_code": service.code, "format": fmt})
        for code in unasked_attribute_codes(service, attributes)
    ]


# Lazy: a module constant is made once, at import, in whatever language was active then.
MEDIA_AS_FILES = with_photo_limit(
    ngettext_lazy(
        "Send photos as files named media in a multipart/form-data body (at most %(count)s photo: JPEG, PNG, WebP or "
        "HEIC, up to 10 MB).",
        "Send photos as files named media in a multipart/form-data body (at most %(count)s photos: JPEG, PNG, WebP or "
        "HEIC, up to 10 MB each).",
        "count",
    )
)


def _photos_elsewhere(request, post) -> list[tuple[int, str]]:
    """A 400 for a file under another name than ``media`` (``photo``, ``image``…), and for ``media`` sent as text:
    only files named ``media`` are read."""
    elsewhere = sorted(set(request.FILES) - {"media"}) + (["media"] if post.get("media") else [])
    return [(400, f"{name}: {MEDIA_AS_FILES}") for name in elsewhere]


def _coordinate(value: str, name: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not (low <= number <= high):
        raise Open311Error(400, _("%(name)s must be a number between %(low)s and %(high)s.") % locals())
    return number


# The filing action's field names → the request parameters a GeoReport client sent.
SPEC_PARAMETERS = {
    "reporter_email": "email",
    "reporter_phone": "phone",
    "reporter_name": "first_name",
    "lat": "lat/long",
    "area": "address_string",
    "service": "service_code",
    "photos": "media",
}


def _parameter(field: str) -> str:
    code = attribute_code(field)
    return f"attribute[{code}]" if code is not None else SPEC_PARAMETERS.get(field, field)


# file_ticket's words for a pin outside the city speak to the web form ("drop the pin"): a client sends lat/long.
OUTSIDE_CITY = gettext_lazy(
    "This place is outside Banjarmasin: send lat and long of a point inside the city, or send the request to the "
    "city where the problem is."
)


def _validation_errors(error: ValidationError, reworded: dict | None = None) -> list[tuple[int, str]]:
    """file_ticket's errors under the parameters sent; ``reworded``: messages that replace its own for a field."""
    if hasattr(error, "error_dict"):
        return [
            (400, f"{_parameter(field)}: {message}" if field != "__all__" else message)
            for field, messages in error.message_dict.items()
            for message in (reworded or {}).get(field, messages)
        ]
    return [(400, message) for message in error.messages]


@endpoint(methods=("GET", "POST"))
def requests_endpoint(request, fmt):
    if request.method == "POST":
        return _post_request(request, fmt)
    return _list_requests(request, fmt)


class _CleanForm:
    """The posted form with NUL characters removed (the database cannot store them) and values trimmed."""

    def __init__(self, data):
        self.data = data

    def get(self, name: str, default: str = "") -> str:
        return str(self.data.get(name, default)).replace("\x00", "").strip()

    def getlist(self, name: str) -> list[str]:
        return [value.replace("\x00", "").strip() for value in self.data.getlist(name)]

    def __iter__(self):
        return iter(self.data)


def _post_request(request, fmt):
    from complaints.actions import file_ticket
    from complaints.actions.intake import AlreadyFiled, FilingRateLimited

    post = _CleanForm(request.POST)
    api_key = request.open311_key
    if api_key is None:
        raise Open311Error(403, _("api_key is required to post a service request."))
    code = post.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    service = lookups.active_service(code)
    if service is None:
        raise Open311Error(404, _("service_code not found."))
    lat = lng = None
    if post.get("lat") or post.get("long"):
        for missing in ("lat", "long"):  # one of them was sent: name the other
            if not post.get(missing):
                raise Open311Error(400, _("%(missing)s is missing: send lat and long together.") % {"missing": missing})
        lat = _coordinate(post.get("lat", ""), "lat", -90, 90)
        lng = _coordinate(post.get("long", ""), "long", -180, 180)
    address = post.get("address_string", "")
    if lat is None and not address:
        if post.get("address_id"):
            # The specification's address_id names an address in the city's own address register; we have none.
            raise Open311Error(400, _("address_id is not supported: give lat and long, or address_string."))
        raise Open311Error(400, _("A location is required: lat and long, or address_string."))
    # Extension: who may see the report, with the web form's choices; a bridge forwards what the citizen chose
    # elsewhere (SP4N-LAPOR! "rahasia"). Without it the service's default (file_ticket): public, as GeoReport v2
    # assumes, except for a person's health, welfare or civil records, which start confidential.
    privacy = post.get("privacy", "").lower() or None
    if privacy is not None and privacy not in Privacy.values:
        raise Open311Error(400, _("privacy: must be one of %(choices)s.") % {"choices": ", ".join(Privacy.values)})
    description = post.get("description", "")
    # A title the client sent is checked as sent (file_ticket refuses one too long); the one made here is cut to fit.
    title = post.get("title", "") or (f"{service.name} – {address}" if address else service.name)[:MAX_TITLE]
    names_sent = [parameter for parameter in ("first_name", "last_name") if post.get(parameter)]
    name = " ".join(post.get(parameter) for parameter in names_sent)
    email, phone = post.get("email", ""), post.get("phone", "")
    attributes = _attributes(post)
    # Nothing sent is dropped or cut unsaid, as the REST API: cutting a name or an address stores what nobody sent.
    errors = [
        # Checked here with the other lengths, in their words (file_ticket's speak to the web form).
        *_too_long(description, "description", "description"),
        *_too_long(address, "address_string", "address"),
        *_too_long(name, "/".join(names_sent), "reporter_name"),
        *_too_long(email, "email", "reporter_email"),
        *_too_long(phone, "phone", "reporter_phone"),
        *_unknown_attributes(attributes, service, fmt),
        *_photos_elsewhere(request, post),
    ]
    if errors:
        return render_errors(errors, fmt, status=400)
    # Echoed in the answer, as the specification allows; not kept (no GET answer carries it).
    account_id = post.get("account_id") or None
    claim = _idempotency_claim(request, api_key)
    if claim is not None and (earlier := claim.take()) is not None:
        if not claim.same_request(earlier):
            raise Open311Error(422, str(idempotency.KeyReused.default_detail))  # the message names the header
        if earlier.get("answer") is not None:
            return _replayed(earlier["answer"], fmt)
        # The first request is still running (or its answer was lost): the filing key finds its ticket.
    photos = tuple(request.FILES.getlist("media"))
    filed = False
    try:
        ticket = file_ticket(
            title=title,
            description=description or service.name,
            service=service,
            lat=lat,
            lng=lng,
            address=address,
            privacy=privacy,
            reporter_name=name,
            reporter_email=email,
            reporter_phone=phone,
            channel=Channel.OPEN311,
            attributes=attributes,
            photos=photos,
            media_url=post.get("media_url", ""),
            api_key=api_key,
            client_ip=client_ip(request),
            filing_key=claim.filing_key if claim is not None else None,
        )
        filed = True
    except AlreadyFiled as repeat:
        filed = True
        answer = _filed_answer(repeat.ticket, account_id)
        claim.keep(answer)  # only a filing key finds an earlier ticket: there is a claim
        return _replayed(answer, fmt)
    except ValidationError as error:
        # Its only objection to a pin checked above (both halves, numbers in range): outside the city.
        reworded = {"lat": [OUTSIDE_CITY]} if lat is not None else None
        return render_errors(_validation_errors(error, reworded), fmt, status=400)
    except FilingRateLimited as limited:
        retry = {"Retry-After": str(limited.retry_after)} if limited.retry_after else None
        raise Open311Error(429, _("Too many requests filed. Try again later."), headers=retry)
    finally:
        if claim is not None and not filed:
            claim.release()  # refused or failed: nothing was filed, so a corrected retry with the same key runs
    ticket.refresh_from_db(fields=["status", "reference"])
    answer = _filed_answer(ticket, account_id)
    if claim is not None:
        claim.keep(answer)
    return render(answer, fmt, root="service_requests", status=201)


def _filed_answer(ticket, account_id: str | None) -> list[dict]:
    notice = _("Your request %(reference)s was received by the city of Banjarmasin.") % {"reference": ticket.reference}
    # Waiting for its email confirmation, a request has no id yet: the client looks it up by token later.
    if ticket.status == Status.SUBMITTED:
        record = {"token": str(ticket.confirmation_token)}
    else:
        record = {"service_request_id": ticket.reference}
    return [record | {"service_notice": notice, "account_id": account_id}]


def _idempotency_claim(request, api_key) -> Claim | None:
    """The POST's Idempotency-Key claim (``open311.idempotency``), None without the header."""
    key = request.headers.get(idempotency.HEADER, "").strip()
    if not key:
        return None
    if len(key) > idempotency.MAX_KEY_LENGTH:
        raise Open311Error(400, f"{idempotency.HEADER}: {idempotency.TOO_LONG}")
    if "\x00" in key:
        raise Open311Error(400, f"{idempotency.HEADER}: {idempotency.NUL}")
    return Claim(api_key, key, request)


def _replayed(answer: list, fmt: str):
    """The answer kept for a retried POST: 200 (nothing was created this time), marked as a replay."""
    response = render(answer, fmt, root="service_requests", status=200)
    response[idempotency.REPLAYED_HEADER] = "true"
    return response
