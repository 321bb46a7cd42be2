"""The admin's inline tables, their "Add another …" link in sentence case.

Django writes the link as "Add another %(verbose_name)s" with the verbose name capitalised
(``InlineAdminFormSet.inline_formset_data`` applies ``capfirst``), so a lower-case verbose name, as the portal's
are, read "Add another Department membership" and in Indonesian "Tambahkan Keanggotaan perangkat daerah lagi".
The headings above the table keep their capital (Django's templates capitalise those). The message is Django's
own ("Add another %(verbose_name)s", translated in Django's catalogue).
"""

import json

from django.contrib.admin import helpers
from django.utils.translation import gettext


class InlineInSentenceCase(helpers.InlineAdminFormSet):
    """Django's inline formset for the admin's templates, with the verbose name inside the link's sentence as the
    model or inline spells it."""

    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        data["options"]["addText"] = gettext("Add another %(verbose_name)s") % {"verbose_name": self.opts.verbose_name}
        return json.dumps(data)


class AddAnotherInSentenceCase:
    """ModelAdmin mixin: the inlines' "Add another …" link keeps the verbose name's own case."""

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_admin_formset in inline_admin_formsets:
            if type(inline_admin_formset) is helpers.InlineAdminFormSet:  # the same object, one method changed
                inline_admin_formset.__class__ = InlineInSentenceCase
        return inline_admin_formsets
