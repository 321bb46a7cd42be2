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
    fields = ("name", "rate_limit_per_hour", "active", "account", "prefix", "created_at")
    raw_id_fields = ("account",)  # a select would list every citizen's account
    readonly_fields = ("prefix", "created_at")

    secret_notice = _("The new API key is %(key)s. Copy it now: it is not stored and will not be shown again.")

    def issue_secret(self, obj) -> str:
        key, raw = ApiKey.issue(name=obj.name, rate_limit_per_hour=obj.rate_limit_per_hour)
        # What else the form said (``issue`` takes the name and the limit): a key made inactive, its REST account.
        ApiKey.objects.filter(pk=key.pk).update(active=obj.active, account=obj.account)
        obj.pk = key.pk
        obj.prefix, obj.key_hash, obj.created_at = key.prefix, key.key_hash, key.created_at
        return raw
