"""Staff pages: the department queue (htmx), bulk actions, exports, saved filters and the staff ticket page.

Views parse input, call ``complaints.queries`` (who sees what) and ``complaints.actions`` (what
changes), and render. Non-staff get 403; a ticket outside the user's staff scope is 404.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Textarea
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import CITY_STAFF_ROLES, roles_of
from services.answers import answers_of
from services.calendar import add_working_days
from services.models import Area, Department, Service
from smartcity.form_errors import add_action_errors

from . import actions, exports, queries, workflow
from . import staff_forms as forms
from .actions.deadlines import info_wait_working_days
from .actions.handling import ANY_ASSIGNEE, check_merge_target
from .actions.transfer import moved_in_reorganisation
from .event_text import event_details
from .forms import KeepsPhotos, draft_owner
from .models import CannedResponse, ExportJob, Privacy, SavedFilter, Status, Ticket
from .queue_rows import assignee_has_left, queue_rows_html, with_assignee_membership, with_reopened

# --- helpers -------------------------------------------------------------------------------------


def _require_staff(request) -> None:
    if queries.staff_ticket_filter(request.user) is None:
        if roles_of(request.user) & CITY_STAFF_ROLES:
            # Planners and finance work for the city too: "for city staff" told them they were not. The 403 page
            # links their own pages (templates/403.html, from the staff menu's rules).
            raise PermissionDenied(_("The ticket queue is for the departments and the inspectorate."))
        raise PermissionDenied(_("This page is for city staff."))


def _query_string(data, *, drop=("page", "format")) -> str:
    """The queue's filter as a query string for links (pages, exports, saved filters): no page, no empty values."""
    copy = data.copy()
    for key in drop:
        copy.pop(key, None)
    for key in [k for k, v in copy.lists() if not any(v)]:
        copy.pop(key)
    return copy.urlencode()


FILTER_SELECTS = (
    "status",
    "service",
    "department",
    "kecamatan",
    "kelurahan",
    "priority",
    "assignee",
    "escalated",
    "sort",
    "page_size",
)


LIGHT_CHOICES = {
    # Sorted by the name shown: by the Indonesian one, the English list began "Clean water outage, Dirty or smelly…".
    # A withdrawn service stays, marked, after the others: its open tickets are still in the queue.
    "service": lambda en: [
        (pk, name if active else _("%(service)s (inactive)") % {"service": name})
        for pk, name, active in Service.objects.order_by("-active", "name_en" if en else "name_id").values_list(
            "pk", "name_en" if en else "name_id", "active"
        )
    ],
    "department": lambda en: (
        Department.objects.filter(active=True).order_by("short_name").values_list("pk", "short_name")
    ),
    "kecamatan": lambda en: Area.objects.filter(level=Area.Level.KECAMATAN).order_by("name").values_list("pk", "name"),
}


def _light_choices(name: str):
    """The same choices as the form field's queryset (which validates), read as plain tuples."""
    en = (get_language() or "id").startswith("en")
    return [("", _("Any")), *LIGHT_CHOICES[name](en)]


def _all_kelurahan() -> list[tuple[int, str, int | None]]:
    """Every kelurahan as (id, name, kecamatan id), by name: the filter's list, and what staff-queue.js draws it
    from when another kecamatan is chosen."""
    kelurahan = Area.objects.filter(level=Area.Level.KELURAHAN).order_by("name")
    return list(kelurahan.values_list("pk", "name", "parent_id"))


def _kelurahan_options(all_kelurahan, kecamatan) -> list:
    """The kelurahan filter's choices: those of the kecamatan chosen, else all (the field offered all 52 whatever
    the kecamatan, and a pair that does not go together listed nothing)."""
    shown = [(pk, name) for pk, name, parent_id in all_kelurahan if kecamatan is None or parent_id == kecamatan.pk]
    return [("", _("Any")), *shown]


def _filter_selects(form, applied: dict, choices: dict) -> dict:
    """The filter dropdowns as ready HTML options: Django's widget templates cost more than the whole
    ticket query on a busy queue page, and these lists are rendered on every full page.

    ``applied``: values the queue used whatever the request said (the page size, which defaults to 50). A
    dropdown with nothing selected shows its first option, and the next filter change would send that.
    ``choices``: a dropdown's choices worked out by the caller (the kelurahan of the kecamatan chosen)."""
    selects = {}
    for name in FILTER_SELECTS:
        if name not in form.fields:
            continue
        value = applied.get(name, form[name].value())
        current = "" if value is None else str(value)
        if name in choices:
            offered = choices[name]
        else:
            offered = _light_choices(name) if name in LIGHT_CHOICES else form.fields[name].choices
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(key), mark_safe(" selected") if str(key) == current else "", label) for key, label in offered),
        )
        selects[name] = {"label": form.fields[name].label, "options": options}
    return selects


