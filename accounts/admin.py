from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import Token, TokenProxy

from complaints.actions.personal_data import PERSONAL_ROWS, copy_profile_to_reports, forget_reporter
from complaints.leavers import WarnsOfTicketsLeftBehind, open_tickets_of, reassign_url
from complaints.models import TicketEvent
from services.models import StaffMembership
from smartcity.admin_inlines import AddAnotherInSentenceCase

from . import admin_log  # noqa: F401 - registers the admin's audit trail (LogEntry)
from .models import ApiToken, User
from .roles import ADMINISTRATOR, CITY_ROLES, COUNCIL, FINANCE, INSPECTOR, PLANNER, may_delete_own_account
from .tokens import stored_form


def person(user) -> str:
    """A person as the admin's messages name them: name and email, since two people may share a name."""
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


class PersonChoiceField(forms.ModelChoiceField):
    """A person picked in the admin by name, email and the departments they are an active member of."""

    ACTIVE_MEMBERSHIPS = Prefetch(
        "memberships",
        queryset=StaffMembership.objects.filter(active=True).select_related("department").order_by("department__code"),
        to_attr="active_memberships",
    )

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset.prefetch_related(self.ACTIVE_MEMBERSHIPS), **kwargs)

    def label_from_instance(self, user):
        departments = ", ".join(membership.department.short_name for membership in user.active_memberships)
        return f"{person(user)} · {departments}" if departments else person(user)


# Django stores the names of the four permissions it makes for every model in English ("Can add ticket"); the admin
# words them from the model's verbose name instead, in the page's language, the stored names unchanged.
DEFAULT_PERMISSION_NAMES = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission) -> str:
    """A permission as the admin names it, in the page's language: "Tiket | tiket | Dapat menambah tiket". A
    permission a model declares itself keeps its own name. Reads ``permission.content_type``: select it with the
    permissions (``listed_permissions``)."""
    content_type = permission.content_type
    name = permission.name
    model = content_type.model_class()
    action = permission.codename.partition("_")[0]
    if model is not None and action in model._meta.default_permissions and action in DEFAULT_PERMISSION_NAMES:
        if permission.codename == f"{action}_{model._meta.model_name}":
            name = DEFAULT_PERMISSION_NAMES[action] % {"model": model._meta.verbose_name}
    return f"{content_type} | {name}"


def listed_permissions(permissions=None):
    """The permissions the admin lists (all of them, or those of the queryset ``permissions``), none of DRF's token
    tables, each with its content type.

    DRF's Token and its admin proxy TokenProxy both read "Auth Token | Token | Can add Token", so every token permission
    was listed twice, beside Users and access › API token's own. Tokens are managed as API tokens (``ApiTokenAdmin``),
    whose permissions the admin checks; nothing checks DRF's, and no group is given them (``services.seeding``)."""
    permissions = Permission.objects.all() if permissions is None else permissions
    return permissions.exclude(content_type__app_label="authtoken").select_related("content_type")


def group_label(group) -> str:
    """A group as the admin names it: a city role by its name in the page's language beside the group's own, which
    the code reads and which is never renamed ("Perencana (Bappeda) · planner"); any other group by its name."""
    role = CITY_ROLES.get(group.name)
    return f"{role} · {group.name}" if role else group.name


class GroupChoiceField(forms.ModelMultipleChoiceField):
    """A user's groups in the admin's picker, named by ``group_label``."""

    def label_from_instance(self, group):
        return group_label(group)


def listed_in_place_of(fieldsets, field: str, listing: str):
    """``fieldsets`` with the read-only ``listing`` in ``field``'s place. Fieldsets built from the form (no
    ``fieldsets`` declared) end with the read-only fields, the field and its listing among them: the listing takes
    the field's place."""

    def swapped(fields):
        return [listing if name == field else name for name in fields if name != listing]

    return [(name, {**options, "fields": swapped(options["fields"])}) for name, options in fieldsets]


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    """A permission in the admin's pickers (a group's, a user's own), named by ``permission_label``."""

    def label_from_instance(self, permission):
        return permission_label(permission)


