"""The "My proposals" section of a citizen's "My reports" page (templates/complaints/my_reports.html)."""

from django import template

from planning.actions.community import proposals_of

register = template.Library()


@register.simple_tag
def my_proposal_count(user) -> int:
    """How many community proposals ``user`` sent: the page links to them when there are any."""
    return proposals_of(user).count()
