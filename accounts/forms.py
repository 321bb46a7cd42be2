"""The citizen's own account: the profile (the name shown when they choose to be named, a phone number, the emails'
language) and deleting the account."""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class LanguageSelect(forms.Select):
    """Each language is named in itself ("Bahasa Indonesia", "English") and marked so (``lang``): a screen reader
    speaks each name in its own language, not "English" with Indonesian sounds."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value:
            option["attrs"]["lang"] = value
        return option


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "language"]
        labels = {"full_name": _("Name"), "phone": _("Phone number"), "language": _("Language of our emails")}
        help_texts = {
            "full_name": _(
                "Shown with a public report only when you tick “Show my name” while filing it; "
                "never your email address."
            ),
            "phone": _("Seen only by the city staff handling your reports, if they need to call you."),
        }
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "language": LanguageSelect,
        }

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(c.isdigit() or c in "+-() " for c in phone):
            raise forms.ValidationError(_("Enter a phone number with digits only, for example 0812 3456 7890."))
        return phone


class DeleteAccountForm(forms.Form):
    """Deleting one's own account asks for the password again: a session left open on a shared computer (a
    kelurahan office, an internet café) must not be enough to erase someone's account."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password. Your account was not deleted."))
        return password


class PortalLabelsMixin:
    """allauth's forms, with their labels in the portal's words: sentence case, as the menu and every other form
    ("Remember me", "Current password"), where allauth writes "Remember Me", "Current Password". ``labels`` maps a
    field's name to its label (settings.ACCOUNT_FORMS names these forms)."""

    labels: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            if name in self.fields:
                self.fields[name].label = label


NEW_PASSWORD_LABELS = {"password1": _("New password"), "password2": _("New password (again)")}


class LoginForm(PortalLabelsMixin, allauth_forms.LoginForm):
    labels = {"remember": _("Remember me")}


class ChangePasswordForm(PortalLabelsMixin, allauth_forms.ChangePasswordForm):
    labels = {"oldpassword": _("Current password"), **NEW_PASSWORD_LABELS}


class ResetPasswordKeyForm(PortalLabelsMixin, allauth_forms.ResetPasswordKeyForm):
    labels = NEW_PASSWORD_LABELS
