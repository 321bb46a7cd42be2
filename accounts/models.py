from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from .tokens import SHOWN_CHARACTERS


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address: citizen, city staff or administrator."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=[("id", "Bahasa Indonesia"), ("en", "English")], default="id"
    )
    is_staff = models.BooleanField(_("admin site access"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # An agency's system files every report of its citizens with one account's API token: the citizens' limit (10 an
    # hour) stopped it at the eleventh. Kept on the account, not the token, so that a new key keeps its limit.
    api_filing_limit = models.PositiveIntegerField(
        _("REST API filing limit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Reports this account may file through the REST API in each window of FILING_RATE_LIMIT (an hour unless "
            "configured otherwise), for another agency's system filing with the account's API token. Empty: the "
            "citizens' limit (FILING_RATE_LIMIT)."
        ),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]


class ApiToken(TokenProxy):
    """A REST API token as the admin handles it (the same rows as DRF's tokens): named by the first characters of
    its key, which is all the row keeps of it besides a digest (``accounts.tokens``)."""

    class Meta:
        proxy = True
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.key[:SHOWN_CHARACTERS]}…" if self.key else ""


class IdempotentRequest(models.Model):
    """A REST API write an account sent with an ``Idempotency-Key`` header, and the answer it got
    (``smartcity.api_idempotency``): a retry with the same key, method, path and body gets this answer again instead
    of running the action a second time. Only successful answers are kept, for 24 hours (the hourly retention job,
    ``complaints.actions.retention``, deletes older ones).

    The row is written in the same transaction as the action's changes: either both are saved or neither, and a second
    request with the same key waits on the unique constraint until the first one has committed or rolled back."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))
    key = models.CharField(_("key"), max_length=200)
    method = models.CharField(_("HTTP method"), max_length=10)
    path = models.TextField(_("API address"))
    # SHA-256 of the parsed body (keys sorted): a retry that sends the same fields in another order is the same body.
    body_hash = models.CharField(_("body hash"), max_length=64)
    # Null only inside the first request's own transaction, which fills both before committing.
    status_code = models.PositiveSmallIntegerField(_("answer status"), null=True)
    # The answer's JSON as text (jsonb would reorder its keys).
    response_body = models.TextField(_("answer"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("REST API idempotency key")
        verbose_name_plural = _("REST API idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_user_key_uniq")]
        indexes = [models.Index(fields=["created_at"], name="idempotent_request_created_idx")]

    def __str__(self):
        return f"{self.method} {self.path} ({self.key})"
