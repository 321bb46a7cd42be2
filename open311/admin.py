from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import ShowsNewSecretOnce

from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(ShowsNewSecretOnce, admin.ModelAdmin):
    """Administrators issue keys here; the secret is shown once, right after saving a new key."""

    list_display = ("name", "prefix", "rate_limit_per_hour", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "prefix")
    fields = ("name", "rate_limit_per_hour", "active", "prefix", "created_at")
    readonly_fields = ("prefix", "created_at")

    secret_notice = _("The new API key is %(key)s. Copy it now: it is not stored and will not be shown again.")

    def issue_secret(self, obj) -> str:
        key, raw = ApiKey.issue(name=obj.name, rate_limit_per_hour=obj.rate_limit_per_hour)
        if not obj.active:
            ApiKey.objects.filter(pk=key.pk).update(active=False)
        obj.pk = key.pk
        obj.prefix, obj.key_hash, obj.created_at = key.prefix, key.key_hash, key.created_at
        return raw