class PermissionPickers:
    """ModelAdmin mixin for the pages that hand out permissions (the model's many-to-many ``permissions_field``): the
    picker lists ``listed_permissions``, each named by ``permission_label``; and so does the page that shows them
    read-only (``permission_list``), to whoever may not change them, where Django listed ``str(permission)``: the
    stored English names and DRF's token permissions twice."""

    permissions_field: str
    # The read-only list's name in the fieldsets and read-only fields; each admin gives it the field's label.
    READ_ONLY_LIST = "permission_list"

    def may_change_permissions(self, request, obj) -> bool:
        """Whether the page lets its user change the permissions; if not, it lists them (``permission_list``)."""
        return obj is None or self.has_change_permission(request, obj)

    def permission_lines(self, obj):
        """``obj``'s permissions shown read-only, one a line (the read-only field breaks the lines)."""
        permissions = listed_permissions(getattr(obj, self.permissions_field).all())
        return "\n".join(permission_label(permission) for permission in permissions) or self.get_empty_value_display()

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self.may_change_permissions(request, obj):
            return fields
        # The field itself too: read-only, it is left out of the form whatever the fieldsets say.
        return (*fields, self.permissions_field, self.READ_ONLY_LIST)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.may_change_permissions(request, obj):
            return fieldsets
        return listed_in_place_of(fieldsets, self.permissions_field, self.READ_ONLY_LIST)

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.remote_field.model is Permission:
            kwargs["queryset"] = listed_permissions()
            kwargs["form_class"] = PermissionChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ShowsNewSecretOnce:
    """Admin of a credential issued to another system (REST API tokens here, Open311 keys): saving a new one shows
    its secret once, in a message; the model's ``str()``, which names it on every admin page and in the admin's
    history, shows only its first characters."""

    secret_notice: str  # with %(key)s

    def issue_secret(self, obj) -> str:
        """Save the new ``obj`` and return its secret."""
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        messages.warning(request, self.secret_notice % {"key": self.issue_secret(obj)})


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
class UserAdmin(AddAnotherInSentenceCase, PermissionPickers, WarnsOfTicketsLeftBehind, DjangoUserAdmin):
    permissions_field = "user_permissions"
    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "is_active", "date_joined", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "memberships__department", "language")
    search_fields = ("email", "full_name", "phone")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "phone", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("REST API"), {"fields": ("api_filing_limit",)}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [MembershipInline, EmailAddressInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Someone who holds open tickets: their page links to the page that hands the tickets on
        # (templates/admin/accounts/user/change_form.html), for whoever may use it.
        extra_context = dict(extra_context or {})
        user = self.get_object(request, object_id)
        if user is not None and request.user.has_perm("complaints.view_ticket"):
            count = open_tickets_of(user)
            if count:
                extra_context.update(open_ticket_count=count, reassign_url=reassign_url(user))
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A name, phone number or address corrected here reaches the contact copies on the reports the person filed
        # with their account, as their own profile page and email change do.
        if change and {"full_name", "phone", "email"} & set(form.changed_data):
            copy_profile_to_reports(user=obj)

    # Only a superuser can make superusers or hand out single permissions.
    def may_change_permissions(self, request, obj) -> bool:
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            fields = (*fields, "is_superuser")
        if self.only_views(request, obj):
            fields = (*fields, "groups", "group_list")
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return listed_in_place_of(fieldsets, "groups", "group_list") if self.only_views(request, obj) else fieldsets

    def only_views(self, request, obj) -> bool:
        """Whether the page shows ``obj`` read-only: Django lists its groups by ``str(group)`` there."""
        return obj is not None and not self.has_change_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups":
            kwargs["form_class"] = GroupChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=User._meta.get_field("groups").verbose_name)
    def group_list(self, user):
        """The user's groups shown read-only, one a line, named as the picker names them."""
        lines = [group_label(group) for group in user.groups.order_by("name")]
        return "\n".join(lines) or self.get_empty_value_display()

    @admin.display(description=User._meta.get_field("user_permissions").verbose_name)
    def permission_list(self, user):
        return self.permission_lines(user)

    # Deleting someone here does what their own "Delete my account" does (accounts.views.delete_account): the city
    # keeps their reports, their name, email address and phone number on them go (complaints, called by name: see
    # accounts.views), with the account's subscriptions and emails. Without it the tickets kept the contact copies.
    # What the deletion takes from the tickets (``WorkLeft``) is said on the confirmation, and someone who works for
    # the city and wrote on the tickets' timelines is not deleted at all (``WorkLeft.keeps_account``).
    actions = ["delete_selected"]

    def get_deleted_objects(self, objs, request):
        # Their subscriptions and the emails written to them go with the person; the email log being read-only made
        # everyone who ever received an email impossible to delete for an administrator who is not a superuser.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        personal = {str(model._meta.verbose_name) for model in PERSONAL_ROWS}
        # An account kept is "protected": Django's delete page then refuses the deletion (its template says why).
        kept = [person(user) for user in objs if work_left(user, request).keeps_account]
        return deleted, counts, perms_needed - personal, [*protected, *kept]

    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, object_id)
        if user is not None:
            extra_context = {**(extra_context or {}), "work_left": [work_left(user, request)]}
        return super().delete_view(request, object_id, extra_context)

    @admin.action(permissions=["delete"], description=django_delete_selected.short_description)
    def delete_selected(self, request, queryset):
        """Django's "Delete selected users", refused whole when it holds an account that is kept (said for each, with
        the way to switch it off); its confirmation says what each deletion takes from the tickets."""
        left = [work_left(user, request) for user in queryset.order_by("email")]
        kept = [work for work in left if work.keeps_account]
        for work in kept:
            messages.error(request, work.kept_text())
        if kept:
            return None
        response = django_delete_selected(self, request, queryset)
        if response is not None:  # the confirmation page, not rendered yet
            response.context_data["work_left"] = [work for work in left if work]
        return response

    def delete_model(self, request, obj):
        with transaction.atomic():
            forget_reporter(user=obj, actor=request.user)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for user in queryset:
                forget_reporter(user=user, actor=request.user)
            super().delete_queryset(request, queryset)


