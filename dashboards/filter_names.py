"""The filters' names in addresses, shared by the dashboards and the public activities list.

Both take the staff activity list's Indonesian names too (``?dinas=pupr&tahap=in_execution``, ``planning.forms.
ActivityFilterForm``): an address copied from that list opened the first department's dashboard, or the whole
city's list of activities, as if nothing had been asked. A download names a parameter it does not know rather than
answer with a wider file (``unknown``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import QueryDict
from django.utils.translation import gettext as _

# The staff activity list's name -> the name the dashboards and the public list give the same filter.
ALIASES = {"dinas": "department", "tahap": "stage"}


def canonical(query: QueryDict) -> QueryDict:
    """A mutable copy of ``query`` with each alias under its own name; the own name wins when both are given."""
    data = query.copy()
    for alias, name in ALIASES.items():
        if alias in data:
            values = data.pop(alias)
            if name not in data:
                data.setlist(name, values)
    return data


def unknown(query: QueryDict, known: Iterable[str]) -> dict[str, list[str]]:
    """The parameters of ``query`` that name no filter of ``known`` (under its name or an alias), each with why, by
    the name typed: for a download's 400 (``dashboards.views._refused``)."""
    known = set(known)
    why = _("There is no such filter here; the filters are: %(names)s.") % {"names": ", ".join(sorted(known))}
    return {name: [why] for name in query if name not in known and ALIASES.get(name) not in known}
