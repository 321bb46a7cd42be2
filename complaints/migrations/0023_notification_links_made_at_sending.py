"""Outgoing emails no longer store the links that act without logging in: a guest reporter's personal follow link,
the confirmation link and the "stop these emails" link. An administrator reading the email log in the admin could
open them and act as the citizen (open a confidential report, reopen it, rate it). The sender now makes them when it
sends (``complaints.notifications.email_links``) from what the row says: ``subscription_id`` for the "stop" link,
the ticket for the confirmation link, ``personal_link`` for the follow link.

Here the rows of a running city lose the stored links and say which ones their email carries, so an email queued
before the upgrade still goes out with working links, made at sending.
"""

from django.core import signing
from django.db import migrations
from django.db.models import Q

EMAIL_OFF_SALT = "complaints.email_off"  # complaints.actions.closing.EMAIL_OFF_SALT
STOP_LINK_KEYS = ("stop_url", "email_off_url")
BATCH = 1000


def _subscription_id(Subscription, row, link: str) -> int | None:
    """The subscription a stored "stop" link was signed for, or the one of the row's recipient on its ticket."""
    try:
        return int(signing.loads(str(link).rstrip("/").rsplit("/", 1)[-1], salt=EMAIL_OFF_SALT))
    except (signing.BadSignature, TypeError, ValueError):  # signed with another SECRET_KEY, or not a link of ours
        pass
    if row.ticket_id is None:
        return None
    whose = {"user_id": row.recipient_id} if row.recipient_id else {"user__isnull": True, "email__iexact": row.email}
    return Subscription.objects.filter(ticket_id=row.ticket_id, **whose).values_list("pk", flat=True).first()


def without_links(context: dict, *, template: str, subscription_id) -> dict:
    context = dict(context)
    for key in STOP_LINK_KEYS:
        context.pop(key, None)
    if subscription_id and "subscription_id" not in context:
        context["subscription_id"] = subscription_id
    url = str(context.get("url") or "")
    if template == "confirm_ticket":
        context.pop("url", None)  # /lapor/konfirmasi/<token>/
    elif "/ikuti/" in url:
        context["url"] = url.split("/ikuti/", 1)[0] + "/"  # the report's public address, as for any follower
    return context


def take_links_out(apps, schema_editor):
    Notification = apps.get_model("complaints", "Notification")
    Subscription = apps.get_model("complaints", "Subscription")
    holding = (
        Q(context__has_any_keys=list(STOP_LINK_KEYS)) | Q(template="confirm_ticket") | Q(context__personal_link=True)
    )
    changed = []
    rows = Notification.objects.filter(holding).only("pk", "ticket_id", "recipient_id", "email", "template", "context")
    for row in rows.iterator(chunk_size=BATCH):
        link = next((row.context[key] for key in STOP_LINK_KEYS if row.context.get(key)), None)
        subscription_id = _subscription_id(Subscription, row, link) if link else None
        context = without_links(row.context, template=row.template, subscription_id=subscription_id)
        if context != row.context:
            row.context = context
            changed.append(row)
        if len(changed) >= BATCH:
            Notification.objects.bulk_update(changed, ["context"])
            changed = []
    if changed:
        Notification.objects.bulk_update(changed, ["context"])


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0022_ticket_filing_key"),
    ]

    operations = [
        # Nothing to put back: the sender makes the links from what the rows now say, before and after.
        migrations.RunPython(take_links_out, migrations.RunPython.noop),
    ]
