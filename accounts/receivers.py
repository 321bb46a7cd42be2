"""What the portal does when allauth reports a change to an account. Receivers hold no rules: each calls the action
that does the work, by name, as the account views do (``accounts.views``)."""

from __future__ import annotations


def email_changed(sender, *, user, **kwargs) -> None:
    """allauth's ``email_changed``: the citizen made another address their primary one (``/akun/email/``). The copy
    on the reports they filed with their account follows, as a corrected name or phone number does (UU PDP Pasal
    6): staff write to the address they read there."""
    from complaints.actions import personal_data

    personal_data.copy_profile_to_reports(user=user)
