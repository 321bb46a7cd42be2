"""/api/v1/: one router for the REST API; each app contributes its viewsets from its own ``api.py``."""

from django.urls import re_path
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from complaints import api as complaints_api
from services import api as services_api

router = DefaultRouter()
router.register("tickets", complaints_api.TicketViewSet, basename="ticket")
router.register("events", complaints_api.EventViewSet, basename="event")
router.register("services", services_api.ServiceViewSet, basename="service")
router.register("departments", services_api.DepartmentViewSet, basename="department")
router.register("areas", services_api.AreaViewSet, basename="area")


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@schema(None)
def not_found(request, path=""):
    """Any other path under /api/v1/ answers with the API's error body, not an HTML page."""
    raise NotFound()


urlpatterns = router.urls + [re_path(r"^(?P<path>.*)$", not_found)]
