"""The catalogue rows every filing reads (the service by code, its questions, the kelurahan), kept per process.

A filing used to spend three of its round trips to PostgreSQL re-reading rows that change a few times a
year. Each process now keeps what it read for ``CATALOGUE_CACHE_SECONDS`` (default 60; 0 turns the
cache off). Saving or deleting a service, question or area clears this process's copies at once; other
processes see the change within the interval, which is how long a just-deactivated service can still be
chosen. Routing, queues and pages read the database as before: only intake uses these copies, and
only to read. The cached instances are shared, so callers must not change them.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save

_lock = threading.Lock()
_entries: dict[tuple, tuple[float, object]] = {}
_MISSING = object()


def _ttl() -> float:
    return float(getattr(settings, "CATALOGUE_CACHE_SECONDS", 60))


def _cached(key: tuple, load):
    ttl = _ttl()
    if ttl <= 0:
        return load()
    now = time.monotonic()
    hit = _entries.get(key)
    if hit is not None and now - hit[0] < ttl:
        return hit[1]
    value = load()
    with _lock:
        _entries[key] = (now, value)
    return value


def clear(**_signal_kwargs) -> None:
    """Forget every cached row (also a signal receiver: any catalogue change)."""
    with _lock:
        _entries.clear()


def active_service(code: str):
    """The active ``Service`` with this code, or None."""
    from .models import Service

    def load():
        return Service.objects.filter(active=True, code=code).first()

    return _cached(("service", code), load)


def service_attributes(service) -> tuple:
    """The service's extra questions in form order."""
    from .models import ServiceAttribute

    def load():
        return tuple(ServiceAttribute.objects.filter(service_id=service.pk).order_by("order"))

    return _cached(("attributes", service.pk), load)


def area(area_id: int):
    """The ``Area`` (with its parent) without the boundary JSON, which callers here never need; None if gone."""
    from .models import Area

    def load():
        return Area.objects.select_related("parent").defer("boundary", "parent__boundary").filter(pk=area_id).first()

    value = _cached(("area", area_id), lambda: load() or _MISSING)
    return None if value is _MISSING else value


def kelurahan_boundaries_json() -> bytes:
    """The kelurahan polygons every map draws, as GeoJSON bytes: built once per process and kept like the rest
    here, so a kelurahan renamed in the admin shows its new name on the maps (it kept the old one until restart)."""

    def load():
        import json

        from .areas import boundaries_geojson

        return json.dumps(boundaries_geojson(), separators=(",", ":")).encode()

    return _cached(("kelurahan-boundaries",), load)


def connect_signals() -> None:
    from .models import Area, Service, ServiceAttribute

    for model in (Service, ServiceAttribute, Area):
        post_save.connect(clear, sender=model, dispatch_uid=f"lookups-clear-save-{model.__name__}")
        post_delete.connect(clear, sender=model, dispatch_uid=f"lookups-clear-delete-{model.__name__}")
