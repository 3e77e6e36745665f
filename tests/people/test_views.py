from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import make_veteran
from waypoint.audit.models import AuditEvent
from waypoint.people import services
from waypoint.people.models import Consent, ServiceRecord, Veteran, WorkLimitation


def detail(veteran, tab="profile"):
    return reverse("people:veteran_detail", args=[veteran.pk]) + f"?tab={tab}"


def test_list_shows_only_veterans_in_scope(client, coordinator, moscow_veteran, sverdlovsk_veteran):
    client.force_login(coordinator)
    page = client.get(reverse("people:veteran_list")).content.decode()
    assert "Кузнецов" in page
    assert "Попов" not in page


def test_search_does_not_reach_outside_scope(client, coordinator, sverdlovsk_veteran):
    client.force_login(coordinator)
    rows = client.get(reverse("people:veteran_list"), {"q": "Попов"}, HTTP_HX_REQUEST="true")
    page = rows.content.decode()
    assert "Попов" not in page
    assert "No veteran matches." in page


def test_search_and_filters(client, coordinator, moscow_veteran):
    make_veteran(
        coordinator=coordinator, last_name="Орлов", first_name="Иван", status=Veteran.Status.NEW
    )
    client.force_login(coordinator)
    url = reverse("people:veteran_list")
    assert "Орлов" not in client.get(url, {"q": "Кузн"}).content.decode()
    assert "Орлов" in client.get(url, {"status": "new"}).content.decode()
    assert "Кузнецов" in client.get(url, {"coordinator": "me"}).content.decode()
    assert "Кузнецов" not in client.get(url, {"region": "66"}).content.decode()


