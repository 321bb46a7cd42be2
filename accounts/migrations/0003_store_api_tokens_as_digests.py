"""The token table keeps each REST API key's first characters and a digest instead of the key (accounts.tokens).

Integrations keep their keys: they send the same key, the portal compares its stored form. Not reversible: the
keys themselves are gone from the database, which is the point.
"""

from django.db import migrations

from accounts.tokens import stored_form


def store_digests(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    for key in list(Token.objects.values_list("key", flat=True)):
        Token.objects.filter(key=key).update(key=stored_form(key))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_apitoken"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(store_digests, migrations.RunPython.noop, elidable=True)]
