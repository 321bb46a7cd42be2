from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from services.models import StaffMembership

from .models import User


class MembershipInline(admin.TabularInline):
    """The user's department memberships (staff or head)."""

    model = StaffMembership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("department",)
    fields = ("department", "role", "active")
    verbose_name = _("department membership")
    verbose_name_plural = _("department memberships")


class EmailAddressInline(admin.TabularInline):
    """allauth's addresses: verified or not, primary or not."""

    model = EmailAddress
    extra = 0
    fields = ("email", "verified", "primary")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "is_active", "date_joined", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "memberships__department", "language")
    search_fields = ("email", "full_name", "phone")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "phone", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [MembershipInline, EmailAddressInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser can make superusers or hand out single permissions.
        if request.user.is_superuser:
            return ()
        return ("is_superuser", "user_permissions")
