"""Dashboard pages and downloads: parse the filters, check who may look, render what ``queries`` computed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Case, F, When
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from complaints.models import OPEN_STATUSES
from complaints.queries import staff_tickets
from open311.views import DEFAULT_DAYS as OPEN311_DEFAULT_DAYS
from planning.money import whole_rupiah
from services.areas import BOUNDARY_ATTRIBUTION, boundaries_geojson
from services.models import Area, Department
from smartcity import spreadsheets
from smartcity.spreadsheets import (
    COMPUTED_AT_HEADER,
    CSV_TIME_FORMAT,
    XLSX_PERCENT_FORMAT,
    XLSX_RUPIAH_FORMAT,
    as_text_cell,
    as_xlsx_cell,
    as_xlsx_date,
    as_xlsx_time,
    in_wita,
    xlsx_formatted,
)

from . import charts, filter_names, links, maps
from .forms import FilterForm
from .queries import figures
from .queries.access import can_see_city, dashboard_departments
from .queries.base import DEFAULT_RANGE_DAYS, LICENCE, LICENCE_URL, MIN_SAMPLE, MONEY_COLUMNS, Filters, cached

SCOPES = ("public", "department", "city")
# Each figure's files: XLSX for a spreadsheet (numbers, Rupiah and dates as cells, whatever the reader's decimal
# comma), CSV and JSON for programs (the CSV's "75.0" is read as 750 by a spreadsheet set to Indonesian).
FORMATS = ("xlsx", "csv", "json")
CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# The filters chosen by code, as the address carries them (``FilterForm``).
CHOSEN_FILTERS = ("department", "kecamatan", "kelurahan", "service")
# Every parameter a download reads: its filters, and the snapshot of the page it was linked from.
DOWNLOAD_PARAMETERS = ("date_from", "date_to", "tahun", *CHOSEN_FILTERS, "snapshot")
ESCALATED_LIST = 20


def _chart_specs(scope: str, tables: dict) -> dict:
    builders = {
        "weekly": charts.weekly,
        "open_by_age": charts.open_by_age,
        "sla": charts.sla,
        "satisfaction": charts.satisfaction,
        "top_services": charts.top_services,
        "escalations": charts.escalations,
    }
    specs = {key: build(tables[key]) for key, build in builders.items() if key in tables}
    if "departments" in tables:
        specs["departments"] = charts.departments(tables["departments"])
        specs["department_volumes"] = charts.department_volumes(tables["departments"])
    specs.update(charts.plan_charts(tables))
    return specs


def _department_for(request, query: QueryDict) -> Department:
    """The department whose dashboard is asked for, if the user may see it (else 403)."""
    allowed = dashboard_departments(request.user)
    code = query.get("department")
    if code:
        department = allowed.filter(code=code).first()
        if department is None:
            raise PermissionDenied
        return department
    department = allowed.first()  # an active one, when there is one
    if department is None:
        raise PermissionDenied
    return department


def _form(request, scope: str) -> tuple[FilterForm, Department | None]:
    """(form, department) for ``scope``, with the access rule of that scope applied. The filters may be named as on
    the staff activity list (``filter_names``)."""
    query = filter_names.canonical(request.GET)
    if scope == "public":
        return FilterForm(query), None
    if not request.user.is_authenticated:
        raise PermissionDenied
    if scope == "city":
        if not can_see_city(request.user):
            raise PermissionDenied
        return FilterForm(query), None
    department = _department_for(request, query)
    return FilterForm(query, departments=dashboard_departments(request.user)), department


def _dashboard(scope: str, form: FilterForm, department, snapshot: str | None = None) -> dict:
    """The figures of ``scope`` under the filters ``form`` applies; ``snapshot``: those a page showed, while they are
    kept (``figures._snapshot``)."""
    if scope == "public":
        return figures.public_dashboard(form.filters(), snapshot=snapshot)
    if scope == "city":
        return figures.city_dashboard(form.filters(), snapshot=snapshot)
    return figures.department_dashboard(department, form.filters(), snapshot=snapshot)


def _shown(form: FilterForm, filters: Filters, department=None) -> QueryDict:
    """The filters the figures were computed with, as the page's links and files carry them: the dates counted and
    the plan's year always, defaults included, then the page's department and each filter applied. A link with only
    the filters typed was a rolling window (the default dates move every day, the default year when an evaluation
    ends): a figure cited from it changed under the citation. A refused filter is not applied, so not carried: a
    link or file never claims figures it does not hold."""
    params = QueryDict(mutable=True)
    params["date_from"], params["date_to"] = filters.date_from.isoformat(), filters.date_to.isoformat()
    if filters.fiscal_year:
        params["tahun"] = str(filters.fiscal_year)
    if department is not None:  # the department page's own, chosen or not
        params["department"] = department.code
    for name in CHOSEN_FILTERS:
        picked = form.cleaned_data.get(name)
        if picked is not None:
            params[name] = picked.code
    return params


def _followed(shown: QueryDict, table) -> QueryDict:
    """The page's filters ``table``'s figures follow (``Table.follows``), as its links and files carry them."""
    if table.follows is None:
        return shown
    kept = QueryDict(mutable=True)
    for name in shown:
        if name in table.follows:
            kept.setlist(name, shown.getlist(name))
    return kept


def _linked(request, scope: str, tables: dict, filters: Filters, department, shown: QueryDict) -> dict:
    """The tables of ``scope`` whose figures lead somewhere for this viewer, with their links (``links``): the
    computed tables are cached for everyone."""
    if scope == "public":
        return links.public(tables, filters, shown)
    if scope == "city":
        return links.city(request.user, tables, filters, shown)
    return links.department(request, tables, filters, department)


def _download_url(scope: str, key: str, fmt: str, shown: QueryDict, snapshot: str | None = None) -> str:
    """The address of one figure's file, with the filters the page shows, and the page's ``snapshot``: the file holds
    the figures the page showed, not ones computed since (while they are kept: ``base.SNAPSHOT_SECONDS``)."""
    if snapshot:
        shown = shown.copy()
        shown["snapshot"] = snapshot
    query = shown.urlencode()
    return reverse("dashboards:export", args=[scope, key, fmt]) + (f"?{query}" if query else "")


def _page(request, scope: str, template: str, *, narrowed=None, **extra):
    """The page of ``scope``, its figures linked to the lists behind them as the viewer may open them; ``narrowed``
    adds to the context what depends on the page's filters (``narrowed(filters)``)."""
    form, department = _form(request, scope)
    dashboard = _dashboard(scope, form, department)
    filters = form.filters()
    if narrowed is not None:
        extra.update(narrowed(filters))
    shown = _shown(form, filters, department)
    tables = {**dashboard["tables"], **_linked(request, scope, dashboard["tables"], filters, department, shown)}
    downloads = {
        key: {fmt: _download_url(scope, key, fmt, _followed(shown, table), dashboard["snapshot"]) for fmt in FORMATS}
        for key, table in tables.items()
    }
    context = {
        "form": form,
        "tables": tables,
        "charts": _chart_specs(scope, tables),
        "downloads": downloads,
        "shown_query": shown.urlencode(),
        "computed_at": dashboard["computed_at"],
        "plan_computed_at": dashboard.get("plan_at") if dashboard.get("plan") else None,
        "window": filters,
        # The period each channel counts unless told otherwise, said under the filters (the REST API's: every ticket).
        "default_days": DEFAULT_RANGE_DAYS,
        "open311_default_days": OPEN311_DEFAULT_DAYS,
        "department": department,
        "min_sample": MIN_SAMPLE,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "scope": scope,
        **maps.map_data(tables),
        **extra,
    }
    return render(request, template, context)


