"""A bare view that inserts one row: what REST and Open311 filing are compared with."""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import CeilingRow


@csrf_exempt
@require_http_methods(["GET", "POST"])
def insert(request):
    row = CeilingRow.objects.create(note="ceiling")
    return HttpResponse(str(row.pk), content_type="text/plain", status=201)
