"""Who is told what: turns ticket events into outgoing ``Notification`` rows.

Rows are written in the caller's transaction and sent by ``tasks.send_notification``
after commit; ``dedup_key`` (event × recipient) makes a change notify a person once.

A row never holds a link that acts without logging in (a guest reporter's personal follow link, the confirmation
link, the "stop these emails" link): administrators read the rows in the admin, and such a link would let them act
as the citizen. A row says which links its email carries (``subscription_id``, ``personal_link``) and
``email_links`` makes them when the email is sent.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.urls import reverse

from smartcity.site_links import absolute_url
from smartcity.taskqueue import enqueue_on_commit

from . import follow
from .models import Attachment, EventType, Notification, Status, Subscription, Ticket, TicketEvent
from .queries import followers_may_see
from .routing import PRIORITY_URGENT

# Events that citizens (reporter and supporters) are told about by email.
CITIZEN_EMAIL_EVENTS = frozenset(
    {
        EventType.ROUTED,
        EventType.ACKNOWLEDGED,
        EventType.STARTED,  # the filing page promises an email at every step
        EventType.REPLY,
        EventType.INFO_REQUESTED,
        EventType.FORWARDED,
        EventType.TRANSFERRED,
        EventType.RESOLVED,
        EventType.REOPENED,
        EventType.CLOSED,
        EventType.REJECTED,
        EventType.MERGED,
        EventType.PLAN_UPDATE,
    }
)


# Context keys holding an ISO datetime: ``complaints.mail`` turns them back into datetimes, so the templates show
# them as dates in the recipient's language and in WITA.
DATE_FIELDS = ("response_due_at", "resolution_due_at", "window_end")


def ticket_url(ticket: Ticket) -> str:
    return absolute_url(reverse("complaints:ticket", args=[ticket.reference]))


def staff_ticket_url(ticket: Ticket) -> str:
    return absolute_url(reverse("staff:ticket", args=[ticket.reference]))


def _iso(moment) -> str:
    return moment.isoformat() if moment else ""


# Set while a routing batch collects its notification rows (see ``NotificationBatch``).
_collector: contextvars.ContextVar[dict | None] = contextvars.ContextVar("notification_collector", default=None)
# Set while a sweep holds back the sending of the rows it writes (see ``sent_together``).
_held: contextvars.ContextVar[list | None] = contextvars.ContextVar("notifications_held", default=None)

# How many notifications one ``send_notifications`` task sends over one SMTP connection.
SEND_CHUNK = 100


def _create_one(notification: Notification) -> Notification | None:
    try:
        with transaction.atomic():
            notification.save(force_insert=True)
    except IntegrityError:
        return None  # already queued for this change and person
    return notification


def _queue(*, ticket, event, email, recipient=None, language="id", template, context) -> Notification | None:
    key = f"{template}:{event.pk if event else ticket.pk}:{email.lower()}"
    notification = Notification(
        dedup_key=key[:200],
        ticket=ticket,
        event=event,
        recipient=recipient,
        email=email,
        language=language,
        template=template,
        context=context,
    )
    collected = _collector.get()
    if collected is not None:
        if notification.dedup_key in collected:
            return None
        collected[notification.dedup_key] = notification
        return notification
    if _create_one(notification) is None:
        return None
    held = _held.get()
    if held is not None:
        held.append(notification.pk)
        return notification
    from .tasks import send_notification

    enqueue_on_commit(send_notification, notification.pk)
    return notification


@contextmanager
def sent_together():
    """Rows written inside the block (each in its own caller's transaction, as usual) are sent after it by
    ``send_notifications`` chunks instead of one task each, so the sender can put one person's escalations in one
    email (``mail.deliver_notifications``): a sweep escalating 200 tickets after a flood sent each inspector 200
    emails. A row whose transaction rolled back is simply not found by the sender; a block that raises still sends
    what committed (the notification sweep would otherwise send each on its own)."""
    held: list[int] = []
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)
        from .tasks import send_notifications

        for start in range(0, len(held), SEND_CHUNK):
            enqueue_on_commit(send_notifications, held[start : start + SEND_CHUNK])


class NotificationBatch:
    """Notification rows of many tickets written with one INSERT and sent by one task per chunk.

    Used by routing batches: inside ``collecting()`` the ``notify_*`` helpers hand their rows here
    instead of inserting and enqueuing each one; rows collected in a block that raises are dropped
    (the block's savepoint rolled the event back too). ``write_and_send_on_commit()`` inserts them in
    the caller's transaction — one by one with the usual dedup check if the bulk insert meets an
    existing ``dedup_key`` — and, after commit, queues ``send_notifications`` per chunk. Each row is
    still locked and checked unsent by the sender, so a row is emailed once whoever sends it.
    """

    def __init__(self):
        self.rows: list[Notification] = []
        self.keys: set[str] = set()

    @contextmanager
    def collecting(self):
        rows: dict[str, Notification] = {}  # by dedup_key
        token = _collector.set(rows)
        try:
            yield rows
        finally:
            _collector.reset(token)
        for key, row in rows.items():
            if key not in self.keys:
                self.keys.add(key)
                self.rows.append(row)

    def write(self) -> list[int]:
        if not self.rows:
            return []
        try:
            with transaction.atomic():
                written = Notification.objects.bulk_create(self.rows)
        except IntegrityError:
            for row in self.rows:
                row.pk = None
            written = [row for row in (_create_one(row) for row in self.rows) if row is not None]
        ids = [row.pk for row in written if row.pk is not None]
        if len(ids) < len(written):  # a backend that does not return ids from a bulk insert
            keys = [row.dedup_key for row in written]
            ids = list(Notification.objects.filter(dedup_key__in=keys).values_list("pk", flat=True))
        return ids

    def write_and_send_on_commit(self) -> list[int]:
        from .tasks import send_notifications

        ids = self.write()
        for start in range(0, len(ids), SEND_CHUNK):
            enqueue_on_commit(send_notifications, ids[start : start + SEND_CHUNK])
        return ids


def _event_context(ticket: Ticket, event: TicketEvent) -> dict:
    return {
        "reference": ticket.reference,
        "title": ticket.title,
        "event_type": event.type,
        "payload": event.payload,
        "department": ticket.department.short_name if ticket.department_id else "",
        "response_due_at": _iso(ticket.response_due_at),
        "resolution_due_at": _iso(ticket.resolution_due_at),
        "url": ticket_url(ticket),
    }


def followers_of(ticket_ids) -> dict[int, list[Subscription]]:
    """Active subscriptions (with their users) of many tickets in one query, by ticket id."""
    found: dict[int, list[Subscription]] = {pk: [] for pk in ticket_ids}
    for subscription in Subscription.objects.filter(ticket_id__in=list(found), active=True).select_related("user"):
        found[subscription.ticket_id].append(subscription)
    return found


def notify_followers(*, ticket: Ticket, event: TicketEvent, subscriptions=None) -> int:
    """Email the reporter and supporters who kept updates on, except the person who made the change.

    ``subscriptions``: the ticket's active ones when the caller fetched them already (``followers_of``).
    """
    if event.type not in CITIZEN_EMAIL_EVENTS:
        return 0
    context = _event_context(ticket, event)
    if event.type == EventType.MERGED and event.payload.get("into"):
        # The report it went into, which its followers follow from now on (named only when they may open it).
        context["into_url"] = absolute_url(reverse("complaints:ticket", args=[event.payload["into"]]))
    if event.type == EventType.RESOLVED:
        from .actions.closing import close_window_end

        # Until when the reporter may reopen it: the resolved email tells them what to do and by when.
        context["window_end"] = _iso(close_window_end(ticket))
    sent = 0
    if subscriptions is None:
        subscriptions = Subscription.objects.filter(ticket=ticket, active=True).select_related("user")
    for subscription in subscriptions:
        user = subscription.user
        if user is not None and event.actor_id == user.pk:
            continue
        if subscription.reason == Subscription.Reason.REPORTER and event.payload.get("by") == "reporter":
            continue  # their own change (a reporter acting without an account, or anonymously, is no event actor)
        recipient = follower_recipient(ticket, subscription, context)
        if recipient and _queue(ticket=ticket, event=event, template=Notification.Template.TICKET_UPDATE, **recipient):
            sent += 1
    return sent


def follower_recipient(ticket: Ticket, subscription: Subscription, context: dict) -> dict | None:
    """How one follower is emailed a ``ticket_update`` about ``ticket`` (email, recipient, language, context), or
    None when they get no email (no address, the reporter switched emails off, or a follower who may not see the
    ticket: a confidential report's updates go to its reporter only, see ``queries.followers_may_see``)."""
    user = subscription.user
    email = user.email if user is not None else subscription.email
    is_reporter = subscription.reason == Subscription.Reason.REPORTER
    if not email or (is_reporter and not ticket.notify_reporter):
        return None
    if not is_reporter and not followers_may_see(ticket):
        return None
    # Every update carries its own one-click "stop these emails" link (works without an account); a reporter
    # without an account gets their personal follow link, the only way they can open a confidential report's
    # page or close the loop. Both are made when the email is sent (``email_links``), never stored.
    return {
        "email": email,
        "recipient": user,
        "language": user.language if user is not None else subscription.language,
        "context": {
            **context,
            "is_reporter": is_reporter,
            "personal_link": is_reporter and _is_guest_reporter(ticket, email, user.pk if user else None),
            "subscription_id": subscription.pk,
        },
    }


def _is_guest_reporter(ticket: Ticket, email: str, account_id: int | None) -> bool:
    """Whether an email to ``email`` (``account_id``: its recipient's account, if any) goes to the ticket's reporter
    without an account, who follows it with the personal link."""
    return account_id is None and follow.has_follow_link(ticket) and email.lower() == ticket.reporter_email.lower()


def confirmation_url(ticket: Ticket) -> str:
    return absolute_url(reverse("complaints:confirm", args=[ticket.confirmation_token]))


# What ``email_links`` reads of the ticket: the link's ingredients, not the report.
_LINK_FIELDS = ("reference", "reporter", "reporter_email", "confirmation_token")


def email_links(notification: Notification) -> dict:
    """The links that act without logging in, made for ``notification`` as it is sent (``complaints.mail``), to be
    laid over its stored context: the "stop these emails" link of the subscription it names, the confirmation link
    of a ``confirm_ticket`` or ``confirm_support`` email, a guest reporter's personal follow link. Each is checked
    against the ticket as it is now: a follow link goes only to the address the ticket's reporter has now (a changed
    address gets the public page, like any follower).

    Rows queued before links were left out of them (migration 0023 took the stored ones out) carry the same
    ingredients and get the same links."""
    from .actions.closing import email_off_url

    context = notification.context
    if notification.template == Notification.Template.CONFIRM_SUPPORT:
        # A "me too" given without an account: its confirmation link alone (it gets no emails to stop yet).
        from .actions.intake import support_confirmation_url

        return {"url": support_confirmation_url(context["subscription_id"], context["reference"])}
    links: dict = {}
    confirming = notification.template == Notification.Template.CONFIRM_TICKET
    if context.get("subscription_id"):
        # The signed token needs the subscription's id only: no query.
        off = email_off_url(Subscription(pk=context["subscription_id"]))
        links["stop_url" if confirming else "email_off_url"] = off
    if not (confirming or context.get("personal_link")):
        return links
    ticket = Ticket.objects.only(*_LINK_FIELDS).filter(pk=notification.ticket_id).first()
    if ticket is not None and confirming:
        links["url"] = confirmation_url(ticket)
    elif ticket is not None and _is_guest_reporter(ticket, notification.email, notification.recipient_id):
        links["url"] = follow.follow_url(ticket)
    else:
        links["personal_link"] = False
    return links


# Events whose photos a staff email links: a reopening ("not fixed", with up to 3 photos of what is still broken) and
# information the citizen added. The department read "Reopened" with the reason and had to open the ticket to learn
# that photos came with it. Links, never the files: a photo opens only for whoever may see the ticket
# (``photo_views``), so the department's contact address receives nothing that a sign-in does not guard.
STAFF_EMAIL_PHOTO_EVENTS = frozenset({EventType.REOPENED, EventType.CITIZEN_INFO})


def _photo_urls(event: TicketEvent) -> list[str]:
    """The addresses of the photos sent with ``event`` (those still being re-encoded open a moment later; an
    unusable one, rejected, is left out), in the order they were sent; none for other events (no query)."""
    if event.type not in STAFF_EMAIL_PHOTO_EVENTS:
        return []
    photos = (
        Attachment.objects.filter(event=event)
        .exclude(state=Attachment.State.REJECTED)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    return [absolute_url(reverse("complaints:photo", args=[pk])) for pk in photos]


def notify_staff(*, ticket: Ticket, event: TicketEvent, users=(), include_department_email: bool = True) -> int:
    """Email department staff (given users, plus the department's contact address) about a ticket."""
    # An urgent ticket's emails say so in the subject and first line (email/staff_ticket*.txt).
    urgent = ticket.priority == PRIORITY_URGENT
    context = {
        **_event_context(ticket, event),
        "staff_url": staff_ticket_url(ticket),
        "urgent": urgent,
        # Whether the email's "Verification due" still means something (nobody has verified the ticket yet).
        "awaiting_response": ticket.status == Status.ROUTED,
    }
    if photo_urls := _photo_urls(event):
        context["photo_urls"] = photo_urls
    sent = 0
    emails = {}
    for user in users:
        if user.email and user.pk != event.actor_id:
            emails[user.email.lower()] = user
    if include_department_email and ticket.department_id and ticket.department.email:
        emails.setdefault(ticket.department.email.lower(), None)
    for email, user in emails.items():
        language = user.language if user is not None else "id"
        if _queue(
            ticket=ticket,
            event=event,
            email=email,
            recipient=user,
            language=language,
            template=Notification.Template.STAFF_TICKET,
            context=context,
        ):
            sent += 1
    return sent


def notify_raised_to_urgent(*, ticket: Ticket, event: TicketEvent) -> int:
    """Staff raised ``ticket`` to urgent (``event``: the priority change): its department's heads and its assignee
    get one "[URGENT]" email each, as the urgent routing email reaches them (``actions.dispatch``), never the person
    who raised it. The department's contact address is not written to: the people who answer for it are. Queued as
    every staff email (one row per event and address, sent after commit). Returns how many were queued."""
    return notify_staff(ticket=ticket, event=event, users=heads_and_assignee(ticket), include_department_email=False)


def heads_and_assignee(ticket: Ticket) -> list:
    """The people who answer for ``ticket``: its active assignee, then its department's active heads (each once);
    whom raising it to urgent and the inspectorate's request for an explanation write to."""
    from .actions.dispatch import _heads

    users = list(_heads(ticket.department_id)) if ticket.department_id else []
    if ticket.assignee_id and ticket.assignee.is_active and ticket.assignee not in users:
        users.insert(0, ticket.assignee)
    return users


def notify_handover(*, tickets, event: TicketEvent, from_user, to_user, actor) -> Notification | None:
    """One email to ``to_user`` listing the ``tickets`` a leaving colleague's handing on gave them
    (``actions.reassign_all``; ``event``: the first one's assignment, which keys the email), as assigning one ticket
    emails its new assignee; never to whoever handed them on. Queued in the caller's transaction and sent after its
    commit, once (``queue_email``)."""
    if not tickets or not to_user.email or to_user.pk == actor.pk:
        return None
    context = {
        "from_name": from_user.full_name or from_user.email,
        "tickets": [
            {
                "reference": ticket.reference,
                "title": ticket.title,
                "department": ticket.department.short_name if ticket.department_id else "",
                "staff_url": staff_ticket_url(ticket),
            }
            for ticket in tickets
        ],
    }
    template = Notification.Template.STAFF_HANDOVER
    return queue_email(
        key=f"{template}:{event.pk}:{to_user.email.lower()}",
        email=to_user.email,
        recipient=to_user,
        language=to_user.language,
        template=template,
        context=context,
    )


def queue_email(*, key: str, email: str, template: str, context: dict, ticket=None, recipient=None, language="id"):
    """A one-off email that belongs to no event (e.g. confirm your address)."""
    notification = _create_one(
        Notification(
            dedup_key=key[:200],
            ticket=ticket,
            recipient=recipient,
            email=email,
            language=language,
            template=template,
            context=context,
        )
    )
    if notification is None:
        return None
    from .tasks import send_notification

    enqueue_on_commit(send_notification, notification.pk)
    return notification