def _active_filters_text(count: int) -> str:
    """How many filters narrow the list, as the phone's folded filter card says it ("2 active"); "" for none."""
    return ngettext("%(count)d active", "%(count)d active", count) % {"count": count} if count else ""


def _queue_context(request, data, *, bulk_kept: dict | None = None) -> dict:
    """``bulk_kept``: a refused bulk action's choices (``_bulk_choices``), drawn again in the bulk form."""
    bulk_kept = bulk_kept or {}
    form, members = forms.queue_filter_form(request.user, data)
    filters = form.filters()
    tickets = with_reopened(with_assignee_membership(queries.queue_tickets(request.user, **filters)))
    page, page_size = form.paging()
    count_cap = queries.QUEUE_SEARCH_COUNT_CAP if filters["q"].strip() else queries.QUEUE_COUNT_CAP
    listing = queries.queue_page(tickets, page=page, page_size=page_size, count_cap=count_cap)
    show_department = "department" in form.fields
    query = _query_string(data)
    department_ids = queries.department_ids_of(request.user)
    results_only = _wants_results_only(request)
    selects, all_kelurahan = {}, []
    if not results_only:
        all_kelurahan = _all_kelurahan()
        kelurahan = _kelurahan_options(all_kelurahan, filters["kecamatan"])
        # The status applied: "all" by default for tickets escalated in the past (``QueueFilterForm.default_status``).
        applied = {"page_size": page_size, "status": filters["status"]}
        selects = _filter_selects(form, applied, {"kelurahan": kelurahan})
    return {
        "form": form,
        "listing": listing,
        "query": query,
        "rows_html": queue_rows_html(
            listing["rows"], show_department=show_department, ticked=bulk_kept.get("ids", frozenset())
        ),
        "results_only": results_only,
        "selects": selects,
        "kelurahan_choices": all_kelurahan,
        "active_filters": _active_filters_text(form.active_filter_count()),
        "members": members,
        "priorities": Service.Priority.choices,
        "bulk_actions": forms.BULK_ACTIONS if workflow.works_tickets(request.user) else [],
        "bulk_kept": bulk_kept,
        "seen_assignees": forms.seen_assignees_field(listing["rows"]),
        "saved_filters": list(queries.saved_filters_for(request.user)),
        "can_save_shared": bool(department_ids),
        "export_inline_limit": exports.INLINE_LIMIT,
    }


# --- queue ---------------------------------------------------------------------------------------


def _wants_results_only(request) -> bool:
    """An htmx filter change or page turn: the results alone. htmx restoring a page it kept no snapshot of asks
    with HX-Request too, and gets the whole page like the browser does."""
    return bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request


@login_required
@require_GET
def queue(request):
    _require_staff(request)
    context = _queue_context(request, request.GET)
    template = "staff/_queue_results.html" if _wants_results_only(request) else "staff/queue.html"
    response = render(request, template, context)
    # The results and the whole page share a URL (htmx pushes it): without this the browser's cache answered Back
    # from a ticket with the results alone, no styles, menu or filters (django-htmx: "Vary: HX-Request").
    patch_vary_headers(response, ("HX-Request",))
    return response


def _bulk_apply(request, ticket: Ticket, data: dict):
    action = data["action"]
    actor = request.user
    if action == "assign":
        assignee = None
        if data["assignee"] is not None:
            from accounts.models import User

            assignee = User.objects.filter(pk=data["assignee"]).first()
            if assignee is None:
                raise ValidationError(_("Choose a person."))
        seen = data["seen_assignees"].get(ticket.pk, ANY_ASSIGNEE)
        return actions.assign_ticket(ticket=ticket, actor=actor, assignee=assignee, seen_assignee_id=seen)
    if action == "priority":
        return actions.set_priority(ticket=ticket, actor=actor, priority=data.get("priority"))
    if action == "acknowledge":
        return actions.acknowledge_ticket(ticket=ticket, actor=actor)
    if action == "start":
        return actions.start_work(ticket=ticket, actor=actor)
    if action == "reject":
        return actions.reject_ticket(ticket=ticket, actor=actor, reason=data.get("note", ""))
    if action == "resolve":
        return actions.resolve_ticket(ticket=ticket, actor=actor, note=data.get("note", ""))
    if action == "merge":
        return actions.merge_ticket(ticket=ticket, into=data["into_ticket"], actor=actor)
    raise ValidationError(_("Unknown action."))


