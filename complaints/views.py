"""Citizen pages: file a report, follow it, close the loop; the public list and map.

Interfaces only: forms parse, ``complaints.actions`` write, ``complaints.queries`` decide
what anyone may see (a ticket outside ``tickets_visible_to`` answers 404). The pages of one
ticket ask them as ``follow.with_grants(request)``: the user plus the reporter grants their
session holds, so a reporter without an account is treated as a signed-in reporter.
"""

from __future__ import annotations

import logging
import math
import urllib.parse

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from services import lookups
from services.answers import answers_of
from services.geo import locate
from services.models import Area, Service, ServiceAttribute
from smartcity.client_ip import client_ip
from smartcity.pagination import RememberedCountPaginator

from . import actions, follow, photos, queries, ratelimit, workflow
from .actions.intake import SUPPORT_CONFIRMATION_RESEND
from .actions.retention import discard_unconfirmed_filing
from .forms import (
    HONEYPOT_FIELD,
    NOT_SURE,
    PRIVACY_HELP,
    FilingForm,
    InfoForm,
    KeepsPhotos,
    MyReportsFilterForm,
    PublicFilterForm,
    RatingForm,
    ReasonForm,
    SupportForm,
    draft_owner,
)
from .models import Attachment, Channel, EventType, Privacy, Status, Subscription, Ticket
from .redaction import has_contact_details, mask_contact_details

log = logging.getLogger(__name__)

FILED_SESSION_KEY = "complaints_filed"
# The keys (filing_key) of the last filing forms that reached the server from this browser, newest last: the draft the
# form keeps in its tab (static/js/form-draft.js) outlives the sending, lest a lost connection take it, and goes when
# the form is next opened (with a line saying that report was received). Several: two tabs may each file one.
FILED_FORM_KEY = "complaints_filed_form"
FILED_FORM_KEYS_KEPT = 10


def _arrived_forms(request) -> list[tuple[str, str, str]]:
    """The forms that arrived, oldest first, as (key, reference, the page that says it was received): the page
    names the report when its draft comes back, for a visitor whose answer never came. Sessions kept one key alone,
    then keys alone, before this release: those name no report."""
    kept = request.session.get(FILED_FORM_KEY) or []
    kept = [kept] if isinstance(kept, str) else kept
    return [tuple(form) if isinstance(form, list | tuple) else (form, "", "") for form in kept]


def _arrived_form_keys(request) -> list[str]:
    return [key for key, _reference, _url in _arrived_forms(request)]


def placeholder(request):  # still used by apps whose pages are not built yet
    return HttpResponse("")