@require_GET
def public(request):
    return _page(request, "public", "dashboards/public.html")


@require_GET
@login_required
def department(request):
    return _page(
        request,
        "department",
        "dashboards/department.html",
        departments=dashboard_departments(request.user),
    )


def _escalated_list(user, filters: Filters) -> dict:
    """The open escalated tickets the viewer may open, in the page's department, place and service (whenever filed,
    as the escalations table counts them): the most escalated first, then the longest missed date."""
    escalated = staff_tickets(user).filter(filters.where(dates=False), status__in=OPEN_STATUSES, escalation_level__gt=0)
    missed = Case(When(escalated_deadline="response", then=F("response_due_at")), default=F("resolution_due_at"))
    listed = list(escalated.select_related("department").order_by("-escalation_level", missed, "id")[:ESCALATED_LIST])
    # How many there are in all, and the queue that lists every one of them (in the viewer's staff scope).
    total = escalated.count() if len(listed) == ESCALATED_LIST else len(listed)
    return {
        "escalated_tickets": listed,
        "escalated_total": total,
        "escalated_queue": links.QueueLinks(user, filters).to(status="open", dates=False, escalated=1),
    }


@require_GET
@login_required
def city(request):
    return _page(
        request, "city", "dashboards/city.html", narrowed=lambda filters: _escalated_list(request.user, filters)
    )


