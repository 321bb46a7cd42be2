"""The REST API's OpenAPI schema class: the error answers every operation of a kind gives, documented once.

An operation's own ``@extend_schema`` responses come first; this adds what the framework itself answers
and the views never mention: a list with filters refuses a bad filter value (400), a paged list refuses a page
past the end (404), an address with a code or reference in it answers 404 for one that does not exist (or that the
reader may not see), and an operation with a request body refuses a body it cannot parse (415). A method a path
does not offer (405) has no operation to document it under.
"""

from __future__ import annotations

import uritemplate
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse

from .api_errors import ErrorBodySerializer

BAD_FILTER = OpenApiResponse(ErrorBodySerializer, description="A filter parameter has an invalid value.")
NO_SUCH_PAGE = OpenApiResponse(ErrorBodySerializer, description="No such page.")
NOT_FOUND = OpenApiResponse(ErrorBodySerializer, description="Not found or not visible to you.")
UNSUPPORTED_BODY = OpenApiResponse(
    ErrorBodySerializer, description="The body is not JSON, form data or multipart form data."
)


class AutoSchema(SpectacularAutoSchema):
    # ``_get_response_bodies`` rather than ``get_response_serializers``: ``@extend_schema(responses=…)`` replaces
    # the latter in a subclass, and the framework's answers belong to those operations too.
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        for code, answer in self._framework_errors().items():
            bodies.setdefault(str(code), self._get_response_for_code(answer, str(code), direction=direction))
        return bodies

    def _framework_errors(self) -> dict:
        errors = {}
        if self.method == "GET":
            if self._get_filter_parameters():
                errors[400] = BAD_FILTER
            if self._is_list_view() and self._get_paginator() is not None:
                errors[404] = NO_SUCH_PAGE
        if uritemplate.variables(self.path):  # services/{code}/ and the like: an unknown one is a 404
            errors.setdefault(404, NOT_FOUND)
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None:
            errors[415] = UNSUPPORTED_BODY
        return errors
