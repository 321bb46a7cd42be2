from django.contrib.auth.models import Permission


def test_administrator_group_maintains_the_fiscal_year_calendar_but_not_budgets(administrator, client):
    administrator.refresh_from_db()
    assert administrator.has_perm("planning.change_fiscalyear")
    assert administrator.has_perm("services.change_service")
    assert not administrator.has_perm("planning.change_budgetline")
    assert not administrator.has_perm("complaints.change_ticket")
    assert Permission.objects.filter(codename="change_fiscalyear").exists()
    client.force_login(administrator)
    assert client.get("/admin/planning/fiscalyear/").status_code == 200
    assert client.get("/admin/planning/budgetline/").status_code == 403