# Where a CSV row's value is a code, the row carries its label in the page's language next to it (``status`` and
# ``status_label``): the JSON keeps both, a spreadsheet gets the word a reader knows.
LABEL_SUFFIX = "_label"


class OpenDataJSONEncoder(DjangoJSONEncoder):
    """Money and percentages (``Decimal``) as JSON numbers, like the files' counts and ticket rates: they were strings
    ("80000000.00", "37.5") that a spreadsheet or script read as text. A whole amount is an integer."""

    def default(self, o):
        if isinstance(o, Decimal):
            return int(o) if o == o.to_integral_value() else float(o)
        return super().default(o)


def _csv_header(column: str, label) -> str:
    """A column's heading; money says its unit, since its cells are bare numbers."""
    if column in MONEY_COLUMNS:
        return _("%(label)s (Rp)") % {"label": label}
    return str(label)


def _file_money(column: str, value):
    """A value as every file writes it (XLSX, CSV and JSON alike): money in whole Rupiah, as the public activities
    list's files. The JSON gave 1545001000.5 where the CSV said 1545001001."""
    if value is not None and column in MONEY_COLUMNS:
        return whole_rupiah(value)
    return value


def _json_dataset(table) -> dict:
    """The JSON's ``dataset``: the table (``Table.as_dict``), its rows' and totals' money as in the CSV."""
    dataset = table.as_dict()
    dataset["rows"] = [{key: _file_money(key, value) for key, value in row.items()} for row in table.rows]
    if table.totals is not None:
        dataset["totals"] = {key: _file_money(key, value) for key, value in table.totals.items()}
    return dataset


def _value(row: dict, column: str):
    """A cell's value as the files write it: labels in the page's language, money in whole Rupiah, yes or no."""
    value = _file_money(column, row.get(f"{column}{LABEL_SUFFIX}", charts.in_language(row, column)))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def _csv_cell(row: dict, column: str):
    """A cell as a spreadsheet reads it: labels in the page's language, money in whole Rupiah ("0" and
    "4992000000" alike, never "4992000000.00"), nothing for a missing value, formulas written as text."""
    value = _value(row, column)
    if value is None:
        return ""
    return as_text_cell(value)


PERCENT_COLUMNS = frozenset(
    {"rate", "done_rate", "response_rate", "resolution_rate", "reopen_rate"}  # tickets' shares
    | {"absorption", "physical", "time_elapsed", "achievement"}  # the plan's
)


def _headers(table) -> list[str]:
    return [*(_csv_header(column, label) for column, label in table.file_columns), str(COMPUTED_AT_HEADER)]


