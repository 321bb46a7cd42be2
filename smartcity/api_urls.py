"""/api/v1/: one router for the REST API; each app contributes its viewsets from its own ``api.py``."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = router.urls
