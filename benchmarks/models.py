"""The ceiling table: the least a request that writes one row can cost on this machine."""

from django.db import models


class CeilingRow(models.Model):
    note = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
