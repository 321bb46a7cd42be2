"""``Idempotency-Key`` for the REST API's writes: a retried request gets the first one's answer, not a second run.

An integration that timed out and sends a staff action again (a reply, a resolve) would otherwise send the citizen
the same reply twice, or be told "already resolved" about a resolve that worked. ``@idempotent`` on a view method
(above ``@action``, under ``@extend_schema``) makes it honour the header:

- The first request with a key runs, and its answer (status and JSON body) is kept with the key, the account, the
  method, the path and a hash of the body (``accounts.models.IdempotentRequest``), in the same transaction as the
  action's own changes: both are saved, or neither.
- A retry with the same key, method, path and body gets that answer again with ``Idempotent-Replayed: true``; the
  action does not run again. The same key with another method, path or body is a 422.
- Two requests with one key at the same moment: the second one's insert waits on the unique constraint until the
  first one commits (then it replays its answer) or rolls back (then it runs itself); after ``WAIT`` it gets a 409.
- Only successful answers (2xx) are kept. A refused request (401, 403, 404, 400, 409 …) changed nothing, so a
  corrected retry with the same key runs.

Records answer retries for ``API_IDEMPOTENCY_HOURS`` (24 unless set otherwise, ``kept()``); an older one is a new
request's to take, and the hourly retention job deletes it. Ticket filing uses it too (a replay is 200, not the first
answer's 201: ``replayed_status``), so a key sent again with another report is a 422 as for any write; a filing
without the header pays nothing for it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils import encoders

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 200
# How long a request waits for another one holding the same key before it is answered 409.
WAIT = "10s"
# PostgreSQL's lock_not_available: the wait above ran out.
_LOCK_NOT_AVAILABLE = "55P03"

TOO_LONG = _("Use at most 200 characters.")
NUL = _("Null characters are not allowed.")


def kept() -> dt.timedelta:
    """How long a record answers retries (``API_IDEMPOTENCY_HOURS``); the retention job deletes it after this."""
    return dt.timedelta(hours=settings.API_IDEMPOTENCY_HOURS)


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _(
        "This Idempotency-Key was already used for another request (another body, method or address). Send a new "
        "key for a new request."
    )
    default_code = "idempotency_key_reused"

    def __init__(self):
        super().__init__({HEADER: [self.default_detail]})


class StillRunning(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A request with this Idempotency-Key is still being processed; retry in a moment.")
    default_code = "idempotency_key_in_use"

    def __init__(self):
        super().__init__({HEADER: [self.default_detail]})


class _Refused(Exception):
    """Leaves the transaction (rolling it back, the record with it) with an answer that is not a success."""

    def __init__(self, response):
        super().__init__()
        self.response = response


def idempotent(view_method=None, *, replayed_status: int | None = None):
    """Make a REST API write honour ``Idempotency-Key``. Put it above ``@action`` (whose attributes it keeps) and
    under ``@extend_schema``; the schema then shows the header and the 409 and 422 answers.

    ``replayed_status``: the status a replay answers with instead of the kept one (filing: the first answer is
    201 Created, a retry creates nothing and is 200)."""
    if view_method is None:
        return functools.partial(idempotent, replayed_status=replayed_status)

    @functools.wraps(view_method)
    def run(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        # Also a decorated method calling another (a subclass's create calling its parent's): the outer one holds it.
        if not key or not request.user.is_authenticated or getattr(request, "_idempotency_claimed", False):
            return view_method(view, request, *args, **kwargs)
        request._idempotency_claimed = True
        if len(key) > MAX_KEY_LENGTH:
            raise exceptions.ValidationError({HEADER: [TOO_LONG]})
        if "\x00" in key:  # the database cannot store it
            raise exceptions.ValidationError({HEADER: [NUL]})
        claim = _Claim(request, key)
        try:
            with transaction.atomic():
                earlier = claim.take()
                if earlier is None:
                    response = view_method(view, request, *args, **kwargs)
                    if not status.is_success(response.status_code):
                        raise _Refused(response)
                    claim.record(response)
                    return response
        except _Refused as refused:
            return refused.response
        return claim.replay(earlier, status_code=replayed_status)

    _document(run)
    return run


class _Claim:
    def __init__(self, request, key: str):
        self.user_id = request.user.pk
        self.key = key
        self.method = request.method
        self.path = escape_uri_path(request.path)  # as sent: no NUL, which the database cannot store
        self.body_hash = _body_hash(request)  # reads the body: a body that cannot be read is refused here (400/413)
        self.pk = None

    def take(self):
        """Hold the key for this request (None), or the committed record of an earlier request with it."""
        from accounts.models import IdempotentRequest

        for _attempt in range(3):
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)", [WAIT])
                (previous, _set) = cursor.fetchone()
            try:
                with transaction.atomic():
                    self.pk = IdempotentRequest.objects.create(
                        user_id=self.user_id,
                        key=self.key,
                        method=self.method,
                        path=self.path,
                        body_hash=self.body_hash,
                    ).pk
                return None
            except IntegrityError:
                earlier = IdempotentRequest.objects.filter(user_id=self.user_id, key=self.key).first()
                if earlier is not None and earlier.created_at >= timezone.now() - kept():
                    return earlier
                if earlier is not None:
                    # Past its time but not deleted yet (the retention job runs hourly): a new request's, as it would
                    # be an hour later.
                    IdempotentRequest.objects.filter(pk=earlier.pk).delete()
                # Deleted by the retention job in between: take the key again.
            except OperationalError as error:
                if _sqlstate(error) == _LOCK_NOT_AVAILABLE:
                    raise StillRunning() from error
                raise
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
        raise StillRunning()

    def record(self, response) -> None:
        from accounts.models import IdempotentRequest

        body = json.dumps(response.data, cls=encoders.JSONEncoder, ensure_ascii=False)
        IdempotentRequest.objects.filter(pk=self.pk).update(status_code=response.status_code, response_body=body)

    def replay(self, earlier, *, status_code: int | None = None) -> Response:
        if (earlier.method, earlier.path, earlier.body_hash) != (self.method, self.path, self.body_hash):
            raise KeyReused()
        data = json.loads(earlier.response_body) if earlier.response_body else None
        return Response(data, status=status_code or earlier.status_code, headers={REPLAYED_HEADER: "true"})


def _body_hash(request) -> str:
    return body_hash(request.data)


def body_hash(data) -> str:
    """SHA-256 of a parsed body: the same fields in another order, or the same photos, are the same body (Open311's
    POST requests hashes its form with it too, ``open311.idempotency``)."""
    if hasattr(data, "lists"):  # a form body: every value of every field
        data = dict(data.lists())
    # Parsed JSON, or a form's strings and a multipart body's files (photos)
    text = json.dumps(data, sort_keys=True, default=_file_or_text, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _file_or_text(value) -> str:
    """An uploaded file by its name and content: the same name with another photo is another request."""
    if not hasattr(value, "chunks"):
        return str(value)
    content = hashlib.sha256()
    for chunk in value.chunks():  # from its start
        content.update(chunk)
    value.seek(0)  # for the view, which reads it again
    return f"{value.name}:{content.hexdigest()}"


def _sqlstate(error) -> str | None:
    cause = error.__cause__
    return getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)


# --- the schema -------------------------------------------------------------------------------------------------

KEY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Any text up to 200 characters, new for each action; a retry sends the same key with the same "
    "body. The first successful answer is kept for 24 hours unless the city set otherwise, and given again (with "
    "Idempotent-Replayed: true) instead of doing the action twice.",
)
REPLAYED_PARAMETER = OpenApiParameter(
    REPLAYED_HEADER,
    str,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description="true when this is the answer kept for the request's Idempotency-Key, given again.",
)


def _answers() -> dict:
    # Imported here: api_errors imports DRF's views, which read the parsers api_errors defines (a cycle when this
    # module is imported first).
    from .api_errors import ErrorBodySerializer

    return {
        409: OpenApiResponse(
            ErrorBodySerializer, description="A request with the same Idempotency-Key is still being processed; retry."
        ),
        422: OpenApiResponse(
            ErrorBodySerializer,
            description="The Idempotency-Key was already used for another body, method or address.",
        ),
    }


def _document(view_method) -> None:
    """Show the header and the answers in the schema, through the view method's schema class as
    ``@extend_schema`` does (an ``@extend_schema`` above it subclasses this one; its ``responses`` replace the
    serializers, not these answers, which are added to the bodies)."""
    if not hasattr(view_method, "kwargs"):
        view_method.kwargs = {}
    base = view_method.kwargs.get("schema") or api_settings.DEFAULT_SCHEMA_CLASS

    class IdempotentSchema(base):
        def get_override_parameters(self):
            return [*super().get_override_parameters(), KEY_PARAMETER, REPLAYED_PARAMETER]

        def _get_response_bodies(self, direction="response"):
            bodies = super()._get_response_bodies(direction)
            for code, answer in _answers().items():
                bodies.setdefault(str(code), self._get_response_for_code(answer, str(code), direction=direction))
            return bodies

    view_method.kwargs["schema"] = IdempotentSchema
