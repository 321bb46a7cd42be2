"""/api/v1/: one router for the REST API; each app contributes its viewsets from its own ``api.py``."""

from django.urls import re_path
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from complaints import api as complaints_api
from planning import api as planning_api
from services import api as services_api

router = DefaultRouter()
router.register("tickets", complaints_api.TicketViewSet, basename="ticket")
router.register("events", complaints_api.EventViewSet, basename="event")
router.register("services", services_api.ServiceViewSet, basename="service")
router.register("departments", services_api.DepartmentViewSet, basename="department")
router.register("areas", services_api.AreaViewSet, basename="area")
router.register("planning/proposals", planning_api.ProposalViewSet, basename="proposal")
router.register("planning/activities", planning_api.ActivityViewSet, basename="activity")
router.register("planning/budget-lines", planning_api.BudgetLineViewSet, basename="budget-line")
router.register("planning/realisations", planning_api.RealisationViewSet, basename="realisation")
router.register("planning/progress-reports", planning_api.ProgressReportViewSet, basename="progress-report")
router.register("planning/indicators", planning_api.IndicatorViewSet, basename="indicator")
router.register("planning/evaluations", planning_api.EvaluationViewSet, basename="evaluation")


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@schema(None)
def not_found(request, path=""):
    """Any other path under /api/v1/ answers with the API's error body, not an HTML page."""
    raise NotFound()


urlpatterns = router.urls + [re_path(r"^(?P<path>.*)$", not_found)]