def _merge_target(actor, reference: str) -> Ticket:
    """The ticket a merge goes into, named by its reference: one in the officer's queue."""
    into = queries.staff_tickets(actor).filter(reference=reference.strip().upper()).first()
    if into is None:
        raise ValidationError({"into": _("No ticket with that reference in your queue.")})
    return into


def _bulk_merge_target(actor, reference: str, ids: list[int]) -> Ticket:
    """The ticket the ticked ones are merged into, checked once for all of them: a reference that is not in the
    queue, or a ticket nothing may go into any more, refuses the whole merge with one message instead of one per
    ticket. Ticked too, it is left as it is (``bulk`` skips it); ticked alone, there is nothing to merge."""
    try:
        into = _merge_target(actor, reference)
        check_merge_target(into=into, actor=actor)
        if set(ids) <= {into.pk}:
            raise ValidationError(_("Tick its duplicates, not only that ticket itself."))
    except ValidationError as error:
        reason = _error_text(error)
        raise ValidationError(
            _("Nothing was merged into %(reference)s: %(reason)s") % {"reference": reference, "reason": reason}
        )
    return into


def _bulk_choices(data, ids) -> dict:
    """What the bulk form was sent with, as the form's fields compare it, and the tickets to tick again."""
    kept = {name: data.get(name, "") for name in ("action", "assignee", "priority", "note", "into")}
    kept["ids"] = frozenset(ids)
    return kept


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error) or _("Not allowed.")


# How many refused tickets a bulk action's answer names; the rest are counted.
BULK_REFUSALS_NAMED = 10


def _report_bulk(request, *, done: int, into: Ticket | None, refused: list[str]) -> None:
    """What a bulk action did, as one message: what was done, then the refused tickets as a list inside it. One
    message per refused ticket was one alert each, and a screen reader read out eleven interruptions in a row."""
    if not done and not refused:
        return
    if done and into is not None:
        summary = ngettext(
            "%(count)d ticket merged into %(reference)s.", "%(count)d tickets merged into %(reference)s.", done
        ) % {"count": done, "reference": into.reference}
    elif done:
        summary = _("%(count)d tickets updated.") % {"count": done}
    else:
        summary = ""
    if not refused:
        messages.success(request, summary)
        return
    if done:
        said = ngettext("%(count)d was refused:", "%(count)d were refused:", len(refused))
    else:
        said = ngettext("%(count)d ticket was refused:", "%(count)d tickets were refused:", len(refused))
    more = len(refused) - BULK_REFUSALS_NAMED
    more_said = ""
    if more > 0:
        more_said = ngettext("%(count)d more ticket was refused.", "%(count)d more tickets were refused.", more) % {
            "count": more
        }
    report = render_to_string(
        "staff/_bulk_report.html",
        {
            "summary": summary,
            "refused_said": said % {"count": len(refused)},
            "refused": refused[:BULK_REFUSALS_NAMED],
            "more_said": more_said,
        },
    )
    # Rendered (and escaped) by the template: the message keeps its list, in the queue's results and after a redirect.
    messages.add_message(request, messages.WARNING if done else messages.ERROR, report)


@login_required
@require_POST
def bulk(request):
    """Apply one action to the selected tickets, each through its own action (its own transaction: one ticket
    refused leaves the others done); report what was refused.

    "Merge into…" merges every ticked ticket into the one named, by ``merge_ticket`` as from a ticket's page (the
    same checks, each merged ticket's followers told once); the target itself, ticked too, is skipped."""
    _require_staff(request)
    if not workflow.works_tickets(request.user):
        raise PermissionDenied(_("Your role may view these tickets but not change them."))
    form = forms.BulkForm(request.POST)
    # A refusal draws the form again as it was sent (the refused tickets ticked): cleared, the user chose and typed
    # it all again, and did not see which tickets the errors were about.
    kept = None
    sent_ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]
    data = form.cleaned_data if form.is_valid() else None
    if data is None:
        messages.error(request, form.refusal())
        kept = _bulk_choices(request.POST, sent_ids)
    elif data["action"] == "merge":
        try:
            data = {**data, "into_ticket": _bulk_merge_target(request.user, data["into"], data["ids"][:200])}
        except ValidationError as error:
            messages.error(request, _error_text(error))
            kept, data = _bulk_choices(request.POST, sent_ids), None
    if data is not None:
        ids = data["ids"][:200]
        tickets = list(queries.staff_tickets(request.user).filter(pk__in=ids).order_by("pk"))
        into = data.get("into_ticket")
        skipped = [ticket.pk for ticket in tickets if into is not None and ticket.pk == into.pk]
        tickets = [ticket for ticket in tickets if ticket.pk not in skipped]
        done, refused, refused_ids = 0, [], []
        for ticket in tickets:
            try:
                _bulk_apply(request, ticket, data)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"{ticket.reference}: {_error_text(error)}")
                refused_ids.append(ticket.pk)
        if refused_ids:
            kept = _bulk_choices(request.POST, refused_ids)
        missing = set(ids) - {t.pk for t in tickets} - set(skipped)
        refused += [_("#%(pk)s: not in your queue.") % {"pk": pk} for pk in sorted(missing)]
        _report_bulk(request, done=done, into=into, refused=refused)
    # The queue's filter (and page) travels in its own field, so the table comes back as the user left it: read
    # with the bulk form's fields, its "assign to" and "priority" choices were taken for filters.
    shown = QueryDict(request.POST.get("query", ""))
    if request.htmx:
        return render(request, "staff/_queue_results.html", _queue_context(request, shown, bulk_kept=kept))
    return redirect(f"{reverse('staff:queue')}?{shown.urlencode()}")


