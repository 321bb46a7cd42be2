"""GeoReport v2 bodies in JSON and XML.

The XML shapes follow the specification: a root element, one child per item
(``<services><service>…``, ``<service_requests><request>…``, ``<errors><error>…``),
nested lists as a wrapper with singular children (``<attributes><attribute>``,
``<values><value>``, ``<notes><note>``, ``<formats><format>``).
"""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

from django.http import HttpResponse

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# List wrapper -> element name of each child.
CHILD_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "notes": "note",
    "endpoints": "endpoint",
    "formats": "format",
}


# Characters XML 1.0 cannot carry (a pasted form feed would make the whole document unreadable); JSON leaves them
# out too.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _without_control_characters(value):
    """``value`` with every string's characters XML cannot carry removed (tab and line breaks stay), so that JSON
    and XML give a client the same text."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {key: _without_control_characters(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_control_characters(item) for item in value]
    return value


def _append(parent: ET.Element, name: str, value) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list | tuple):
        child = CHILD_NAMES.get(name, "item")
        for item in value:
            _append(element, child, item)
    else:
        element.text = _text(value)


def to_xml(root: str, data) -> bytes:
    """``data`` is a list (children of ``root``) or a dict (fields of ``root``)."""
    element = ET.Element(root)
    if isinstance(data, dict):
        for key, value in data.items():
            _append(element, key, value)
    else:
        child = CHILD_NAMES.get(root, "item")
        for item in data:
            _append(element, child, item)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")


def render(data, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    fmt = fmt if fmt in FORMATS else "json"
    if fmt == "xml":
        body = to_xml(root, data)
    else:
        body = json.dumps(_without_control_characters(data), ensure_ascii=False).encode("utf-8")
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    response["Access-Control-Allow-Origin"] = "*"
    return response


def render_errors(errors: list[tuple[int, str]], fmt: str, *, status: int) -> HttpResponse:
    """Errors as the specification shows them: a list of ``{code, description}``."""
    return render(
        [{"code": code, "description": str(description)} for code, description in errors],
        fmt,
        root="errors",
        status=status,
    )
