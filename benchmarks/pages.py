"""Server time and SQL queries per request of the pages people wait for, at the seeded volume.

Runs in-process with Django's test client against the benchmark database and
production settings, so the time is the server's alone (no network, no load
generator). URLs are found by name in the URL configuration, so a page added by
another part of the portal is measured as soon as it exists.
"""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, get_resolver, reverse

from .common import summary_ms


def _names(namespace: str) -> list[str]:
    resolver = get_resolver()
    try:
        sub = resolver.namespace_dict[namespace][1]
    except KeyError:
        return []
    return [n for n in sub.reverse_dict if isinstance(n, str)]


def find_url(namespace: str, words: tuple[str, ...], kwargs_options: tuple[dict, ...] = ({},)) -> str | None:
    """The first URL in ``namespace`` whose name contains one of ``words`` (in order) and reverses."""
    names = _names(namespace)
    for word in words:
        for name in sorted(n for n in names if word in n):
            for kwargs in kwargs_options:
                try:
                    return reverse(f"{namespace}:{name}", kwargs=kwargs)
                except NoReverseMatch:
                    continue
    return None


def _time(client: Client, url: str, requests: int, headers: dict | None = None) -> dict:
    headers = headers or {}
    for _ in range(3):  # warm caches and connections
        response = client.get(url, **headers)
    if response.status_code != 200:
        return {"error": f"{url} answered {response.status_code}"}
    timings = []
    queries = 0
    for i in range(requests):
        if i == requests - 1:
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                client.get(url, **headers)
                timings.append(time.perf_counter() - started)
            queries = len(ctx.captured_queries)
        else:
            started = time.perf_counter()
            client.get(url, **headers)
            timings.append(time.perf_counter() - started)
    stats = summary_ms(timings)
    return {"url": url, "p50_ms": stats["p50_ms"], "p95_ms": stats["p95_ms"], "queries": queries, "n": stats["n"]}


def measure_pages(accounts: dict, *, requests: int = 30) -> dict:
    from complaints.queries import public_tickets

    staff, head = accounts["staff"], accounts["head"]
    department = accounts["department"]
    # A ticket both pages may show: the public one only shows what public_tickets() lets through.
    ticket = (
        public_tickets()
        .filter(department=department, privacy="public")
        .order_by("-created_at")
        .only("pk", "reference")
        .first()
    )
    ref_kwargs: tuple[dict, ...] = ({},)
    if ticket:
        ref_kwargs = (
            {"reference": ticket.reference},
            {"ref": ticket.reference},
            {"pk": ticket.pk},
            {"ticket_id": ticket.pk},
        )

    ten_minutes_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).replace(microsecond=0).isoformat()
    changes_since = urlencode({"updated_after": ten_minutes_ago, "ordering": "updated_at"})

    def logged_in(user) -> Client:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        return client

    plan = [
        ("staff queue", logged_in(staff), find_url("staff", ("queue", "antrian"))),
        ("staff ticket page", logged_in(staff), find_url("staff", ("ticket", "detail"), ref_kwargs)),
        (
            "public ticket page",
            Client(HTTP_HOST="127.0.0.1"),
            find_url("complaints", ("detail", "ticket", "public_ticket"), ref_kwargs),
        ),
        (
            "public map data",
            Client(HTTP_HOST="127.0.0.1"),
            find_url("complaints", ("map_data", "geojson", "map_json", "map")),
        ),
        ("public list", Client(HTTP_HOST="127.0.0.1"), find_url("complaints", ("public_list",))),
        ("dashboard public", Client(HTTP_HOST="127.0.0.1"), find_url("dashboards", ("public",))),
        ("dashboard department", logged_in(head), find_url("dashboards", ("department",))),
        ("dashboard city", logged_in(accounts.get("inspector") or head), find_url("dashboards", ("city",))),
        ("API ticket list", Client(HTTP_HOST="127.0.0.1"), "/api/v1/tickets/"),
        # How the API documents following changes: what an integration asks every minute or so.
        ("API changes since a poll", Client(HTTP_HOST="127.0.0.1"), f"/api/v1/tickets/?{changes_since}"),
    ]
    figures = {}
    for name, client, url in plan:
        if not url:
            figures[name] = {"error": "no such page in the URL configuration yet"}
            continue
        headers = {}
        if name.startswith("API"):
            headers = {"HTTP_AUTHORIZATION": f"Token {accounts['token']}"}
        try:
            figures[name] = _time(client, url, requests, headers)
        except Exception as exc:  # noqa: BLE001 - one broken page does not stop the others
            figures[name] = {"error": f"{exc.__class__.__name__}: {str(exc)[:300]}"}
    return figures