def _apply_errors(form, error: ValidationError) -> dict:
    """Put an action's errors next to their fields; returns the errors of the service's extra questions."""
    attribute_errors = {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return attribute_errors
    for field, messages_ in error.message_dict.items():
        if field.startswith("attr_"):
            attribute_errors[field] = messages_
        elif field in form.fields:
            for message in messages_:
                form.add_error(field, message)
        else:
            for message in messages_:
                form.add_error(None, message)
    return attribute_errors


# --- filing ------------------------------------------------------------------------------------


def _service_catalogue():
    """Active services by group, groups and services in the page's language and its alphabetical order."""
    groups: dict[str, list[Service]] = {}
    for service in Service.objects.filter(active=True):
        groups.setdefault(service.group_name, []).append(service)
    return [(group, sorted(services, key=lambda s: s.name)) for group, services in sorted(groups.items())]


def _attribute_rows(service, data=None, errors=None):
    if service is None:
        return []
    rows = []
    for attribute in ServiceAttribute.objects.filter(service=service).order_by("order"):
        key = f"attr_{attribute.code}"
        if data is not None and attribute.datatype == ServiceAttribute.Datatype.MULTIVALUELIST:
            value = data.getlist(key)
        else:
            value = data.get(key, "") if data is not None else ""
        rows.append({"attribute": attribute, "name": key, "value": value, "errors": (errors or {}).get(key, [])})
    return rows


def _after_filing(request, ticket: Ticket, *, on_behalf: bool, repeated: bool = False):
    """Where a filing leads: a signed-in citizen to the report's page, everyone else to the "received" page, which
    this session may open. ``repeated``: the same form was sent again, the report was filed the first time."""
    key = request.POST.get("filing_key", "")
    signed_in_citizen = request.user.is_authenticated and not on_behalf
    page = reverse("complaints:ticket" if signed_in_citizen else "complaints:filed", args=[ticket.reference])
    arrived = [list(form) for form in _arrived_forms(request) if form[0] != key]
    request.session[FILED_FORM_KEY] = [*arrived[-(FILED_FORM_KEYS_KEPT - 1) :], [key, ticket.reference, page]]
    if repeated:
        messages.info(
            request,
            _("This report was already sent and received as %(reference)s; it was not filed twice.")
            % {"reference": ticket.reference},
        )
    if signed_in_citizen:
        if not repeated:
            messages.success(
                request, _("Thank you. Your report %(reference)s was received.") % {"reference": ticket.reference}
            )
        return redirect("complaints:ticket", reference=ticket.reference)
    filed = [reference for reference in request.session.get(FILED_SESSION_KEY, []) if reference != ticket.reference]
    request.session[FILED_SESSION_KEY] = [*filed[-9:], ticket.reference]
    return redirect("complaints:filed", reference=ticket.reference)


def _for_a_citizen(user, channel: str) -> bool:
    """Whether ``user`` acts for a citizen who phoned or came to their office: staff (``is_assisting_staff``) whose
    filing form says how the citizen contacted them, not "I report for myself". Their filing is the citizen's report,
    and their "me too" from that form the citizen's (``support``)."""
    return channel in (Channel.ASSISTED, Channel.PHONE) and queries.is_assisting_staff(user)


def file_report(request):
    """The filing form: signed-in citizens, visitors with an email address, and staff filing for a citizen."""
    assisting = queries.is_assisting_staff(request.user)
    signed_in = request.user.is_authenticated
    attribute_errors: dict = {}
    kept: list[dict] = []
    status = 200
    if request.method == "POST":
        form = FilingForm(request.POST, request.FILES, assisting=assisting, signed_in=signed_in)
        if form.is_bot:
            # Scripts that fill the hidden field get the same friendly page and nothing is saved.
            log.info("filing honeypot triggered from %s", client_ip(request))
            return render(request, "complaints/filed.html", {"ticket": None})
        kept = photos.kept_stash(request.POST.getlist("photo_tokens"))
        # A form that already arrived, sent again (a second tab, an answer that never came): its photos went with
        # the report, and file_ticket folds it onto that report. Any other form is told of a photo it lost.
        resent = request.POST.get("filing_key", "") in _arrived_form_keys(request)
        photo_errors = [
            _("%(name)s could no longer be kept (it was added more than a day ago). Please add it again.")
            % {"name": name}
            for name in ([] if resent else photos.lost_stash_names(request.POST.getlist("photo_tokens")))
        ]
        for upload in request.FILES.getlist("photos"):
            try:
                photos.check_photo(upload)
            except ValidationError as exc:
                photo_errors.extend(exc.messages)
                continue
            if len(kept) >= photos.MAX_PHOTOS:
                photo_errors.append(photos.too_many_photos())
                break
            kept.append({"token": photos.stash_upload(upload), "name": upload.name})
        if form.is_valid() and not photo_errors:
            data = form.cleaned_data
            channel = data.get("channel") or Channel.WEB
            on_behalf = _for_a_citizen(request.user, channel)
            uploads = [f for f in (photos.open_stashed(k["token"]) for k in kept) if f is not None]
            try:
                ticket = actions.file_ticket(
                    title=data["title"],
                    description=data["description"],
                    service=data["service"],
                    lat=data.get("lat"),
                    lng=data.get("lng"),
                    area=data.get("area"),
                    address=data.get("address", ""),
                    privacy=data["privacy"],
                    show_name=data.get("show_name", False),
                    reporter=None if on_behalf or not signed_in else request.user,
                    reporter_name=data.get("reporter_name", ""),
                    reporter_email=data.get("reporter_email", ""),
                    reporter_phone=data.get("reporter_phone", ""),
                    channel=channel,
                    attributes=form.attribute_answers(),
                    photos=uploads,
                    filed_by=request.user if on_behalf else None,
                    client_ip=client_ip(request),
                    filing_key=data.get("filing_key"),
                )
            except actions.AlreadyFiled as repeat:
                photos.discard_stashed([k["token"] for k in kept])
                return _after_filing(request, repeat.ticket, on_behalf=on_behalf, repeated=True)
            except ValidationError as exc:
                attribute_errors = _apply_errors(form, exc)
                status = 400
            except actions.FilingRateLimited as exc:
                form.add_error(None, str(exc))
                status = 429
            else:
                photos.discard_stashed([k["token"] for k in kept])
                return _after_filing(request, ticket, on_behalf=on_behalf)
        else:
            status = 400
        for message in photo_errors:
            form.add_error("photos", message)
        service = form.chosen_service()
        attributes = _attribute_rows(service, request.POST, {**form.errors, **attribute_errors})
    else:
        initial = {}
        if request.GET.get("service", "").isdigit():
            initial["service"] = request.GET["service"]
        form = FilingForm(initial=initial, assisting=assisting, signed_in=signed_in)
        service = form.chosen_service() if initial else None
        attributes = []
    context = {
        "form": form,
        "catalogue": _service_catalogue(),
        "selected_service": form.data.get("service", form.initial.get("service", "")),
        "NOT_SURE": NOT_SURE,
        "attributes": attributes,
        "kept_photos": kept,
        "privacy_help": [(value, label, PRIVACY_HELP[value]) for value, label in Privacy.choices],
        "assisting": assisting,
        "honeypot": HONEYPOT_FIELD,
        "filed_form_keys": " ".join(_arrived_form_keys(request)),
        "arrived_forms": [form for form in _arrived_forms(request) if form[1]],
        "draft_owner": draft_owner(request.user),
    }
    return render(request, "complaints/file.html", context, status=status)


def filed(request, reference: str):
    """After filing without an account (or on a citizen's behalf): the reference and what happens next."""
    if reference not in request.session.get(FILED_SESSION_KEY, []):
        raise Http404
    ticket = Ticket.objects.select_related("department").filter(reference=reference).first()
    if ticket is None:
        raise Http404
    return render(request, "complaints/filed.html", {"ticket": ticket})


@require_GET
def service_attributes(request):
    """htmx partial: the chosen service's extra questions."""
    service = None
    if request.GET.get("service", "").isdigit():
        service = Service.objects.filter(pk=request.GET["service"], active=True).first()
    return render(request, "complaints/_attributes.html", {"attributes": _attribute_rows(service)})


def _float(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if -1000 < number < 1000 else None


@require_GET
def similar_reports(request):
    """htmx partial: open public reports of the same service within 250 m of the pin, with "me too". With no pin, the
    ones in the kelurahan chosen from the list (``area``): a call-centre operator filing for a caller, or a citizen
    who does not use the map, is offered them too instead of filing the same broken streetlight again."""
    service = None
    if request.GET.get("service", "").isdigit():
        service = Service.objects.filter(pk=request.GET["service"], active=True).first()
    lat, lng = _float(request.GET.get("lat")), _float(request.GET.get("lng"))
    kelurahan = None
    if lat and lng:
        similar = queries.similar_open_tickets_nearby(service=service, lat=lat, lng=lng, viewer=request.user)
    else:
        area_id = request.GET.get("area", "")
        if service is not None and area_id.isdigit():
            area = lookups.area(int(area_id))
            kelurahan = area if area is not None and area.level == Area.Level.KELURAHAN else None
        similar = queries.similar_open_tickets_in_kelurahan(service=service, kelurahan=kelurahan, viewer=request.user)
    assisting = bool(similar) and queries.is_assisting_staff(request.user)  # staff filing for citizens: the hint
    context = {"similar": similar, "kelurahan": kelurahan, "assisting": assisting}
    return render(request, "complaints/_similar.html", context)


@require_GET
def locate_point(request):
    """Which kelurahan a pin is in (JSON for the map)."""
    lat, lng = _float(request.GET.get("lat")), _float(request.GET.get("lng"))
    area = locate(lat, lng) if lat is not None and lng is not None else None
    if area is None:
        return JsonResponse(
            {"inside": False, "message": _("This place is outside Banjarmasin. Please drop the pin inside the city.")}
        )
    return JsonResponse(
        {
            "inside": True,
            "area_id": area.pk,
            "kelurahan": area.name,
            "kecamatan": area.parent.name if area.parent_id else "",
        }
    )


@require_GET
@cache_control(max_age=3600, public=True)
def boundaries(request):
    """The kelurahan polygons for every map (kept by each process, ``services.lookups``, and by browsers an hour)."""
    return HttpResponse(lookups.kelurahan_boundaries_json(), content_type="application/geo+json")


@require_POST
def upload_photo(request):
    """Checks one photo as soon as it is picked and keeps it under a signed token (JSON).

    The form then sends only tokens, so a failed validation never asks for the photo again;
    the photo's own GPS, if any, is offered as the pin before it is stripped.
    """
    # Signed in, each account has its own allowance: a department's technicians, or citizens at a kelurahan office,
    # share one public address. A guest's are counted by address, which a mobile network gives thousands of phones:
    # that allowance is the size of a flood, not of one person's photos.
    if request.user.is_authenticated:
        who, rate = f"user:{request.user.pk}", settings.PHOTO_UPLOAD_RATE_LIMIT
    else:
        who, rate = f"ip:{client_ip(request)}", settings.PHOTO_UPLOAD_IP_RATE_LIMIT
    if not ratelimit.hit(f"photo:{who}", rate):
        return JsonResponse({"error": _("Too many photos in a short time. Please try again later.")}, status=429)
    upload = request.FILES.get("photo")
    if upload is None:
        return JsonResponse({"error": _("Please choose a photo.")}, status=400)
    try:
        check = photos.check_photo(upload)
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    result = {"token": photos.stash_upload(upload), "name": upload.name}
    if check.gps and locate(*check.gps) is not None:
        result["gps"] = {"lat": check.gps[0], "lng": check.gps[1]}
    return JsonResponse(result)


def confirm(request, token):
    """The link in the confirmation email: a button (so mail scanners do not confirm), then routing starts.

    Only a web report filed without an account was sent that email. Other reports' tokens are no reporter's link:
    an Open311 request's token is its GeoReport token, which the client, its logs and ``tokens/{token}`` hold, and
    opening it here made its holder the reporter of the citizen's report (add information, reopen, rate)."""
    ticket = Ticket.objects.filter(confirmation_token=token, channel=Channel.WEB, reporter__isnull=True).first()
    if ticket is None:
        # Deleted ("This was not me", or never confirmed in time) or never ours: the link's holder learns why it
        # opens nothing, without learning which.
        return render(request, "complaints/confirm.html", {"gone": True}, status=404)
    if request.method == "POST" and not ticket.email_confirmed and "not_me" in request.POST:
        if discard_unconfirmed_filing(token=token):
            return render(request, "complaints/confirm.html", {"discarded": True})
        ticket.refresh_from_db()  # someone acted on it meanwhile (confirmed it, or staff): it stays
    elif request.method == "POST" and not ticket.email_confirmed:
        ticket = actions.confirm_email(token=token)
        # The confirmation link reached the reporter's address, as their follow link would: the report's page
        # opens for them from here on.
        follow.remember(request.session, ticket)
        return render(request, "complaints/confirmed.html", {"ticket": ticket})
    # Once used it opens nothing: a confirmation email lies forwarded, in old mailboxes and on shared computers, and
    # unlike the follow link it neither expires nor names the address, so pressing it again in any browser opened a
    # confidential report (and undid "Forget this browser"). The follow link in our later emails opens the report;
    # the browser that confirmed it still does.
    holds_grant = ticket.pk in follow.grants_in(request.session)
    return render(request, "complaints/confirm.html", {"ticket": ticket, "holds_grant": holds_grant})


def stop_emails(request, token: str):
    """The "stop these emails" link for people without an account: which report it is about, a button, then the
    emails stop. A link we did not sign (or whose subscription is gone) is not found before anyone presses anything.
    The page names the report by its reference and title, which every email to the link's holder carries anyway."""
    subscription_id = actions.email_off_subscription_id(token)
    if subscription_id is None:
        raise Http404
    subscription = Subscription.objects.select_related("ticket").filter(pk=subscription_id).first()
    if subscription is None:
        # A link we signed whose follow is gone (the account was deleted, a "me too" never confirmed): nothing is
        # sent to it any more, which is what its holder came to make sure of (it was a bare "not found").
        return render(request, "complaints/emails_stopped.html", {"gone": True}, status=410)
    if not subscription.active and request.method != "POST":
        return render(request, "complaints/emails_stopped.html", {"reference": subscription.ticket.reference})
    if request.method == "POST":
        try:
            actions.stop_emails_by_token(token=token)
        except ValidationError:  # the subscription went in between
            raise Http404
        return render(request, "complaints/emails_stopped.html", {"reference": subscription.ticket.reference})
    return render(request, "complaints/emails_stop.html", {"ticket": subscription.ticket})


# --- following ---------------------------------------------------------------------------------


@login_required
def my_reports(request):
    filed_for_others = queries.filed_for_others(request.user).exists()
    form = MyReportsFilterForm(
        request.GET or None, files_for_others=filed_for_others or queries.is_assisting_staff(request.user)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    tickets = queries.my_tickets(request.user, status=filters.get("status", ""), role=filters.get("role", ""))
    page = Paginator(tickets, 25).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "now": timezone.now(),
        "for_others": filters.get("role") == "for_others",
        # The pages' links keep the filter.
        "query": urllib.parse.urlencode({key: value for key, value in filters.items() if value}),
        # Staff who file for callers find those reports here too: a link to them while another list is shown.
        "filed_for_others": filed_for_others,
    }
    return render(request, "complaints/my_reports.html", context)


STEPS = [Status.SUBMITTED, Status.ROUTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED]


def _steps(ticket: Ticket, timeline: list) -> list[dict]:
    if ticket.status in STEPS:
        current = STEPS.index(ticket.status)
    elif ticket.status == Status.DUPLICATE:
        # A merged report shows the steps it went through, none current: the work goes on at the report it went into.
        started = any(event.type == EventType.STARTED for event in timeline)
        reached = 3 if started else 2 if ticket.acknowledged_at else 1 if ticket.routed_at else 0
        return [{"label": Status(step).label, "state": "done" if i <= reached else ""} for i, step in enumerate(STEPS)]
    else:
        current = -1
    return [
        {"label": Status(step).label, "state": "done" if i < current else "current" if i == current else ""}
        for i, step in enumerate(STEPS)
    ]


def _visible_or_404(request, reference: str) -> Ticket:
    ticket = queries.visible_ticket(follow.with_grants(request), reference)
    if ticket is None:
        raise Http404
    return ticket


@require_GET
def follow_link(request, reference: str, token: str):
    """A guest reporter's personal link from our emails: remember the grant, then the report's clean URL (the token
    stays out of the address bar, the history and any Referer). A wrong, forged or foreign token is a 404."""
    ticket = queries.ticket_for_follow_link(reference, token)
    if ticket is None:
        raise Http404
    follow.remember(request.session, ticket)
    return _back(ticket)


@require_POST
def forget_browser(request, reference: str):
    """ "Forget this browser", offered on a report's page opened with the guest reporter's personal link: on a shared
    phone or an internet café computer the next person could open the report (a confidential one too), add to it,
    reopen or rate it. Every reporter grant of the session goes (``follow.forget``), with the "received" pages of
    the reports filed in it; then the report as any visitor sees it, or the home page when visitors may not open it.
    The personal link in the emails still works."""
    follow.forget(request.session)
    request.session.pop(FILED_SESSION_KEY, None)
    messages.success(
        request,
        _(
            "This browser no longer opens your reports as their reporter. The personal link in our emails still "
            "does, whenever you need it."
        ),
    )
    ticket = queries.visible_ticket(follow.with_grants(request), reference)
    if ticket is None:
        return redirect("home")
    return _back(ticket)


def _with_photos(timeline: list) -> list[tuple]:
    """Each timeline event with the photos shown under it: the report's own photos are the gallery at the top of the
    page, so the filing event does not show them a second time."""
    return [
        (event, [photo for photo in event.attachments.all() if photo.purpose != Attachment.Purpose.REPORT])
        for event in timeline
    ]


def _ticket_page(request, ticket: Ticket, *, status: int = 200, as_filer: bool = False, **forms):
    """``as_filer``: shown to the staff member who filed it for someone else and may not open it otherwise."""
    user = follow.with_grants(request)
    subscription = queries.subscription_of(user, ticket)
    is_reporter = queries.is_reporter(user, ticket)
    # The reporter of a report merged into this one follows this one since, a guest too (their report's grant): they
    # add information here and read its progress (their report's page sends them here).
    merged_report = None if is_reporter else queries.merged_report_of(user, ticket)
    follows = is_reporter or subscription is not None or merged_report is not None
    timeline = queries.public_timeline(ticket)
    if as_filer:
        timeline = [event for event in timeline if event.type not in queries.FILER_HIDDEN_EVENTS]
    window_end = actions.close_window_end(ticket) if ticket.status == Status.RESOLVED else None
    window_open = window_end is None or timezone.now() <= window_end
    # The reporter rates until the closing window ends, also after confirming; then the page shows the rating given.
    rating_until = actions.rating_ends_at(ticket) if is_reporter else None
    if rating_until is not None and timezone.now() > rating_until:
        rating_until = None
    can_rate = rating_until is not None or "rating_form" in forms
    # The department's last question, asked above the answer box only while the department waits for its answer:
    # resolving, rejecting or forwarding the ticket (or the wait's limit) ends the wait, and the question stays in
    # the timeline as history.
    question = None
    if ticket.waiting_for_citizen_since is not None:
        for event in timeline:
            if event.type == EventType.INFO_REQUESTED:
                question = event
            elif event.type == EventType.CITIZEN_INFO and question is not None:
                question = None
    is_public = queries.public_tickets().filter(pk=ticket.pk).exists()
    show_reporter = queries.can_see_reporter(user, ticket)
    lat, lng = queries.pin_for(user, ticket)  # an anonymous report's pin is rounded for the public
    guest_support = _guest_support(request, ticket) if is_public and not follows else None
    context = {
        "ticket": ticket,
        "pin": {"lat": lat, "lng": lng} if lat is not None and lng is not None else None,
        "address": queries.address_for(user, ticket),  # none of an anonymous report's for the public
        # The report it was merged into, when this reader may open it (else the page does not name it).
        "merged_into": queries.merged_into(user, ticket),
        "answers": answers_of(ticket, private=show_reporter),
        "steps": _steps(ticket, timeline),
        "timeline": _with_photos(timeline),
        "photos": queries.ready_report_photos(ticket),
        "pending_photos": ticket.attachments.filter(state="pending").count() if follows else 0,
        "is_reporter": is_reporter,
        # A reporter without an account, recognised by their personal link's grant in this session: they may make
        # the browser forget it (``forget_browser``).
        "by_link": is_reporter and follow.has_follow_link(ticket),
        "merged_report": merged_report,
        # Or by the grant of their report merged into this one: it lets this browser add to this one as them.
        "by_merged_link": merged_report is not None and merged_report.reporter_id is None,
        "subscription": subscription,
        # A guest whose report was merged here has no switch on this page: our emails carry the link that stops them.
        "may_switch_emails": is_reporter or subscription is not None,
        "emails_on": (ticket.notify_reporter if is_reporter else bool(subscription and subscription.active)),
        "follows": follows,
        # "What happens next" (and whom a late date's escalation told): for whoever follows it, a guest whose "me too"
        # was confirmed in this browser too (they get its emails, but have no subscription this page can see).
        "shows_next_steps": follows or bool((guest_support or {}).get("confirmed")),
        "can_add_info": follows and (ticket.is_open or "info_form" in forms),
        "question": question if follows else None,
        "can_confirm": workflow.can(user, "confirm", ticket),
        "can_reopen": (workflow.can(user, "citizen_reopen", ticket) and window_open) or "reopen_form" in forms,
        "window_end": window_end,
        "can_rate": can_rate,
        "rating_until": rating_until,
        "rating_given": getattr(ticket, "rating", None) if is_reporter and not can_rate else None,
        "can_support": is_public and ticket.is_open and not follows and not (guest_support or {}).get("confirmed"),
        "guest_support": guest_support,
        "support_resend_hours": int(SUPPORT_CONFIRMATION_RESEND.total_seconds() // 3600),
        "show_reporter": show_reporter,
        "public_name": ticket.public_reporter_name(),
        "is_public": is_public,
        # The public page's address as the city serves it, for the preview of a shared link (_share_meta.html).
        "share_base": settings.SITE_URL.rstrip("/"),
        "info_form": forms.get("info_form") or InfoForm(),
        "reopen_form": forms.get("reopen_form") or ReasonForm(),
        "rating_form": forms.get("rating_form")
        or RatingForm(
            initial={"score": ticket.rating.score, "comment": ticket.rating.comment}
            if hasattr(ticket, "rating")
            else None
        ),
        # A "me too" waiting for its confirmation offers the address it went to, to send the link again.
        "support_form": forms.get("support_form")
        or SupportForm(initial={"email": guest_support["email"]} if guest_support else None),
        # Someone who may be this report's reporter but is not recognised as one here: where to look.
        "reporter_hint": ticket.status == Status.RESOLVED and not follows and not user.is_authenticated,
    }
    return render(request, "complaints/ticket.html", context, status=status)


def ticket_detail(request, reference: str):
    ticket = queries.visible_ticket(follow.with_grants(request), reference)
    if ticket is None:
        # Staff who filed it for a caller follow it up for them, a confidential one too (``queries.filed_ticket``).
        ticket = queries.filed_ticket(request.user, reference)
        if ticket is None:
            raise Http404
        return _ticket_page(request, ticket, as_filer=True)
    return _ticket_page(request, ticket)


def _back(ticket: Ticket):
    return redirect("complaints:ticket", reference=ticket.reference)


# "Me too"s given without an account in this browser, by ticket id: the address and whether it was confirmed here.
# The report's page shows a confirmed one as followed and a waiting one as waiting, instead of an empty form.
SUPPORTS_SESSION_KEY = "complaints_supports"
SUPPORTS_KEPT = 20


def _remember_support(session, ticket: Ticket, email: str, *, confirmed: bool) -> None:
    supports = dict(session.get(SUPPORTS_SESSION_KEY, {}))
    earlier = supports.pop(str(ticket.pk), None) or {}
    # Asked again for the address this browser confirmed: it stays confirmed here.
    confirmed = confirmed or (earlier.get("confirmed", False) and earlier.get("email") == email)
    supports[str(ticket.pk)] = {"email": email, "confirmed": confirmed}
    session[SUPPORTS_SESSION_KEY] = dict(list(supports.items())[-SUPPORTS_KEPT:])


def _guest_support(request, ticket: Ticket) -> dict | None:
    """This browser's "me too" without an account on ``ticket``: ``{"email", "confirmed"}``, confirmed only while the
    address still gets the report's emails (it may have stopped them since); None when there is none."""
    if request.user.is_authenticated:
        return None
    kept = request.session.get(SUPPORTS_SESSION_KEY, {}).get(str(ticket.pk))
    if not kept:
        return None
    confirmed = (
        kept.get("confirmed", False)
        and Subscription.objects.filter(
            ticket=ticket, user__isnull=True, email=kept["email"], email_confirmed=True, active=True
        ).exists()
    )
    return {"email": kept["email"], "confirmed": confirmed}


def _too_many_supports(request) -> str | None:
    """Refusal when this internet address asked for too many "me too" confirmation emails (``SUPPORT_IP_RATE_LIMIT``):
    scripts must not make the city's mail server write to a list of addresses. Asked only of the "me too"s that
    email a link (everyone's without an account, and staff's for a citizen): a signed-in citizen's sends none, and
    must not be refused because guests on the same connection used it up."""
    rate = settings.SUPPORT_IP_RATE_LIMIT
    if ratelimit.hit(f"support:ip:{client_ip(request)}", rate):
        return None
    minutes = max(1, math.ceil(ratelimit.seconds_left(rate) / 60))
    return ngettext(
        "Many “me too”s were sent from your internet connection in a short time (phones on one mobile network can "
        "share it). Please try again in %(minutes)s minute.",
        "Many “me too”s were sent from your internet connection in a short time (phones on one mobile network can "
        "share it). Please try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


@require_POST
def support(request, reference: str):
    """ "Me too" from the report's page, or from the filing form's similar reports nearby (htmx, with the address
    typed into the form's email field, reporter_email): an answer there (a refusal, or "check your email") is shown
    next to the button, so the form and everything typed into it stay as they were.

    A signed-in citizen supports at once; without an account the address confirms it from the emailed link first
    (``confirm_support``), and this browser remembers it is waiting. Staff filing for a citizen (the form's channel,
    ``_for_a_citizen``) say it for that citizen: the citizen's address typed into the form confirms it."""
    ticket = _visible_or_404(request, reference)
    on_filing_form = bool(request.htmx) and request.POST.get("from_form") == "filing"
    form = SupportForm({"email": request.POST.get("email") or request.POST.get("reporter_email", "")})
    channel = request.POST.get("channel", "")
    for_citizen = _for_a_citizen(request.user, channel)
    if not for_citizen and (merged_report := queries.merged_report_of(follow.with_grants(request), ticket)):
        return _counted_already(request, ticket, merged_report, on_filing_form=on_filing_form)
    by_email = for_citizen or not request.user.is_authenticated
    status = 400
    refusal = None
    if by_email and form.is_valid() and form.cleaned_data["email"]:
        refusal = _too_many_supports(request)  # counted when an email may go, not for a missing or mistyped address
    if refusal:
        form.add_error(None, refusal)
        status = 429
    elif not by_email or form.is_valid():  # else a mistyped address: the form's own error says so
        try:
            subscription = actions.support_ticket(
                ticket=ticket,
                user=request.user,
                email=form.cleaned_data.get("email", "") if by_email else "",
                channel=channel if for_citizen else Channel.WEB,
            )
        except PermissionDenied:
            raise Http404
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _supported(request, ticket, subscription, for_citizen=for_citizen, on_filing_form=on_filing_form)
    if request.htmx:
        # 400 for any refusal: the filing form's script puts a 400 next to the button (static/js/filing-form.js).
        return render(request, "complaints/_me_too_answer.html", {"support_form": form}, status=400)
    return _ticket_page(request, ticket, status=status, support_form=form)


def _draft_not_sent(ticket: Ticket, *, for_citizen: bool) -> dict:
    """What the filing form's "me too" answer adds: the report typed into the form was not sent, and is kept there
    unless discarded (``_me_too_answer.html``; static/js/filing-form.js forgets the tab's draft). A Ketua RT who said
    "me too" halfway through his own report took it as sent, and its draft stayed behind silently (the RT walk).
    Discarded, the form leads to the report supported, whose page says where that "me too" stands; staff filing for
    callers get an empty form for the next one."""
    discard_url = reverse("complaints:file") if for_citizen else reverse("complaints:ticket", args=[ticket.reference])
    return {"draft_not_sent": True, "discard_url": discard_url}


def _counted_already(request, ticket: Ticket, merged_report: Ticket, *, on_filing_form: bool = False):
    """ "Me too" from the reporter of a report merged into ``ticket`` (by their account, or their report's grant in
    this browser): the merge counted them among its supporters and made them follow it, so nothing changes, and the
    answer says so instead of thanking them for one more voice (or emailing a link that would count none)."""
    said = _(
        "You are already counted among this report's supporters: your report %(reference)s was merged into it."
    ) % {"reference": merged_report.reference}
    if request.htmx:
        draft = _draft_not_sent(ticket, for_citizen=False) if on_filing_form else {}
        return render(request, "complaints/_me_too_answer.html", {"sent": said, **draft})
    messages.info(request, said)
    return _back(ticket)


def _supported(request, ticket: Ticket, subscription: Subscription, *, for_citizen: bool, on_filing_form: bool = False):
    draft = _draft_not_sent(ticket, for_citizen=for_citizen) if on_filing_form else {}
    if request.user.is_authenticated and not for_citizen and on_filing_form:
        # Stays on the form with what was typed: the report supported is a link away, and the answer says the
        # citizen's own report was not sent.
        context = {"supported": ticket, **draft}
        return render(request, "complaints/_me_too_answer.html", context)
    if request.user.is_authenticated and not for_citizen:
        messages.success(request, _("Thank you. You now support and follow this report."))
        if request.htmx:
            return HttpResponseClientRedirect(reverse("complaints:ticket", args=[ticket.reference]))
        return _back(ticket)
    # The same answer whatever the address (one that supports already, the reporter's): it tells nobody who does.
    email = subscription.email  # as kept: lower case
    if for_citizen:
        # The citizen's, not the staff member's: this browser remembers nothing, and they stay on the filing form.
        sent = _(
            "We emailed %(email)s a link to confirm the citizen's “me too”: it counts once they open it. You do "
            "not follow this report yourself."
        ) % {"email": email}
    else:
        _remember_support(request.session, ticket, email, confirmed=False)
        sent = _("Check your email to confirm your support: we sent a link to %(email)s.") % {"email": email}
    if request.htmx:
        return render(request, "complaints/_me_too_answer.html", {"sent": sent, **draft})
    if for_citizen:
        messages.info(request, sent)
        return _back(ticket)
    # The page says it once, in the box that waits for the confirmation (and sends the link again): a message at the
    # top would say the same thing twice. The address takes the browser down to that box.
    return redirect(reverse("complaints:ticket", args=[ticket.reference]) + "#support-form")


def confirm_support(request, reference: str, token: str):
    """The link emailed for a "me too" given without an account: a button (so mail scanners do not confirm), then
    the "me too" counts and the address gets the report's updates; this browser remembers that it follows the
    report. A link we did not sign, expired or whose "me too" is gone is not found. Opened again once confirmed
    (another browser, a second click in the email), it says so, and this browser remembers it as well."""
    subscription = actions.support_to_confirm(token)
    if subscription is None or subscription.ticket.reference != reference:
        raise Http404
    ticket = subscription.ticket
    is_public = queries.public_tickets().filter(pk=ticket.pk).exists()
    context = {"ticket": ticket, "is_public": is_public, "may_confirm": is_public and ticket.is_open}
    status = 200
    if request.method == "POST":
        # Counted before: only its emails were off (stopped from an email's link), or it came with a report merged
        # into this one. Confirming switches them back on and counts nobody again: no "one more person affected".
        counted_before = subscription.email_confirmed
        try:
            actions.confirm_support(token=token)
        except ValidationError as exc:
            context.update(refusal=" ".join(exc.messages), may_confirm=False)
            status = 400
        else:
            _remember_support(request.session, ticket, subscription.email, confirmed=True)
            context["already_confirmed" if counted_before else "confirmed"] = True
    elif subscription.email_confirmed and subscription.active:
        # What the button would do, done already: only this browser learns it (the address proved it holds the link).
        _remember_support(request.session, ticket, subscription.email, confirmed=True)
        context["already_confirmed"] = True
    return render(request, "complaints/confirm_support.html", context, status=status)


def _citizen_form_action(request, ticket, form_name: str, form, run, success: str):
    """A citizen's form on the ticket page: ``run(cleaned_data)`` calls the action; on success back to the page with
    ``success``, else the page again (400) with ``form`` under ``form_name`` showing the errors. A citizen who may not
    act on this ticket gets a 404, as if it were not there."""
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except PermissionDenied:
            raise Http404
        except ValidationError as exc:
            _apply_errors(form, exc)
            # Refused because the report changed since this page was read (a double click that reopened it, an
            # officer's resolve): the page shows it as it is now, with the refused form and its text.
            ticket.refresh_from_db()
        else:
            if isinstance(form, KeepsPhotos):
                form.forget_kept_photos()
            messages.success(request, success)
            return _back(ticket)
    if isinstance(form, KeepsPhotos):
        form.keep_photos()
    return _ticket_page(request, ticket, status=400, **{form_name: form})


@require_POST
def add_info(request, reference: str):
    ticket = _visible_or_404(request, reference)
    return _citizen_form_action(
        request,
        ticket,
        "info_form",
        InfoForm(request.POST, request.FILES),
        lambda data: actions.add_citizen_info(
            ticket=ticket, actor=follow.with_grants(request), message=data["message"], photos=data["photos"]
        ),
        _("Your information was added and the department was told."),
    )


@require_POST
def confirm_fixed(request, reference: str):
    ticket = _visible_or_404(request, reference)
    try:
        actions.confirm_resolution(ticket=ticket, actor=follow.with_grants(request))
    except PermissionDenied:
        raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you for confirming. The report is closed."))
    return _back(ticket)


@require_POST
def reopen(request, reference: str):
    ticket = _visible_or_404(request, reference)
    return _citizen_form_action(
        request,
        ticket,
        "reopen_form",
        ReasonForm(request.POST, request.FILES),
        lambda data: actions.citizen_reopen(
            ticket=ticket, actor=follow.with_grants(request), reason=data["reason"], photos=data["photos"]
        ),
        _("The report is open again and the department was told."),
    )


@require_POST
def rate(request, reference: str):
    ticket = _visible_or_404(request, reference)
    return _citizen_form_action(
        request,
        ticket,
        "rating_form",
        RatingForm(request.POST),
        lambda data: actions.rate_ticket(
            ticket=ticket, actor=follow.with_grants(request), score=data["score"], comment=data["comment"]
        ),
        _("Thank you for your rating."),
    )


@require_POST
def ticket_emails(request, reference: str):
    ticket = _visible_or_404(request, reference)
    enabled = request.POST.get("enabled") == "1"
    try:
        actions.set_ticket_emails(ticket=ticket, actor=follow.with_grants(request), enabled=enabled)
    except PermissionDenied:
        raise Http404
    if enabled:
        messages.success(request, _("You will receive emails about this report."))
    else:
        messages.success(request, _("You will no longer receive emails about this report."))
    return _back(ticket)


# --- public side -------------------------------------------------------------------------------


def _public_filters(request) -> tuple[PublicFilterForm, dict]:
    form = PublicFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # a refused field is named on the page; the others still filter (cleaned_data keeps them)
        return form, form.cleaned_data
    return form, {}


def _public_list_title(form: PublicFilterForm, filters: dict, page) -> str:
    """What the list holds, for the browser's tab, history and bookmarks ("Public reports · Mantuil · page 2"):
    the filters that narrow it, in the form's order."""
    from django.utils.formats import date_format

    parts = [_("Public reports")]
    if filters.get("q"):
        parts.append(f"“{filters['q']}”")
    if filters.get("service"):
        parts.append(filters["service"].name)
    if filters.get("status"):
        parts.append(str(dict(form.fields["status"].choices)[filters["status"]]))
    if area := filters.get("kelurahan") or filters.get("kecamatan"):
        parts.append(area.name)
    if filters.get("date_from"):
        parts.append(_("from %(date)s") % {"date": date_format(filters["date_from"], "j M Y")})
    if filters.get("date_to"):
        parts.append(_("until %(date)s") % {"date": date_format(filters["date_to"], "j M Y")})
    if page.number > 1:
        parts.append(_("page %(number)s") % {"number": page.number})
    return " · ".join(parts)


def _public_tickets(filters: dict):
    """The public reports the filters select. A search for a phone number, an email or a NIK finds none: the public
    pages show those hidden (``complaints.redaction``), so the search looks only in what they show, and nobody learns
    which report holds someone's number; nor by its pieces ("3456" of "0812 3456 7890", ``matching_public_words``)."""
    if has_contact_details(filters.get("q")):
        return queries.public_tickets().none()
    return queries.public_ticket_list(**filters)


def public_list(request):
    form, filters = _public_filters(request)
    # A reference typed in the search box opens its report when this visitor may see it; any other (unknown, or one
    # they may not see) is searched as words like any text, so the box says nothing of what it cannot show.
    if filters.get("q") and (reference := queries.reference_to_open(follow.with_grants(request), filters["q"])):
        return redirect("complaints:ticket", reference=reference)
    tickets = _public_tickets(filters)
    page = RememberedCountPaginator(tickets, 25).get_page(request.GET.get("page"))
    # The filters as the form read them: an old link's ids carry on as codes (``PublicFilterForm``).
    query = (form.data if form.is_bound else request.GET).copy()
    query.pop("page", None)
    return render(
        request,
        "complaints/public_list.html",
        {
            "form": form,
            "page": page,
            "title": _public_list_title(form, filters, page),
            "query": query.urlencode(),
            # The same filters (``_public_filters``): the pins are the listed reports, a refused kelurahan left out.
            "map_url": f"{reverse('complaints:public_map')}?{query.urlencode()}",
        },
    )


@require_GET
def public_map(request):
    """Map pins for the public list's filters: public tickets only, no names or contact details."""
    _form, filters = _public_filters(request)
    english = (request.LANGUAGE_CODE or "id").startswith("en")
    features = []
    for row in queries.public_map_points(_public_tickets(filters)):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["lng"], row["lat"]]},
                "properties": {
                    "reference": row["reference"],
                    "title": mask_contact_details(row["title"]),
                    "status": str(Status(row["status"]).label),
                    "state": queries.MAP_STATES.get(row["status"], "other"),
                    "service": (row["service__name_en"] if english else row["service__name_id"]) or "",
                    "kelurahan": row["area__name"] or "",
                    "url": reverse("complaints:ticket", args=[row["reference"]]),
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})
