"""Ticket photos, served only to who may see the page that shows them.

The files sit under MEDIA_ROOT with random names, but a name is no permission: a link forwarded, or kept in the
history of someone who has since left the department, must stop working when its reader may no longer see the
ticket. Who may see which photo is ``complaints.queries``' to say (``visible_photo``); this module only asks it:

- staff pages: whoever may open the staff ticket page (``queries.staff_tickets``: the ticket's department, inspectors,
  administrators except for other departments' confidential tickets) sees every ready photo of the ticket;
- citizen pages: whoever may open the citizen ticket page (``queries.tickets_visible_to``: public tickets, the ones
  they filed, hold the guest follow link of, or support) sees the ready photos that page shows them;
- anyone else gets the 404 of a photo that does not exist.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_safe

from . import follow, queries

# Browsers keep a photo this long (private: never a shared cache). Short, because access can end: a staff member
# moved out of the department, a report hidden after filing.
CACHE_SECONDS = 600


@require_safe
def photo(request, pk: int, thumbnail: bool = False):
    attachment = queries.visible_photo(follow.with_grants(request), pk)
    if attachment is None:
        raise Http404
    # A photo without a thumbnail stands in for it, as the pages' own fallback did before.
    file = attachment.thumbnail if thumbnail and attachment.thumbnail else attachment.image
    if not file:
        raise Http404
    redirect = settings.PROTECTED_MEDIA_REDIRECT
    if redirect:
        # nginx sends the file from its internal location (MEDIA_ROOT): no Python worker held for the download.
        response = HttpResponse(content_type="image/jpeg")
        response["X-Accel-Redirect"] = quote(redirect.rstrip("/") + "/" + file.name)
    else:
        try:
            response = FileResponse(file.storage.open(file.name, "rb"), content_type="image/jpeg")
        except FileNotFoundError:
            raise Http404
    # Every photo is re-encoded as a JPEG (complaints.photos); nosniff keeps a browser from reading it as anything
    # else, inline from offering it as a download.
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = f"private, max-age={CACHE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
