"""One city-wide routing rule (no area) per service: a partial unique index (SQL's UNIQUE(service, area) let NULL
areas repeat, and which of two city-wide rules routed a report was arbitrary).

A service that has two or more keeps the rule routing now prefers (the most recent active one, else the most recent)
(of an active department) and loses the others; each one deleted is printed (id, service, department, active, note) so the upgrade log says
what to check in the admin. A city without such twins changes no row."""

from django.db import migrations, models


def keep_one_city_wide_rule(apps, schema_editor):
    RoutingRule = apps.get_model("services", "RoutingRule")
    twins = (
        RoutingRule.objects.filter(area__isnull=True)
        .values("service_id")
        .annotate(n=models.Count("pk"))
        .filter(n__gt=1)
        .values_list("service_id", flat=True)
    )
    for service_id in list(twins):
        rules = list(
            RoutingRule.objects.filter(service_id=service_id, area__isnull=True).select_related("service", "department")
        )
        # What routing uses: active rules of active departments, the most recent (highest id) winning.
        rules.sort(key=lambda rule: (rule.active and rule.department.active, rule.pk), reverse=True)
        kept, dropped = rules[0], rules[1:]
        for rule in dropped:
            print(
                f"\n  services 0012: deleted city-wide routing rule {rule.pk} ({rule.service.code} → "
                f"{rule.department.code}, {'active' if rule.active else 'inactive'}, note {rule.note!r}); "
                f"kept rule {kept.pk} ({kept.service.code} → {kept.department.code})",
                end="",
            )
        RoutingRule.objects.filter(pk__in=[rule.pk for rule in dropped]).delete()
    if schema_editor.connection.vendor == "postgresql":
        # PostgreSQL builds no index on a table with deferred foreign-key checks still pending in the transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0011_service_default_privacy"),
    ]

    operations = [
        migrations.RunPython(keep_one_city_wide_rule, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="routingrule",
            constraint=models.UniqueConstraint(
                condition=models.Q(("area__isnull", True)),
                fields=("service",),
                name="unique_city_wide_routing_rule",
                violation_error_message="This service already has a city-wide routing rule (no area). Change that rule, or choose an area for this one.",
            ),
        ),
    ]
