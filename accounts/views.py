"""Account pages of our own; allauth serves sign-in, email addresses and passwords. The privacy notice is here too:
it speaks for the whole portal, accounts and reports alike.

accounts/ knows nothing of tickets (ARCHITECTURE), with one explicit exception: the pages through which a citizen
exercises their rights over their personal data (UU 27/2022 PDP) call complaints' personal-data functions by name:
the profile (a corrected name or phone number reaches their reports), "Your data" (download, stop showing their
name) and deleting the account (their reports stay, their personal data on them goes); so does the user admin when
an administrator deletes someone, and ``accounts.receivers`` when allauth reports a changed email address. Reads are
``complaints.personal_data``, writes ``complaints.actions.personal_data``; nothing else in accounts imports complaints.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaints import personal_data
from complaints.actions import personal_data as personal_data_actions

from .forms import DeleteAccountForm, ProfileForm
from .roles import may_delete_own_account


@require_GET
def privacy_notice(request):
    """Who holds a citizen's data, what, why, who sees it, for how long, and their rights (UU 27/2022 PDP)."""
    return render(request, "privacy.html", {"contact_email": settings.PRIVACY_CONTACT_EMAIL})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                user = form.save()
                # Correction (UU PDP Pasal 6): the name and phone number copied onto their reports when they filed
                # them follow the profile, for the staff who read them and the public name "show my name" shows.
                personal_data_actions.copy_profile_to_reports(user=user)
            messages.success(request, _("Your profile is saved."))
            return redirect("account_profile")
        return render(request, "account/profile.html", {"form": form}, status=400)
    return render(request, "account/profile.html", {"form": form})


@login_required
@require_GET
def your_data(request):
    """What the portal holds about the citizen: the download, the reports that show their name, deleting."""
    return render(
        request,
        "account/your_data.html",
        {
            "named_reports": personal_data.reports_showing_name(request.user),
            "may_delete": may_delete_own_account(request.user),
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
        },
    )


@login_required
@require_GET
def your_data_download(request):
    """Everything the portal holds about the citizen, as one JSON file (UU PDP Pasal 7 and 13)."""
    data = personal_data.export(request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    day = timezone.localdate().isoformat()
    # Named in the page's language, like the page that offers it ("Download my data"): an ASCII slug per language.
    filename = _("lapor-banjarmasin-my-data-%(day)s.json") % {"day": day}
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # personal data: no proxy or shared browser cache keeps a copy
    return response


@login_required
@require_POST
def hide_name(request, reference: str):
    """Stop showing the citizen's name with one of their public reports (withdrawing their consent, Pasal 9)."""
    ticket = personal_data.their_tickets(request.user).filter(reference=reference).first()
    if ticket is None:
        raise Http404
    personal_data_actions.hide_reporter_name(ticket=ticket, actor=request.user)
    messages.success(request, _("%(reference)s no longer shows your name.") % {"reference": ticket.reference})
    return redirect("account_data")


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """The citizen deletes their account (Pasal 8): the city keeps their reports as its record, without their name,
    email address or phone number; their subscriptions, emails and account go. Staff ask the administrator."""
    user = request.user
    context = {"contact_email": settings.PRIVACY_CONTACT_EMAIL}
    if not may_delete_own_account(user):
        return render(request, "account/delete.html", {**context, "refused": True}, status=403 if request.POST else 200)
    if not user.has_usable_password():
        return render(
            request, "account/delete.html", {**context, "needs_password": True}, status=400 if request.POST else 200
        )
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "account/delete.html", {**context, "form": form}, status=400)
        with transaction.atomic():
            personal_data_actions.forget_reporter(user=user)
            user.delete()
        logout(request)
        messages.success(
            request,
            _("Your account is deleted. Your reports stay with the city, without your name, email address or phone."),
        )
        return redirect("home")
    return render(request, "account/delete.html", {**context, "form": form})
