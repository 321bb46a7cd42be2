from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    # allauth's email addresses are "Accounts" in the admin too: two sections of one name.
    verbose_name = _("Users and access")

    def ready(self):
        from allauth.account.signals import email_changed

        from . import checks, receivers  # noqa: F401 - checks registers the deployment check

        email_changed.connect(receivers.email_changed, dispatch_uid="accounts.email_changed")