@dataclass(frozen=True)
class WorkLeft:
    """What deleting ``user``'s account would take from the tickets: their open tickets lose their assignee, and the
    events they wrote on the tickets' timelines their author (both SET_NULL). The city's record keeps who did what:
    someone who works for the city and wrote events is switched off (*Active*), never deleted; a citizen's account is
    deleted, as by their own "Delete my account", which takes their name off their events too."""

    user: User
    open_tickets: int
    events: int
    works_for_city: bool
    change_url: str
    reassign_url: str  # "" for whoever may not open the page that hands tickets on

    def __bool__(self) -> bool:
        return bool(self.open_tickets or self.events)

    @property
    def keeps_account(self) -> bool:
        return self.works_for_city and self.events > 0

    def kept_text(self) -> str:
        """Why the account is not deleted, with the way to switch it off instead."""
        text = ngettext(
            "%(name)s wrote %(count)d event on the tickets' timelines. Deleting the account would take their name off "
            "it and the city's record would lose who did what, so the account of someone who works for the city is "
            "switched off, not deleted.",
            "%(name)s wrote %(count)d events on the tickets' timelines. Deleting the account would take their name off "
            "them and the city's record would lose who did what, so the account of someone who works for the city is "
            "switched off, not deleted.",
            self.events,
        )
        return format_html("{} {}", text % {"name": person(self.user), "count": self.events}, self.switch_off_link())

    def switch_off_text(self) -> str:
        """Someone who works for the city, whose account may be deleted: the usual way is to switch it off."""
        text = _("Someone who leaves the city's service is usually switched off rather than deleted.")
        return format_html("{} {}", text, self.switch_off_link())

    def switch_off_link(self) -> str:
        """The account's *Active* box, on its page."""
        return format_html('<a href="{}#id_is_active">{}</a>', self.change_url, _("Untick Active on their page"))

    def events_text(self) -> str:
        """A citizen's events: their name goes from them, as when they delete their own account."""
        text = ngettext(
            "%(name)s wrote %(count)d event on the tickets' timelines: it stays, without their name.",
            "%(name)s wrote %(count)d events on the tickets' timelines: they stay, without their name.",
            self.events,
        )
        return text % {"name": person(self.user), "count": self.events}

    def open_tickets_text(self) -> str:
        """Their open tickets go to nobody, with the way to hand them on first."""
        text = ngettext(
            "%(count)d open ticket is assigned to %(name)s: deleting the account leaves it with nobody.",
            "%(count)d open tickets are assigned to %(name)s: deleting the account leaves them with nobody.",
            self.open_tickets,
        )
        text = text % {"count": self.open_tickets, "name": person(self.user)}
        if not self.reassign_url:
            return text
        link = ngettext("Reassign it", "Reassign them", self.open_tickets)
        return format_html('{} <a href="{}">{}</a>', text, self.reassign_url, link)


def work_left(user, request) -> WorkLeft:
    """``WorkLeft`` of ``user``, with the links ``request``'s user may follow."""
    open_count = open_tickets_of(user)
    return WorkLeft(
        user=user,
        open_tickets=open_count,
        events=TicketEvent.objects.filter(actor=user).count(),
        works_for_city=not may_delete_own_account(user),
        change_url=reverse("admin:accounts_user_change", args=[user.pk]),
        reassign_url=reassign_url(user) if open_count and request.user.has_perm("complaints.view_ticket") else "",
    )


admin.site.unregister(Group)


