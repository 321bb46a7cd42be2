"""The admin's JavaScript catalogue (``/admin/jsi18n/``, which the admin's pages load for their widgets' words):
Django's own (``django.contrib.admin``'s djangojs domain), with the portal's wording of the two-list picker's texts
(``filter_horizontal``, e.g. an activity's kelurahan and services).

Found in the reorganisation walk: in the Indonesian admin the picker's hints still said, in English, to press the
"Choose" / "Remove" arrow button. The catalogue, the language it is served in (the request's, as the page's) and its
headers were right: Django's Indonesian catalogue itself leaves those words in English ('... memilih tombol panah
"Choose".', and "Pindahkan%s" without its space), and names the buttons "Pilih terpilih" / "Pindahkan terpilih"
besides. The portal translates these messages in its own catalogue (locale/, the ``django`` domain, found by
makemessages here), and a message translated there replaces Django's; until it is, Django's stays.
"""

from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

# Django's message (SelectFilter2.js) -> the same message through the portal's catalogue.
REWORDED = {
    'Choose %s by selecting them and then select the "Choose" arrow button.': _(
        'Choose %s by selecting them and then select the "Choose" arrow button.'
    ),
    'Remove %s by selecting them and then select the "Remove" arrow button.': _(
        'Remove %s by selecting them and then select the "Remove" arrow button.'
    ),
    "Choose all %s": _("Choose all %s"),
    "Choose selected %s": _("Choose selected %s"),
    "Remove selected %s": _("Remove selected %s"),
    "Remove all %s": _("Remove all %s"),
}


class AdminJavaScriptCatalog(JavaScriptCatalog):
    """What ``AdminSite.i18n_javascript`` serves, with ``REWORDED``'s messages the portal translates."""

    packages = ["django.contrib.admin"]

    def get_catalog(self):
        catalog = super().get_catalog()
        for msgid, text in REWORDED.items():
            if str(text) != msgid:
                catalog[msgid] = str(text)
        return catalog
