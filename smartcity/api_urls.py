"""/api/v1/: one router for the REST API; each app contributes its viewsets from its own ``api.py``."""

from rest_framework.routers import DefaultRouter

from complaints import api as complaints_api
from services import api as services_api

router = DefaultRouter()
router.register("tickets", complaints_api.TicketViewSet, basename="ticket")
router.register("events", complaints_api.EventViewSet, basename="event")
router.register("services", services_api.ServiceViewSet, basename="service")
router.register("departments", services_api.DepartmentViewSet, basename="department")
router.register("areas", services_api.AreaViewSet, basename="area")

urlpatterns = router.urls
