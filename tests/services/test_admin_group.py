from django.contrib.auth.models import Permission


def test_administrator_group_maintains_the_fiscal_year_calendar_but_not_budgets(administrator, client):
    administrator.refresh_from_db()
    assert administrator.has_perm("planning.change_fiscalyear")
    assert administrator.has_perm("services.change_service")
    assert not administrator.has_perm("planning.change_budgetline")
    assert administrator.has_perm("complaints.change_cannedresponse")
    assert not administrator.has_perm("complaints.delete_ticket")
    assert Permission.objects.filter(codename="change_fiscalyear").exists()
    client.force_login(administrator)
    assert client.get("/admin/planning/fiscalyear/").status_code == 200
    assert client.get("/admin/planning/budgetline/").status_code == 403
    assert client.get("/admin/complaints/cannedresponse/").status_code == 200
    assert client.get("/admin/complaints/ticket/reassign/").status_code == 200


def test_administrator_never_sees_confidential_tickets_of_departments_in_the_admin(administrator, client):
    from tests.factories import make_ticket

    secret = make_ticket(privacy="confidential", title="Rahasia pungli")
    public = make_ticket(title="Sampah di Jalan Mawar")
    client.force_login(administrator)
    listing = client.get("/admin/complaints/ticket/").content.decode()
    assert public.reference in listing
    assert secret.reference not in listing
    assert client.get(f"/admin/complaints/ticket/{secret.pk}/change/").status_code in (302, 404)
