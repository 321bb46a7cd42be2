"""REST API tokens, kept as Open311 keys are: never the key itself.

DRF's token table holds the key as its primary key. Here the row holds the key's first characters, so that the
admin and the integration can tell which key a row is, and a SHA-256 digest of the whole key in the rest of the
column: a copy of the database (a backup, a dump for a developer) no longer lets anyone call the API as the city's
integrations. The key is shown once, when it is issued. A key is 40 random hex characters (160 bits): its first
8 shown leave 128 unknown bits, and the digest kept to 32 hex characters is 128 bits, which no search reaches.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from rest_framework.authtoken.models import Token

SHOWN_CHARACTERS = 8
_KEY_COLUMN = 40  # rest_framework.authtoken.models.Token.key


def stored_form(key: str) -> str:
    """What the token table holds for ``key``: its first characters and a digest of all of it."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    return key[:SHOWN_CHARACTERS] + digest[: _KEY_COLUMN - SHOWN_CHARACTERS]


def issue_token(user) -> str:
    """A new API token for ``user``, replacing the one it had; the key is returned here and nowhere else."""
    key = Token.generate_key()
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        Token.objects.create(user=user, key=stored_form(key))
    return key