def _csv(table, computed_at: dt.datetime) -> HttpResponse:
    """The figure's header and rows, nothing else: a title, licence or note line would be read as one more row
    (``csv.DictReader``, a spreadsheet's filter). Those travel in the file's name, its HTTP headers and the JSON.
    Each row ends with the time its figures were computed (``COMPUTED_AT_HEADER``)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # Excel reads UTF-8 (the "–" of "1–5", "Rp") only after a byte order mark
    writer = csv.writer(response)
    writer.writerow(_headers(table))
    stamp = in_wita(computed_at).strftime(CSV_TIME_FORMAT)
    for row in table.rows:
        writer.writerow([*(_csv_cell(row, column) for column, _label in table.file_columns), stamp])
    return response


def _xlsx_cell(sheet, _index, cell):
    """A cell of the XLSX: Rupiah as a whole number shown "Rp 1.250.000" in the reader's own separators, a share as
    a number (73.7, as the header's "(%)" says), a date or a time (WITA) as one, text as text, never a formula."""
    value, column = cell
    if value is None:
        return None
    if isinstance(value, Promise):
        value = str(value)
    if column in MONEY_COLUMNS:
        return xlsx_formatted(sheet, value, XLSX_RUPIAH_FORMAT)
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if column in PERCENT_COLUMNS and isinstance(value, int | float) and not isinstance(value, bool):
        return xlsx_formatted(sheet, value, XLSX_PERCENT_FORMAT)
    if isinstance(value, dt.datetime):
        return as_xlsx_time(sheet, value)
    if isinstance(value, dt.date):
        return as_xlsx_date(sheet, value)
    return as_xlsx_cell(sheet, value)


def _xlsx(table, computed_at: dt.datetime) -> HttpResponse:
    """The figure as a spreadsheet: the CSV's header and rows, ending with the same time column, in cells that
    Excel and LibreOffice read as numbers and dates whatever their language (``_xlsx_cell``)."""
    columns = [column for column, _label in table.file_columns]
    rows = ([*((_value(row, column), column) for column in columns), (computed_at, None)] for row in table.rows)
    buffer = io.BytesIO()
    spreadsheets.write_xlsx(
        buffer,
        title=str(table.title),
        headers=_headers(table),
        rows=rows,
        widths=[14] * len(columns) + [17],
        cell=_xlsx_cell,
    )
    return HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["xlsx"])


def _safe(code: str) -> str:
    """A code as a file name may hold it (codes are typed by administrators)."""
    return re.sub(r"[^A-Za-z0-9._]+", "-", code).strip("-")


def _file_stem(
    scope: str, key: str, department, form: FilterForm, filters: Filters, follows, computed_at: dt.datetime
) -> str:
    """What the file holds, in its name: the page, the figure, the dates counted, then each filter chosen and the
    plan's year (as in the address: ``kecamatan-<code>``, ``tahun-2026``), of those its figures follow (``follows``,
    ``Table.follows``), then when its figures were computed, in WITA (``2026-12-07-1930-WITA``). A filtered file and
    the whole city's, two date ranges, or two downloads of one figure an hour apart, no longer save under the same
    name, and a file of the plan names no kecamatan it was not narrowed by. The names are the address's codes, in
    every language: an XLSX, its CSV and its JSON save under one name, and a script finds them as before."""

    def followed(name: str) -> bool:
        return follows is None or name in follows

    parts = [scope, *([department.code] if department else []), key]
    if followed("date_from"):
        parts.append(f"{filters.date_from}_{filters.date_to}")
    for name in CHOSEN_FILTERS:
        picked = form.cleaned_data.get(name)
        if picked is not None and followed(name) and not (department and name == "department"):  # the page's own
            parts.append(f"{name}-{_safe(picked.code)}")
    if filters.fiscal_year and followed("tahun"):
        parts.append(f"tahun-{filters.fiscal_year}")
    parts.append(f"{in_wita(computed_at):%Y-%m-%d-%H%M}-WITA")
    return "-".join(parts)


