from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("City catalogue")

    def ready(self):
        from . import lookups

        lookups.connect_signals()