# --- exports -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def export(request):
    """Export the current filter (GET) or the tickets selected in the queue (POST, the bulk form)."""
    _require_staff(request)
    data = request.POST if request.method == "POST" else request.GET
    fmt = data.get("format", "csv")
    if fmt not in exports.FORMATS:
        fmt = "csv"
    if request.method == "POST":
        # The ticked tickets in the user's queue, whatever the filter says by now (one may have left it since the
        # page was drawn), in the order the queue showed them; always few enough to send now.
        selected = [int(pk) for pk in data.getlist("ids") if pk.isdigit()][: exports.INLINE_LIMIT]
        sort = QueryDict(data.get("query", "")).get("sort", "")
        tickets = queries.queue_tickets(request.user, status="all", sort=sort).filter(pk__in=selected)
    else:
        form, _members = forms.queue_filter_form(request.user, data)
        tickets = queries.queue_tickets(request.user, **form.filters())
    total = tickets.order_by()[: exports.INLINE_LIMIT + 1].count()
    if total <= exports.INLINE_LIMIT:
        content, content_type = exports.inline_export(tickets, fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(fmt)}"'
        return response
    job = exports.request_export(owner=request.user, query=_query_string(data), fmt=fmt, total=total)
    if request.htmx:
        return render(request, "staff/_export_job.html", {"job": job})
    return redirect("staff:export_job", job_id=job.pk)


def _own_job(request, job_id) -> ExportJob:
    # Someone else's export is not found, whoever asks.
    return get_object_or_404(ExportJob, pk=job_id, owner=request.user)


@login_required
@require_GET
def export_job(request, job_id: int):
    _require_staff(request)
    job = _own_job(request, job_id)
    template = "staff/_export_job.html" if request.htmx else "staff/export_job.html"
    return render(request, template, {"job": job})


@login_required
@require_GET
def export_download(request, job_id: int):
    _require_staff(request)
    job = _own_job(request, job_id)
    if job.state == ExportJob.State.READY and not exports.may_download(request.user, job):
        raise PermissionDenied(
            _(
                "This export holds reports of a department or role you no longer have. Export your queue again: it "
                "holds what you see now."
            )
        )
    if job.state == ExportJob.State.READY and not job.file_path:  # the retention job deleted the file
        days = settings.RETENTION_EXPORT_DAYS
        messages.warning(
            request,
            ngettext(
                "This export's file was deleted: exports are kept for %(days)s day. Export your queue again.",
                "This export's file was deleted: exports are kept for %(days)s days. Export your queue again.",
                days,
            )
            % {"days": days},
        )
        return redirect("staff:export_job", job_id=job.pk)
    path = exports.job_file(job) if job.state == ExportJob.State.READY else None
    if path is None or not path.exists():
        raise Http404(_("This export is not ready."))
    name = f"tiket-export-{job.pk}.{job.format}"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type=exports.CONTENT_TYPES[job.format]
    )


# --- saved filters -------------------------------------------------------------------------------


@login_required
@require_POST
def save_filter(request):
    _require_staff(request)
    form = forms.SavedFilterForm(request.POST)
    query = _query_string(QueryDict(request.POST.get("query", "")))[:1000]
    if form.is_valid():
        saved = form.save(commit=False)
        saved.owner = request.user
        department_ids = queries.department_ids_of(request.user)
        saved.department_id = department_ids[0] if department_ids else None
        saved.shared = saved.shared and saved.department_id is not None
        saved.query = query
        saved.save()
        messages.success(request, _("Filter saved."))
    else:
        messages.error(request, _("Give the filter a name."))
    return redirect(f"{reverse('staff:queue')}?{query}")