# What each city role may do, in a line: the note on its group's page (``GroupAdmin.role_note``).
ROLE_DUTIES = {
    PLANNER: _(
        "Plans the city's development: Musrenbang reviews, proposals into the plan, indicators, progress and "
        "evaluation, the city dashboard."
    ),
    FINANCE: _("Sets the indicative ceilings, approves the budget and its revisions, records realisation."),
    INSPECTOR: _("Reads every ticket, asks departments to explain, verifies progress and evaluates activities."),
    ADMINISTRATOR: _("Runs this administration: people, departments, services, routing and days off."),
    COUNCIL: _("Reads the plan and the dashboards, changes nothing."),
}


def is_role_group(group) -> bool:
    """Whether ``group`` is a city role's: the code finds the role's members by the group's name (``accounts.roles``),
    so renaming or deleting it locks the whole role out."""
    return group is not None and group.name in CITY_ROLES


@admin.register(Group)
class GroupAdmin(PermissionPickers, DjangoGroupAdmin):
    """Django's group admin, its permissions in the page's language and without DRF's token tables; the list names
    the city role a group stands for. A role's group keeps its name and is never deleted: its page says which role it
    is and what the role may do (renaming ``planner`` to ``perencana`` gave every planner 403)."""

    permissions_field = "permissions"
    list_display = ("name", "city_role")
    actions = ["delete_selected"]

    @admin.display(description=_("role"))
    def city_role(self, group):
        return CITY_ROLES.get(group.name, self.get_empty_value_display())

    @admin.display(description=_("role"))
    def role_note(self, group):
        return _(
            "%(role)s: %(duties)s The portal finds the role's members by this group's name, so it cannot be renamed "
            "or deleted; add or remove people on their own pages."
        ) % {"role": CITY_ROLES[group.name], "duties": ROLE_DUTIES[group.name]}

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "name", "role_note") if is_role_group(obj) else fields

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not is_role_group(obj):
            return fields
        return ["name", "role_note", *(field for field in fields if field not in ("name", "role_note"))]

    def has_delete_permission(self, request, obj=None):
        return not is_role_group(obj) and super().has_delete_permission(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        group = self.get_object(request, object_id)
        if is_role_group(group):
            messages.error(request, self.refusal(group))
            return redirect(reverse("admin:auth_group_change", args=[group.pk]))
        return super().delete_view(request, object_id, extra_context)

    @admin.action(permissions=["delete"], description=django_delete_selected.short_description)
    def delete_selected(self, request, queryset):
        """Django's "Delete selected groups", refused whole when a role's group is among them."""
        roles = [group for group in queryset.order_by("name") if is_role_group(group)]
        if not roles:
            return django_delete_selected(self, request, queryset)
        for group in roles:
            messages.error(request, self.refusal(group))
        return None

    @staticmethod
    def refusal(group) -> str:
        """Why ``group`` is not deleted: it is a city role's."""
        text = _("The group %(name)s is the role %(role)s: the portal finds its members by this name, so it stays.")
        return text % {"name": group.name, "role": CITY_ROLES[group.name]}

    @admin.display(description=Group._meta.get_field("permissions").verbose_name)
    def permission_list(self, group):
        return self.permission_lines(group)


# DRF's own token admin lists whole keys and names each token by its key: replaced by ApiToken's.
admin.site.unregister(TokenProxy)


@admin.register(ApiToken)
class ApiTokenAdmin(ShowsNewSecretOnce, TokenAdmin):
    """REST API tokens (``Authorization: Token …``), one per user. A token is created or deleted, never edited:
    giving one person's credential to another is a new token."""

    list_display = ("__str__", "user", "filing_limit", "created")
    list_select_related = ("user",)
    search_fields = ("user__email", "user__full_name")
    search_help_text = _("Email or name of the token's user")
    ordering = ("user__email",)
    readonly_fields = ("key_start", "created")
    secret_notice = _("The new API token is %(key)s. Copy it now: it will not be shown again.")

    def get_fields(self, request, obj=None):
        return ("user",) if obj is None else ("user", "key_start", "created")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # Active accounts without a token: a second one for the same user is refused anyway.
            users = User.objects.filter(is_active=True, auth_token__isnull=True).order_by("email")
            return PersonChoiceField(users, label=db_field.verbose_name)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("key"))
    def key_start(self, token):
        return str(token)

    @admin.display(description=_("REST API filing limit"))
    def filing_limit(self, token):
        """Set on the token's account (Users › the account › REST API), so that a new key keeps it."""
        limit = token.user.api_filing_limit
        if limit is None:
            return _("as citizens (%(rate)s)") % {"rate": settings.FILING_RATE_LIMIT}
        return _("%(count)s per window of %(rate)s") % {"count": limit, "rate": settings.FILING_RATE_LIMIT}

    def issue_secret(self, token) -> str:
        key = Token.generate_key()
        token.key = stored_form(key)  # the table never holds the key itself (accounts.tokens)
        token.save()
        return key
