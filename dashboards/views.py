"""Dashboard pages and downloads: parse the filters, check who may look, render what ``queries`` computed."""

from __future__ import annotations

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from complaints.models import OPEN_STATUSES
from complaints.queries import staff_tickets
from services.areas import BOUNDARY_ATTRIBUTION, boundaries_geojson
from services.models import Area, Department
from smartcity.spreadsheets import as_text_cell

from . import charts, links, maps
from .forms import FilterForm
from .queries import figures
from .queries.access import can_see_city, dashboard_departments
from .queries.base import LICENCE, LICENCE_URL, MIN_SAMPLE, Filters, cached

SCOPES = ("public", "department", "city")
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


def _department_for(request) -> Department:
    """The department whose dashboard is asked for, if the user may see it (else 403)."""
    allowed = dashboard_departments(request.user)
    code = request.GET.get("department")
    if code:
        department = allowed.filter(code=code).first()
        if department is None:
            raise PermissionDenied
        return department
    department = allowed.order_by("short_name").first()
    if department is None:
        raise PermissionDenied
    return department


def _build(request, scope: str):
    """(form, dashboard, department) for ``scope``, with the access rule of that scope applied."""
    if scope == "public":
        form = FilterForm(request.GET)
        return form, figures.public_dashboard(form.filters()), None
    if not request.user.is_authenticated:
        raise PermissionDenied
    if scope == "city":
        if not can_see_city(request.user):
            raise PermissionDenied
        form = FilterForm(request.GET)
        return form, figures.city_dashboard(form.filters()), None
    department = _department_for(request)
    form = FilterForm(request.GET, departments=dashboard_departments(request.user))
    return form, figures.department_dashboard(department, form.filters()), department


def _shown(request, filters: Filters) -> QueryDict:
    """The request's filters with the year the figures show. The downloads name it even when it was the default: the
    default changes when a year's evaluation ends, and a file must hold what the page showed. A year or dates asked
    for and refused (the form shows the defaults instead) are replaced by what is shown, so a link or file never
    claims figures it does not hold."""
    params = request.GET.copy()
    for name, shown in (("date_from", filters.date_from), ("date_to", filters.date_to)):
        if name in params:
            params[name] = shown.isoformat()
    if filters.fiscal_year:
        params["tahun"] = str(filters.fiscal_year)
    else:
        params.pop("tahun", None)
    return params


def _linked(request, scope: str, tables: dict, filters: Filters, department, shown: QueryDict) -> dict:
    """The tables of ``scope`` whose figures lead somewhere for this viewer, with their links (``links``): the
    computed tables are cached for everyone."""
    if scope == "public":
        return links.public(tables, filters)
    if scope == "city":
        return links.city(request.user, tables, filters, shown)
    return links.department(request, tables, filters, department)


def _page(request, scope: str, template: str, **extra):
    """The page of ``scope``, its figures linked to the lists behind them as the viewer may open them."""
    form, dashboard, department = _build(request, scope)
    filters = form.filters()
    shown = _shown(request, filters)
    tables = {**dashboard["tables"], **_linked(request, scope, dashboard["tables"], filters, department, shown)}
    query = shown.urlencode()
    downloads = {
        key: {
            "csv": reverse("dashboards:export", args=[scope, key, "csv"]) + (f"?{query}" if query else ""),
            "json": reverse("dashboards:export", args=[scope, key, "json"]) + (f"?{query}" if query else ""),
        }
        for key in tables
    }
    context = {
        "form": form,
        "tables": tables,
        "charts": _chart_specs(scope, tables),
        "downloads": downloads,
        "computed_at": dashboard["computed_at"],
        "window": filters,
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
        departments=dashboard_departments(request.user).order_by("short_name"),
    )


@require_GET
@login_required
def city(request):
    escalated = staff_tickets(request.user).filter(status__in=OPEN_STATUSES, escalation_level__gt=0)
    listed = list(
        escalated.select_related("department").order_by("-escalation_level", "resolution_due_at")[:ESCALATED_LIST]
    )
    # How many there are in all, and the queue that lists every one of them (in the viewer's staff scope).
    total = escalated.count() if len(listed) == ESCALATED_LIST else len(listed)
    return _page(
        request,
        "city",
        "dashboards/city.html",
        escalated_tickets=listed,
        escalated_total=total,
        escalated_queue=f"{reverse('staff:queue')}?escalated=1",
    )


@require_GET
def export(request, scope: str, key: str, fmt: str):
    """One figure as CSV or JSON, with the same filters and access rule as its page."""
    if scope not in SCOPES or fmt not in ("csv", "json"):
        raise Http404
    if scope != "public" and not request.user.is_authenticated:
        raise PermissionDenied
    form, dashboard, department = _build(request, scope)
    table = dashboard["tables"].get(key)
    if table is None:
        raise Http404
    filters = form.filters()
    computed_at = timezone.localtime(dashboard["computed_at"])
    year = f"{filters.fiscal_year}-" if filters.fiscal_year else ""
    stem = f"{scope}-{department.code + '-' if department else ''}{key}-{year}{computed_at:%Y%m%d}"
    if fmt == "json":
        body = {
            "dataset": table.as_dict(),
            "computed_at": computed_at.isoformat(),
            "filters": _shown(request, filters).dict(),
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
        }
        response = JsonResponse(body, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerow([str(label) for _key, label in table.columns])
        for row in table.rows:
            writer.writerow(
                ["" if row.get(column) is None else as_text_cell(row.get(column)) for column, _label in table.columns]
            )
        writer.writerow([])
        writer.writerow(
            [
                "# "
                + _("%(title)s. Licence: %(licence)s (%(url)s). Computed %(when)s WITA.")
                % {
                    "title": table.title,
                    "licence": LICENCE,
                    "url": LICENCE_URL,
                    "when": f"{computed_at:%Y-%m-%d %H:%M}",
                }
            ]
        )
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@require_GET
def open_data(request):
    """The catalogue of public datasets (each figure of the transparency page)."""
    _form, dashboard, _department = _build(request, "public")
    datasets = [
        {
            "key": key,
            "title": str(table.title),
            "csv": request.build_absolute_uri(reverse("dashboards:export", args=["public", key, "csv"])),
            "json": request.build_absolute_uri(reverse("dashboards:export", args=["public", key, "json"])),
        }
        for key, table in dashboard["tables"].items()
    ]
    return JsonResponse(
        {
            "publisher": "Pemerintah Kota Banjarmasin",
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "datasets": datasets,
        }
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