@login_required
@require_POST
def delete_filter(request, filter_id: int):
    _require_staff(request)
    get_object_or_404(SavedFilter, pk=filter_id, owner=request.user).delete()
    messages.success(request, _("Filter deleted."))
    return redirect("staff:queue")


# --- ticket page ---------------------------------------------------------------------------------


ACTION_FORMS = {
    "acknowledge": forms.EmptyForm,
    "start": forms.EmptyForm,
    "reply": forms.ReplyForm,
    "ask_info": forms.MessageForm,
    "note": forms.MessageForm,
    "ask_explanation": forms.MessageForm,
    "assign": forms.AssignForm,
    "priority": forms.PriorityForm,
    "resolve": forms.ResolveForm,
    "reject": forms.ReasonForm,
    "forward": forms.ForwardForm,
    "merge": forms.MergeForm,
    "reopen": forms.ReasonForm,
}


def _make_form(name: str, ticket: Ticket, data=None, files=None, members=None):
    form_class = ACTION_FORMS[name]
    kwargs = {}
    if name in ("reply", "forward", "assign"):
        kwargs["ticket"] = ticket
    if name == "assign":
        kwargs["members"] = members if members is not None else queries.department_members(ticket.department_id)
    if name == "priority":
        kwargs["initial"] = {"priority": ticket.priority}
    form = form_class(data, files, prefix=name, **kwargs) if data is not None else form_class(prefix=name, **kwargs)
    if name in CITIZEN_READS:
        # As help text, Django's widget points aria-describedby at it: a screen reader says it with the field.
        form.fields[CITIZEN_READS[name]].help_text = citizen_reads_hint(ticket)
    return form


# The text fields of the actions whose text goes on the report's page and into the citizen's email (the internal
# note's form says that only staff see it).
CITIZEN_READS = {
    "reply": "message",
    "ask_info": "message",
    "resolve": "note",
    "reject": "reason",
    "forward": "reason",
    "reopen": "reason",
}


def citizen_reads_hint(ticket: Ticket) -> str:
    """Who reads an action's text: everyone, on a public or anonymous report's public page; on a confidential one,
    its reporter only. A reporter without email or account reads it nowhere: only what staff tell them by phone."""
    confidential = ticket.privacy == Privacy.CONFIDENTIAL
    if reporter_has_no_email(ticket):
        if confidential:
            return _("The citizen has no email and cannot open this report's page: tell them by phone.")
        return _("Everyone reads this on the report's public page. The citizen has no email: tell them by phone.")
    if confidential:
        return _("The citizen reads this in their email and on their report's page.")
    return _("Everyone reads this on the report's public page, and the citizen in their email.")


def allowed_actions(user, ticket: Ticket) -> list[str]:
    """The action forms the page offers: workflow transitions plus the changes staff may make."""
    names = [t.name for t in workflow.available_transitions(user, ticket) if t.name in ACTION_FORMS]
    if workflow.can_change(user, ticket):
        names += ["reply", "ask_info", "assign", "priority"]
    # The department's notes; the inspectorate's too, and its question to the department (workflow.CHANGES).
    names += [change for change in ("note", "ask_explanation") if workflow.may(user, change, ticket)]
    order = list(ACTION_FORMS)
    return sorted(set(names), key=order.index)


# The action forms keep what the officer types in the tab (static/js/form-draft.js) until the server has it, lest a
# lost connection at "Save" take it: each form carries a one-time key (draft_key), and the page names the keys of the
# last actions that arrived from this session, whose drafts are then forgotten instead of refilled.
ARRIVED_DRAFTS_SESSION_KEY = "staff_action_drafts_arrived"
ARRIVED_DRAFTS_KEPT = 20
DRAFT_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _note_arrived_draft(request) -> None:
    key = request.POST.get("draft_key", "")
    if DRAFT_KEY_PATTERN.fullmatch(key):
        arrived = request.session.get(ARRIVED_DRAFTS_SESSION_KEY, [])
        request.session[ARRIVED_DRAFTS_SESSION_KEY] = [*arrived, key][-ARRIVED_DRAFTS_KEPT:]


def _draft_context(request) -> dict:
    return {
        "draft_key": secrets.token_urlsafe(12),  # each form adds its name: one key per form and page
        "arrived_draft_keys": " ".join(request.session.get(ARRIVED_DRAFTS_SESSION_KEY, [])),
        "draft_owner": draft_owner(request.user),
    }