def test_htmx_search_returns_only_the_rows(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    response = client.get(reverse("people:veteran_list"), {"q": "Кузн"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Кузнецов" in body
    assert "<html" not in body


def test_list_forbidden_without_permission(client, provider):
    client.force_login(provider)
    assert client.get(reverse("people:veteran_list")).status_code == 403


def test_export_has_bom_scope_and_audit(client, coordinator, moscow_veteran, sverdlovsk_veteran):
    client.force_login(coordinator)
    response = client.get(reverse("people:veteran_export"))
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    assert "Кузнецов" in body
    assert "Попов" not in body
    event = AuditEvent.objects.get(action="people.veteran.export")
    assert event.changes["count"] == [None, 1]


def test_detail_is_audited_and_scoped(client, coordinator, other_coordinator, moscow_veteran):
    client.force_login(coordinator)
    assert client.get(detail(moscow_veteran)).status_code == 200
    assert (
        AuditEvent.objects.filter(
            action="people.veteran.view", veteran_id=moscow_veteran.pk
        ).count()
        == 1
    )
    client.force_login(other_coordinator)
    assert client.get(detail(moscow_veteran)).status_code == 404
    assert client.get(reverse("people:veteran_detail", args=[999999])).status_code == 404


def test_veteran_sees_own_record_only(client, veteran_user, own_veteran, moscow_veteran):
    client.force_login(veteran_user)
    assert client.get(detail(own_veteran)).status_code == 200
    assert client.get(detail(moscow_veteran)).status_code == 404


@pytest.mark.parametrize(
    "tab",
    [
        "profile",
        "service",
        "experience",
        "skills",
        "preferences",
        "consents",
        "duplicates",
        "limitations",
    ],
)
def test_every_tab_renders(client, coordinator, moscow_veteran, tab):
    client.force_login(coordinator)
    response = client.get(detail(moscow_veteran, tab))
    assert response.status_code == 200
    assert client.get(detail(moscow_veteran, tab), HTTP_HX_REQUEST="true").status_code == 200


def test_limitations_hidden_without_permission(client, operator, coordinator, moscow_veteran):
    services.give_consent(
        actor=coordinator, veteran=moscow_veteran, purpose="health_data", channel="in_person"
    )
    services.set_work_limitation(
        actor=coordinator,
        veteran=moscow_veteran,
        values={"disability_group": "2", "restrictions": ["no_night_shifts"]},
    )
    client.force_login(operator)
    page = client.get(detail(moscow_veteran, "limitations")).content.decode()
    assert "no night shifts" not in page
    assert "Work limitations" not in page
    client.force_login(coordinator)
    assert "no night shifts" in client.get(detail(moscow_veteran, "limitations")).content.decode()


def test_part_round_trip(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    add = reverse("people:part_add", args=[moscow_veteran.pk, "service"])
    response = client.post(
        add,
        {
            "branch": "ground",
            "specialty": "механик-водитель БМП",
            "rank": "sergeant",
            "start_date": "2015-03-01",
            "end_date": "2023-05-01",
        },
    )
    assert response.status_code == 302
    part = ServiceRecord.objects.get(veteran=moscow_veteran)
    edit = reverse("people:part_edit", args=[moscow_veteran.pk, "service", part.pk])
    client.post(
        edit,
        {
            "branch": "ground",
            "specialty": "механик-водитель БМП-3",
            "rank": "sergeant",
            "start_date": "2015-03-01",
            "end_date": "2023-05-01",
        },
    )
    part.refresh_from_db()
    assert part.specialty == "механик-водитель БМП-3"
    delete = reverse("people:part_delete", args=[moscow_veteran.pk, "service", part.pk])
    assert client.get(delete).status_code == 200
    assert ServiceRecord.objects.filter(pk=part.pk).exists()
    client.post(delete)
    assert not ServiceRecord.objects.filter(pk=part.pk).exists()
    actions = set(
        AuditEvent.objects.filter(subject_type="people.servicerecord").values_list(
            "action", flat=True
        )
    )
    assert actions == {
        "people.servicerecord.create",
        "people.servicerecord.update",
        "people.servicerecord.delete",
    }


def test_part_error_names_the_field_and_writes_nothing(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("people:part_add", args=[moscow_veteran.pk, "service"]),
        {
            "branch": "ground",
            "specialty": "сапёр",
            "rank": "private",
            "start_date": "2015-03-01",
            "end_date": "2014-01-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"]
    assert not ServiceRecord.objects.exists()
    assert AuditEvent.objects.count() == before


def test_cannot_edit_other_region(client, other_coordinator, moscow_veteran):
    client.force_login(other_coordinator)
    url = reverse("people:part_add", args=[moscow_veteran.pk, "skill"])
    assert client.post(url, {"name": "x", "level": "basic"}).status_code == 404
    assert client.get(reverse("people:veteran_edit", args=[moscow_veteran.pk])).status_code == 404


def test_unknown_section_is_404(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    url = reverse("people:part_add", args=[moscow_veteran.pk, "salary"])
    assert client.get(url).status_code == 404


def test_limitation_needs_health_consent(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    url = reverse("people:limitation_edit", args=[moscow_veteran.pk])
    data = {"disability_group": "3", "restrictions": ["no_heavy_lifting"], "notes": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "consent" in response.content.decode()
    assert not WorkLimitation.objects.exists()
    client.post(
        reverse("people:consent_give", args=[moscow_veteran.pk]),
        {"purpose": "health_data", "channel": "in_person"},
    )
    assert client.post(url, data).status_code == 302
    assert WorkLimitation.objects.get().restrictions == ["no_heavy_lifting"]


def test_consent_withdraw_round_trip(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    client.post(
        reverse("people:consent_give", args=[moscow_veteran.pk]),
        {"purpose": "contact", "channel": "phone"},
    )
    assert Consent.objects.filter(purpose="contact", withdrawn_at=None).exists()
    client.post(reverse("people:consent_withdraw", args=[moscow_veteran.pk, "contact"]))
    assert not Consent.objects.filter(purpose="contact", withdrawn_at=None).exists()


def test_edit_profile(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    url = reverse("people:veteran_edit", args=[moscow_veteran.pk])
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({"address": "Москва, ул. Тверская, 1", "birth_date": "1990-05-17", "region": "77"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    moscow_veteran.refresh_from_db()
    assert moscow_veteran.address == "Москва, ул. Тверская, 1"


def test_veteran_edits_own_contacts_only(client, veteran_user, own_veteran):
    client.force_login(veteran_user)
    url = reverse("people:veteran_edit", args=[own_veteran.pk])
    form = client.get(url).context["form"]
    assert "birth_date" not in form.fields
    response = client.post(
        url,
        {
            "phone": "+7 999 111-22-33",
            "email": "a@example.org",
            "region": "50",
            "address": "",
            "driving_licences": "b",
        },
    )
    assert response.status_code == 302
    own_veteran.refresh_from_db()
    assert (own_veteran.phone, own_veteran.region_id, own_veteran.driving_licences) == (
        "+79991112233",
        "50",
        "B",
    )


def test_assign_coordinator(client, admin, coordinator, moscow_veteran):
    other = make_veteran(status=Veteran.Status.NEW)
    client.force_login(coordinator)
    url = reverse("people:assign_coordinator", args=[other.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"coordinator": coordinator.pk})
    other.refresh_from_db()
    assert (other.coordinator, other.status) == (coordinator, Veteran.Status.ACTIVE)


def test_skill_confirm(client, coordinator, moscow_veteran):
    skill = services.save_part(
        actor=coordinator,
        veteran=moscow_veteran,
        kind="skill",
        values={"name": "вождение грузовика", "level": "advanced"},
    )
    client.force_login(coordinator)
    client.post(reverse("people:skill_confirm", args=[moscow_veteran.pk, skill.pk]))
    skill.refresh_from_db()
    assert skill.confirmed_by == coordinator


def test_preferences(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    response = client.post(
        reverse("people:preferences_edit", args=[moscow_veteran.pk]),
        {
            "regions": ["77", "50"],
            "willing_to_relocate": "on",
            "remote_work": "hybrid",
            "desired_occupations": "водитель",
            "expected_salary": "90000",
        },
    )
    assert response.status_code == 302
    assert sorted(moscow_veteran.preferences.regions.values_list("code", flat=True)) == ["50", "77"]


def test_self_registration(client, db):
    response = client.post(
        reverse("people:self_register"),
        {
            "username": "ivan.petrov",
            "password": "Tr1cky-pass-phrase",
            "password_again": "Tr1cky-pass-phrase",
            "last_name": "Петров",
            "first_name": "Иван",
            "birth_date": "1991-04-02",
            "sex": "m",
            "phone": "+7 903 555 44 33",
            "email": "ivan@example.org",
            "region": "61",
            "consent_personal_data": "on",
        },
    )
    assert response.status_code == 302
    veteran = Veteran.objects.get()
    assert (veteran.status, veteran.intake_channel, veteran.account.username) == (
        "new",
        "self_service",
        "ivan.petrov",
    )
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password_again": "different"}, "password_again"),
        ({"consent_personal_data": ""}, "consent_personal_data"),
        ({"birth_date": "2099-01-01"}, "birth_date"),
    ],
)
def test_self_registration_errors(client, db, change, field):
    data = {
        "username": "ivan.petrov",
        "password": "Tr1cky-pass-phrase",
        "password_again": "Tr1cky-pass-phrase",
        "last_name": "Петров",
        "first_name": "Иван",
        "birth_date": "1991-04-02",
        "sex": "m",
        "phone": "+7 903 555 44 33",
        "email": "",
        "region": "61",
        "consent_personal_data": "on",
    }
    data.update(change)
    response = client.post(reverse("people:self_register"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Veteran.objects.exists()


def test_duplicate_check_partial(client, coordinator, moscow_veteran, sverdlovsk_veteran):
    client.force_login(coordinator)
    url = reverse("people:duplicate_check")
    page = client.get(url, {"phone": sverdlovsk_veteran.phone}).content.decode()
    assert "outside your scope" in page
    assert "Попов" not in page
    page = client.get(
        url,
        {
            "last_name": "Кузнецов",
            "first_name": "Дмитрий",
            "birth_date": date(1990, 5, 17).isoformat(),
        },
    ).content.decode()
    assert "Open the existing record" in page
