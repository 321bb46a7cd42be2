import hashlib
import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """A key issued by an administrator to another system; only its hash is stored."""

    name = models.CharField(_("name"), max_length=120)
    prefix = models.CharField(max_length=8, db_index=True, editable=False, verbose_name=_("prefix"))
    key_hash = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("key hash"))
    rate_limit_per_hour = models.PositiveIntegerField(
        _("requests per hour"),
        default=1000,
        # 0 would refuse every request the key makes: a key is stopped by "active" instead.
        validators=[
            MinValueValidator(
                1,
                message=_(
                    "A key needs at least 1 request per hour: with 0 it could not make any request. "
                    "To stop a key, untick “active”."
                ),
            )
        ],
    )
    active = models.BooleanField(_("active"), default=True)
    # A bridge files with its key (Open311 has no way back) and relays the citizens' answers with its REST account
    # (``complaints.queries.relays_for``); the key's account may do that on the key's reports, nothing more.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("REST API account"),
        help_text=_(
            "The account the same system uses for the REST API: with its token it may add the citizens' answers and "
            "information to the reports filed with this key, as their reporters' relay. It sees nothing more."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, *, name: str, rate_limit_per_hour: int = 1000) -> tuple["ApiKey", str]:
        """Create a key and return it with the raw secret, which is shown once and never stored."""
        raw = secrets.token_urlsafe(32)
        key = cls.objects.create(
            name=name, prefix=raw[:8], key_hash=cls.hash(raw), rate_limit_per_hour=rate_limit_per_hour
        )
        return key, raw