def _ticket_context(request, ticket: Ticket, bound: dict | None = None) -> dict:
    user = request.user
    members = queries.department_members(ticket.department_id)
    names = allowed_actions(user, ticket)
    # A refused action's form stays on the page with what was typed even when the ticket no longer allows it (it
    # was resolved or closed from another page meanwhile): the officer keeps the text to use elsewhere.
    names += [name for name in bound or {} if name not in names]
    action_forms = {name: (bound or {}).get(name) or _make_form(name, ticket, members=members) for name in names}
    canned = list(CannedResponse.objects.filter(department_id=ticket.department_id))
    from .actions import render_canned_response

    canned_texts = {str(c.pk): render_canned_response(canned=c, ticket=ticket) for c in canned}
    candidates = queries.duplicate_candidates_for(user, ticket)
    # Counted only when the list is full: a surge's master ticket gathers dozens, the page lists the newest.
    candidate_total = (
        queries.duplicate_candidate_total(user, ticket)
        if len(candidates) >= queries.DUPLICATES_SHOWN
        else len(candidates)
    )
    nearby = queries.nearby_tickets(user, ticket)
    now = timezone.now()
    show_reporter = queries.can_see_reporter(user, ticket)
    map_points = [
        {
            "lat": t.lat,
            "lng": t.lng,
            "reference": t.reference,
            "title": t.title,
            "kind": "candidate" if t in candidates else "nearby",
            "url": reverse("staff:ticket", args=[t.reference]),
        }
        for t in {**{t.pk: t for t in nearby}, **{t.pk: t for t in candidates}}.values()
        if t.lat is not None
    ]
    return {
        "ticket": ticket,
        "timeline": [
            (event, event_details(event.type, event.payload, message_shown=True))
            for event in queries.staff_ticket_timeline(ticket)
        ],
        "photos": queries.ticket_photos(ticket),
        "show_reporter": show_reporter,
        "action_forms": action_forms,
        "canned_texts": canned_texts,
        "candidates": candidates,
        "candidate_total": candidate_total,
        "nearby": nearby,
        "map_data": {
            "ticket": {"lat": ticket.lat, "lng": ticket.lng, "reference": ticket.reference},
            "points": map_points,
            "boundaries_url": reverse("staff:boundaries"),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
        "answers": answers_of(ticket, private=show_reporter),
        "missed_deadlines": queries.missed_deadlines(ticket, now),
        # An assignee who left the department (or whose account is off) is shown so, for the head to reassign.
        "assignee_has_left": assignee_has_left(ticket),
        # While the department waits for the citizen's answer the page says until when the wait may pause the clock.
        "wait_resumes_by": (
            add_working_days(ticket.waiting_for_citizen_since, info_wait_working_days())
            if ticket.waiting_for_citizen_since
            else None
        ),
        "now": now,
        "Status": Status,
        # A reporter without email or account: questions and replies reach them only by phone (the page says so).
        "reporter_has_no_email": reporter_has_no_email(ticket),
        "reporter_phone": reporter_phone_for(user, ticket),
        **_draft_context(request),
    }


@login_required
@require_GET
def ticket_page(request, reference: str):
    _require_staff(request)
    ticket = queries.staff_ticket(request.user, reference)
    if ticket is None:
        return _outside_the_queue(request, reference)
    context = _ticket_context(request, ticket)
    return render(request, "staff/ticket.html", context)


def _run_action(request, name: str, ticket: Ticket, form) -> Ticket:
    data = form.cleaned_data
    actor = request.user
    if name == "acknowledge":
        return actions.acknowledge_ticket(ticket=ticket, actor=actor)
    if name == "start":
        return actions.start_work(ticket=ticket, actor=actor)
    if name == "reply":
        return actions.reply_publicly(
            ticket=ticket, actor=actor, message=data["message"], canned_response=data["canned_response"]
        )
    if name == "ask_info":
        return actions.ask_for_information(ticket=ticket, actor=actor, message=data["message"])
    if name == "note":
        return actions.add_internal_note(ticket=ticket, actor=actor, message=data["message"])
    if name == "ask_explanation":
        return actions.ask_department_for_explanation(ticket=ticket, actor=actor, message=data["message"])
    if name == "assign":
        return actions.assign_ticket(
            ticket=ticket, actor=actor, assignee=data["assignee"], seen_assignee_id=data["seen_assignee"]
        )
    if name == "priority":
        return actions.set_priority(ticket=ticket, actor=actor, priority=data["priority"])
    if name == "resolve":
        return actions.resolve_ticket(ticket=ticket, actor=actor, note=data["note"], photos=data["photos"])
    if name == "reject":
        return actions.reject_ticket(ticket=ticket, actor=actor, reason=data["reason"])
    if name == "reopen":
        return actions.staff_reopen_ticket(ticket=ticket, actor=actor, reason=data["reason"])
    if name == "merge":
        return actions.merge_ticket(ticket=ticket, into=_merge_target(actor, data["into"]), actor=actor)
    if name == "forward":
        forward_ticket = getattr(actions, "forward_ticket", None)
        if forward_ticket is None:  # the routing module is not installed yet
            raise ValidationError(_("Forwarding is not available yet."))
        return forward_ticket(
            ticket=ticket, actor=actor, department=data["department"], reason=data["reason"], service=data["service"]
        )
    raise Http404


SUCCESS_MESSAGES = {
    "acknowledge": gettext_lazy("Ticket verified."),
    "start": gettext_lazy("Work started."),
    "reply": gettext_lazy("Reply sent to the citizen."),
    "ask_info": gettext_lazy("Question sent to the citizen."),
    "note": gettext_lazy("Internal note added."),
    "ask_explanation": gettext_lazy("The department's heads and the ticket's assignee were asked by email."),
    "assign": gettext_lazy("Assignment saved."),
    "priority": gettext_lazy("Priority saved."),
    "resolve": gettext_lazy("Ticket resolved."),
    "reject": gettext_lazy("Ticket rejected."),
    "forward": gettext_lazy("Ticket forwarded."),
    "merge": gettext_lazy("Ticket merged."),
    "reopen": gettext_lazy("Ticket reopened."),
}


# Starting or resolving a ticket nobody held gives it to the officer who did (actions.handling._take_from_pool): the
# message says so, or they found it under their name later without knowing why.
TAKEN_MESSAGES = {
    "start": gettext_lazy("Work started. The ticket is now assigned to you."),
    "resolve": gettext_lazy("Ticket resolved. It is now assigned to you."),
}


# A reply or a question to a citizen who has neither an email address nor an account (a phone caller) reaches them
# only by phone: the page must not say it was sent.
UNSENT_MESSAGES = {
    "reply": gettext_lazy("Reply saved on the report's page, but not sent: the citizen has no email. %(reach)s"),
    "ask_info": gettext_lazy(
        "Question saved on the report's page, but not sent: the citizen has no email and cannot answer online. "
        "%(reach)s Record their answer as an internal note."
    ),
}


def reporter_has_no_email(ticket: Ticket) -> bool:
    """Whether the reporter hears nothing by email and cannot open the report online: no account, no address (a
    report filed by staff for a phone caller)."""
    return ticket.reporter_id is None and not ticket.reporter_email


def reporter_phone_for(user, ticket: Ticket) -> str:
    """The reporter's phone number, for staff who may see the reporter (never an anonymous reporter's)."""
    return ticket.reporter_phone if queries.can_see_reporter(user, ticket) else ""


def _unsent_to_citizen(user, ticket: Ticket, name: str) -> str:
    """The message that replaces "sent to the citizen" when nothing reached them, else ""."""
    if name not in UNSENT_MESSAGES or not reporter_has_no_email(ticket):
        return ""
    phone = reporter_phone_for(user, ticket)
    reach = _("Phone them at %(phone)s.") % {"phone": phone} if phone else _("They left no phone number you may see.")
    return UNSENT_MESSAGES[name] % {"reach": reach}


@login_required
@require_POST
def ticket_action(request, reference: str, name: str):
    """One action from the ticket page. 403 when the workflow does not allow it for this user,
    400 with the page and the reason when the input or the ticket's state refuses it."""
    if name not in ACTION_FORMS:
        raise Http404
    _require_staff(request)
    ticket = queries.staff_ticket(request.user, reference)
    if ticket is None:
        return _left_the_queue(request, reference, name)
    form = _make_form(name, ticket, request.POST, request.FILES)
    error = None
    held_by_nobody = ticket.assignee_id is None
    if form.is_valid():
        try:
            ticket = _run_action(request, name, ticket, form)
        except ValidationError as exc:
            error = exc
            add_action_errors(form, exc)
        else:
            if isinstance(form, KeepsPhotos):
                form.forget_kept_photos()
            _note_arrived_draft(request)
            unsent = _unsent_to_citizen(request.user, ticket, name)
            if unsent:
                messages.warning(request, unsent)
            elif name in TAKEN_MESSAGES and held_by_nobody and ticket.assignee_id == request.user.pk:
                messages.success(request, TAKEN_MESSAGES[name])
            else:
                messages.success(request, SUCCESS_MESSAGES[str(name)])
            if name == "forward" or not queries.is_staff_for(request.user, ticket):
                return redirect("staff:queue")  # it left this queue
            return redirect("staff:ticket", reference=ticket.reference)
    if isinstance(form, KeepsPhotos):
        form.keep_photos()  # the photos come back ticked instead of having to be picked again
    ticket = queries.staff_ticket(request.user, reference)
    if ticket is None:  # pragma: no cover - only if it moved away between the two reads
        raise Http404
    if isinstance(form, forms.AssignForm):
        form.refresh_seen_assignee(ticket)  # the page shows who holds it now; the choice stays
    context = _ticket_context(request, ticket, bound={name: form})
    context["failed_action"] = name
    context["error"] = _error_text(error) if error else _("Please correct the errors below.")
    return render(request, "staff/ticket.html", context, status=400)


def _outside_the_queue(request, reference: str):
    """The staff page of a ticket not (or no longer) in this officer's queue. A report they filed for a caller opens
    on its citizen page (``queries.filed_ticket``: its status and public timeline); one their department forwarded,
    or they handled, leaves a message on the queue naming the department that has it now (an email's link outlives
    the forward); anything else is a 404 that says nothing about the ticket."""
    if queries.filed_ticket(request.user, reference) is not None:
        return redirect("complaints:ticket", reference=reference)
    department = queries.forwarded_away(request.user, reference)
    if department is None:
        raise Http404(_("No ticket with this reference in your queue."))
    if moved_in_reorganisation(reference):
        text = _(
            "%(reference)s was moved to %(department)s in the reorganisation of city departments: it is no longer in "
            "your queue."
        )
    else:
        text = _("%(reference)s was forwarded to %(department)s: it is no longer in your queue.")
    messages.warning(request, text % {"reference": reference, "department": department})
    return redirect("staff:queue")


def _left_the_queue(request, reference: str, name: str):
    """An action sent from a page whose ticket one of this officer's departments has forwarded since: the queue
    says so, with the text that was typed, instead of a bare 404. Any other ticket outside the queue is a 404."""
    if queries.forwarded_away(request.user, reference) is None:
        raise Http404(_("No ticket with this reference in your queue."))
    typed = [
        request.POST[f"{name}-{field}"].strip()  # the forms' prefix is the action's name (_make_form)
        for field, form_field in ACTION_FORMS[name].base_fields.items()
        if isinstance(form_field.widget, Textarea) and request.POST.get(f"{name}-{field}", "").strip()
    ]
    if moved_in_reorganisation(reference):
        message = _(
            "%(reference)s was moved to another department in the reorganisation of city departments, so nothing was "
            "changed."
        ) % {"reference": reference}
    else:
        message = _("%(reference)s was forwarded to another department, so nothing was changed.") % {
            "reference": reference
        }
    if typed:
        message += " " + _("Your text, not sent: “%(text)s”") % {"text": " / ".join(typed)}
    messages.error(request, message)
    return redirect("staff:queue")


@require_GET
def boundaries(request):
    """Kelurahan boundaries for staff maps (public geography; cached, so every map page stays fast)."""
    from services.areas import boundaries_geojson

    data = cache.get("staff:boundaries:kelurahan")
    if data is None:
        data = boundaries_geojson()
        cache.set("staff:boundaries:kelurahan", data, 3600)
    response = JsonResponse(data)
    response["Cache-Control"] = "public, max-age=3600"
    return response


# --- a ticket's history as evidence ------------------------------------------------------------------------------


@login_required
@require_GET
def ticket_evidence(request, reference: str):
    """The ticket's whole history for an audit (``complaints.evidence``): a page to print, or, with ``?format=xlsx``
    or ``csv``, a file to download. Whoever may open the staff ticket page may take it, and nobody else: the same
    scope, and the same answers outside it (403, 404, the queue's message, the citizen page of a report filed for a
    caller)."""
    from . import evidence

    _require_staff(request)
    ticket = queries.staff_ticket(request.user, reference)
    if ticket is None:
        return _outside_the_queue(request, reference)
    fmt = request.GET.get("format")
    if fmt is not None and fmt not in evidence.FORMATS:
        raise Http404(_("No such download."))
    record = evidence.ticket_evidence(ticket, user=request.user)
    if fmt is not None:
        return evidence.download(record, fmt)
    response = render(request, "staff/ticket_evidence.html", {"evidence": record, "ticket": ticket})
    response["Cache-Control"] = "private, no-store"  # internal notes: no shared cache keeps a copy
    return response
