"""The programme entry date: today unless the intake says otherwise, editable, checked the
same way on the form, the API and the file importer."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.people.test_import import GOOD, HEADER, csv_bytes, run
from tests.people.test_intake import form_data
from tests.route_matrix import token_client
from waypoint.people.models import Veteran

TODAY = timezone.localdate()


def test_intake_prefills_today_and_keeps_a_date_typed_in(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("people:intake"))
    assert f'value="{TODAY.isoformat()}"' in page.content.decode()
    client.post(reverse("people:intake"), form_data(entered_on="2025-03-14"))
    assert Veteran.objects.get().entered_on.isoformat() == "2025-03-14"


def test_intake_without_a_date_means_today(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("people:intake"), form_data())
    assert Veteran.objects.get().entered_on == TODAY


@pytest.mark.parametrize(
    ("entered_on", "message"),
    [
        ((TODAY + timedelta(days=1)).isoformat(), "cannot be in the future"),
        ("1984-01-01", "cannot be before the birth date"),  # born 9 March 1985
        ("2001-03-08", "at 16 or older"),  # the day before the 16th birthday
    ],
)
def test_a_wrong_entry_date_is_named_and_nothing_written(client, coordinator, entered_on, message):
    client.force_login(coordinator)
    with translation.override("en"):
        response = client.post(reverse("people:intake"), form_data(entered_on=entered_on))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["entered_on"])
    assert not Veteran.objects.exists()


def test_the_api_reads_and_writes_the_entry_date(coordinator, moscow_veteran):
    client = token_client(coordinator)
    url = f"/api/v1/veterans/{moscow_veteran.pk}"
    assert client.get(url).json()["entered_on"] == moscow_veteran.entered_on.isoformat()
    changed = client.patch(url, json.dumps({"entered_on": "2024-05-02"}), "application/json")
    assert changed.status_code == 200
    assert changed.json()["entered_on"] == "2024-05-02"
    future = (TODAY + timedelta(days=3)).isoformat()
    with translation.override("en"):
        refused = client.patch(url, json.dumps({"entered_on": future}), "application/json")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "entered_on"


def test_the_importer_reads_an_optional_entry_date_and_names_a_bad_one(coordinator):
    header = HEADER + ",entered_on"
    rows = [GOOD[0] + ",14.03.2025", GOOD[1] + ","]
    report = run(coordinator, csv_bytes(rows, header=header))
    assert report.created == 2
    dates = dict(Veteran.objects.values_list("last_name", "entered_on"))
    assert dates["Волков"].isoformat() == "2025-03-14"
    assert dates["Лебедева"] == TODAY
    Veteran.objects.all().delete()
    bad = [GOOD[0] + ",2025-02-30", GOOD[1] + ",1950-01-01"]
    report = run(coordinator, csv_bytes(bad, header=header))
    assert [(r.line, r.field) for r in report.rejected] == [(2, "entered_on"), (3, "entered_on")]
    assert not Veteran.objects.exists()
