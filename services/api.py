"""REST API for the city's catalogue: services (with their questions), departments, areas (GeoJSON). Read-only."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from smartcity.api_errors import ErrorBodySerializer
from smartcity.api_schema import AutoSchema

from .areas import BOUNDARY_ATTRIBUTION
from .models import Area, Department, Service, ServiceAttribute


class ServiceAttributeSerializer(serializers.ModelSerializer):
    values = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))

    class Meta:
        model = ServiceAttribute
        fields = [
            "code",
            "datatype",
            "required",
            "order",
            "description",
            "description_en",
            "datatype_description",
            "datatype_description_en",
            "values",
        ]


class ServiceSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(source="default_department", slug_field="code", read_only=True)
    attributes = ServiceAttributeSerializer(many=True, read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)

    class Meta:
        model = Service
        fields = [
            "code",
            "name",
            "name_id",
            "name_en",
            "description",
            "group",
            "group_en",
            "kind",
            "department",
            "response_sla_days",
            "resolution_sla_days",
            "default_priority",
            "default_privacy",
            "keywords",
            "attributes",
        ]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name", "short_name", "email", "is_triage"]


SERVICE_EXAMPLE = {
    "code": "jalan-rusak",
    "name": "Jalan rusak atau berlubang",
    "name_id": "Jalan rusak atau berlubang",
    "name_en": "Damaged or potholed road",
    "description": "Kerusakan jalan kota, lubang, aspal mengelupas atau jalan amblas.",
    "group": "Jalan, jembatan dan drainase",
    "group_en": "Roads, bridges and drainage",
    "kind": "complaint",
    "department": "pupr",
    "response_sla_days": 3,
    "resolution_sla_days": 10,
    "default_priority": 2,
    "keywords": "jalan rusak, jalan berlubang, pothole",
    "attributes": [
        {
            "code": "ukuran",
            "datatype": "singlevaluelist",
            "required": True,
            "order": 1,
            "description": "Seberapa besar kerusakannya?",
            "description_en": "How big is the damage?",
            "datatype_description": "",
            "datatype_description_en": "",
            "values": [{"key": "kecil", "name": "Kecil (< 1 m)", "name_en": "Small (< 1 m)"}],
        }
    ],
}


class ServiceFilter(django_filters.FilterSet):
    group = django_filters.CharFilter()
    kind = django_filters.ChoiceFilter(choices=Service.Kind.choices)
    department = django_filters.CharFilter(field_name="default_department__code")

    class Meta:
        model = Service
        fields = ["group", "kind", "department"]


@extend_schema_view(
    list=extend_schema(
        summary="List the service catalogue",
        description="Active services citizens can file about, with their extra questions.",
        examples=[OpenApiExample("A service", value=SERVICE_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="One service with its questions",
        examples=[OpenApiExample("A service", value=SERVICE_EXAMPLE, response_only=True)],
    ),
)
class ServiceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ServiceSerializer
    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    filterset_class = ServiceFilter
    queryset = (
        Service.objects.filter(active=True).select_related("default_department").prefetch_related("attributes")
    ).order_by("group", "code")


DEPARTMENT_EXAMPLE = {
    "code": "pupr",
    "name": "Dinas Pekerjaan Umum dan Penataan Ruang",
    "short_name": "Dinas PUPR",
    "email": "pupr@banjarmasinkota.go.id",
    "is_triage": False,
}


@extend_schema_view(
    list=extend_schema(
        summary="List the city's departments",
        examples=[OpenApiExample("A department", value=DEPARTMENT_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="One department",
        examples=[OpenApiExample("A department", value=DEPARTMENT_EXAMPLE, response_only=True)],
    ),
)
class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer
    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    queryset = Department.objects.filter(active=True).order_by("code")
    filterset_fields = ["is_triage"]


class AreaFeatureSerializer(serializers.Serializer):
    """An area as a GeoJSON Feature (coordinates are [lng, lat])."""

    type = serializers.CharField(default="Feature")
    properties = serializers.DictField()
    geometry = serializers.DictField()


class AreaCollectionSerializer(serializers.Serializer):
    type = serializers.CharField(default="FeatureCollection")
    features = AreaFeatureSerializer(many=True)
    attribution = serializers.CharField()


def _feature(area: Area) -> dict:
    return {
        "type": "Feature",
        "properties": {
            "code": area.code,
            "name": area.name,
            "level": area.level,
            "kecamatan": area.parent.code if area.parent_id else None,
            "label_lat": area.label_lat,
            "label_lng": area.label_lng,
        },
        "geometry": area.boundary,
    }


AREA_EXAMPLE = {
    "type": "Feature",
    "properties": {
        "code": "63.71.05.1003",
        "name": "Mawar",
        "level": "kelurahan",
        "kecamatan": "63.71.05",
        "label_lat": -3.318,
        "label_lng": 114.59,
    },
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[114.59, -3.31], [114.6, -3.31], [114.6, -3.32], [114.59, -3.31]]],
    },
}


class _SingleDocumentSchema(AutoSchema):
    """The area list is one GeoJSON document, not an array of items."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


@extend_schema_view(
    list=extend_schema(
        # The list is documented as a single document, so it needs its own operationId.
        operation_id="v1_areas_list",
        summary="Kecamatan and kelurahan boundaries (GeoJSON FeatureCollection)",
        parameters=[
            OpenApiParameter("level", OpenApiTypes.STR, enum=["kecamatan", "kelurahan"], description="Only one level."),
        ],
        responses={200: AreaCollectionSerializer, 400: ErrorBodySerializer},
        examples=[
            OpenApiExample(
                "Kelurahan boundaries",
                value={"type": "FeatureCollection", "features": [AREA_EXAMPLE], "attribution": BOUNDARY_ATTRIBUTION},
                response_only=True,
            )
        ],
    ),
    retrieve=extend_schema(
        summary="One area as a GeoJSON Feature",
        responses=AreaFeatureSerializer,
        examples=[OpenApiExample("Mawar", value=AREA_EXAMPLE, response_only=True)],
    ),
)
class AreaViewSet(viewsets.GenericViewSet):
    schema = _SingleDocumentSchema()
    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    queryset = Area.objects.select_related("parent").order_by("code")
    pagination_class = None
    filter_backends = []
    serializer_class = AreaFeatureSerializer

    def list(self, request):
        areas = self.get_queryset()
        level = request.query_params.get("level")
        if level is not None:
            if level not in Area.Level.values:
                raise ValidationError({"level": [_("Choose kecamatan or kelurahan.")]})
            areas = areas.filter(level=level)
        return Response(
            {"type": "FeatureCollection", "features": [_feature(a) for a in areas], "attribution": BOUNDARY_ATTRIBUTION}
        )

    def retrieve(self, request, code=None):
        return Response(_feature(self.get_object()))