def _refused(refused: dict[str, list], fmt: str) -> HttpResponse:
    """400 naming each refused filter (``FilterForm.refused``) and why, in the request's language. The file computed
    without it held the figures of a wider scope (the whole city for a kecamatan mistyped) or of another year under
    the filters asked for; a script that reads open data must be told, not given other figures."""
    refused = {name: [str(message) for message in messages] for name, messages in refused.items()}
    detail = _("These filters were refused, so nothing was computed: %(names)s.") % {"names": ", ".join(refused)}
    if fmt == "json":
        return JsonResponse(
            {"detail": detail, "errors": refused}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    lines = [detail, *(f"{name}: {message}" for name, messages in refused.items() for message in messages)]
    return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")


def _refused_filters(request, form: FilterForm) -> dict[str, list]:
    """The parameters a download refuses: those naming no filter (``?dinas_typo=pupr``, ``?stage=`` here), then the
    filters refused (``FilterForm.refused``). Ignored, the first gave the whole city's file under a name that said
    nothing of it."""
    return {**filter_names.unknown(request.GET, DOWNLOAD_PARAMETERS), **form.refused(year=True)}


@require_GET
def export(request, scope: str, key: str, fmt: str):
    """One figure as XLSX or CSV (its rows alone, each ending with the time computed) or JSON (its rows with the
    filters, time and licence), with the same filters and access rule as its page. Each names the licence, and the
    others, in an HTTP ``Link`` header. With ``?snapshot=`` (the page's download links) the figures the page
    showed, while they are kept (``base.SNAPSHOT_SECONDS``); then, and without it, the figures of now. The file's
    name, its time column, ``computed_at`` and ``Last-Modified`` say which."""
    if scope not in SCOPES or fmt not in FORMATS:
        raise Http404
    if scope != "public" and not request.user.is_authenticated:
        raise PermissionDenied
    form, department = _form(request, scope)
    if refused := _refused_filters(request, form):
        return _refused(refused, fmt)
    dashboard = _dashboard(scope, form, department, request.GET.get("snapshot"))
    table = dashboard["tables"].get(key)
    if table is None:
        raise Http404
    filters = form.filters()
    shown = _followed(_shown(form, filters, department), table)
    # A table read live (the escalations, the workload) has its own time, the plan's tables theirs, the others the
    # page's.
    computed_at = timezone.localtime(figures.computed_at_of(dashboard, key))
    if fmt == "json":
        body = {
            "dataset": _json_dataset(table),
            "computed_at": computed_at.isoformat(),
            "filters": shown.dict(),
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
        }
        response = JsonResponse(body, encoder=OpenDataJSONEncoder, json_dumps_params={"ensure_ascii": False})
    elif fmt == "xlsx":
        response = _xlsx(table, computed_at)
    else:
        response = _csv(table, computed_at)
    alternates = [
        f"<{request.build_absolute_uri(_download_url(scope, key, other, shown, dashboard['snapshot']))}>; "
        f'rel="alternate"; type="{CONTENT_TYPES[other]}"'
        for other in FORMATS
        if other != fmt
    ]
    response["Link"] = ", ".join([f'<{LICENCE_URL}>; rel="license"', *alternates])
    response["Last-Modified"] = http_date(computed_at.timestamp())
    stem = _file_stem(scope, key, department, form, filters, table.follows, computed_at)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@require_GET
def open_data(request):
    """The catalogue of public datasets (each figure of the transparency page), under the filters asked for: by
    default the page's, its dates and year pinned in every address as the titles name them ("…, 2026")."""
    form, _department = _form(request, "public")
    if refused := _refused_filters(request, form):
        return _refused(refused, "json")
    dashboard = _dashboard("public", form, None)
    shown = _shown(form, form.filters())
    datasets = [
        {
            "key": key,
            "title": str(table.title),
            **{
                fmt: request.build_absolute_uri(_download_url("public", key, fmt, _followed(shown, table)))
                for fmt in FORMATS
            },
        }
        for key, table in dashboard["tables"].items()
    ]
    return JsonResponse(
        {
            "publisher": "Pemerintah Kota Banjarmasin",
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "filters": shown.dict(),
            "datasets": datasets,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def boundaries(request, level: str):
    """Kelurahan or kecamatan boundaries for the maps (static data, cached)."""
    if level not in Area.Level.values:
        raise Http404
    data, _at = cached(f"boundaries:{level}", lambda: json.dumps(boundaries_geojson(level)), seconds=3600)
    response = HttpResponse(data, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Attribution"] = BOUNDARY_ATTRIBUTION.encode("ascii", "ignore").decode()
    return response
