"""``Idempotency-Key`` for Open311's POST requests: a bridge that retries after a network timeout gets the first
answer again instead of filing a second ticket.

The rules are the REST API's filing (``smartcity.api_idempotency``), scoped to the api_key instead of an account: the
same key with the same form (fields and photos) answers 200 with the first answer and ``Idempotent-Replayed: true``;
the same key with another form is a 422; a refused request (400, 429) keeps nothing, so a corrected retry runs.

The REST API keeps its records in a table tied to an account, and an api_key has none: the claim lives in the cache
(Redis, shared by every web machine) for the same time (``API_IDEMPOTENCY_HOURS``, 24 unless set otherwise). Behind
it stands the ticket's filing key (``file_ticket(filing_key=…)``, a unique index): a retry of the same report finds the
ticket the first request filed even while that request is still running, after the cache lost the claim, or after
that time.
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.cache import cache

from smartcity.api_idempotency import body_hash, kept

# Keys are the bridge's own text; the filing key is derived from it and the api_key, so two keys' reports never meet
# (nor an account's REST filings, derived from another namespace).
_NAMESPACE = uuid.UUID("cc064719-3e3d-4e0f-b1d1-59fe46589d3e")


def _kept_seconds() -> int:
    return int(kept().total_seconds())


def form_hash(request) -> str:
    """The posted form's hash: every value of every field, and the photos by their content."""
    return body_hash({**dict(request.POST.lists()), **dict(request.FILES.lists())})


class Claim:
    def __init__(self, api_key, key: str, request):
        digest = hashlib.sha256(key.encode()).hexdigest()
        self.cache_key = f"open311:idempotency:{api_key.pk}:{digest}"
        self.filing_key = uuid.uuid5(_NAMESPACE, f"{api_key.pk}:{key}")
        self.body_hash = form_hash(request)
        self.taken = False

    def take(self) -> dict | None:
        """Hold the key for this request (None), or what an earlier request with it left: its form's hash, and its
        answer once it had one (none while it is still running)."""
        if cache.add(self.cache_key, {"body_hash": self.body_hash}, timeout=_kept_seconds()):
            self.taken = True
            return None
        # Expired between the two calls: this request runs, the filing key still finds a ticket filed before.
        return cache.get(self.cache_key) or {"body_hash": self.body_hash}

    def same_request(self, earlier: dict) -> bool:
        return earlier.get("body_hash") == self.body_hash

    def keep(self, answer: list) -> None:
        """The first answer, given again to a retry."""
        cache.set(self.cache_key, {"body_hash": self.body_hash, "answer": answer}, timeout=_kept_seconds())

    def release(self) -> None:
        """The request was refused (nothing filed): a corrected retry with the same key runs."""
        if self.taken:
            cache.delete(self.cache_key)
