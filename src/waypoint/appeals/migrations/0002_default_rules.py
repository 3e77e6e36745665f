"""Default routing rules, written only where organisations already exist (an installation
that is upgraded): in each region, appeals on medical care and psychological help go to the
region's first clinic (the well-being team), everything else to its first fund branch
(medical care too when the region has no clinic). On an empty database nothing is written:
the fallbacks of appeals.services.route_for apply until an administrator adds rules."""

from django.db import migrations

GENERAL = ["employment", "training", "payments", "legal", "documents", "other"]
CLINICAL = ["medical", "psychological"]


def seed(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    RoutingRule = apps.get_model("appeals", "RoutingRule")
    branches, clinics = {}, {}
    for organisation in Organisation.objects.filter(is_active=True).order_by("pk"):
        if organisation.kind == "fund_branch":
            branches.setdefault(organisation.region_id, organisation)
        elif organisation.kind == "clinic":
            clinics.setdefault(organisation.region_id, organisation)
    rules = []
    for region, branch in branches.items():
        general = GENERAL if region in clinics else [*GENERAL, "medical"]
        rules += [RoutingRule(topic=t, region_id=region, organisation=branch) for t in general]
    for region, clinic in clinics.items():
        rules += [RoutingRule(topic=t, region_id=region, organisation=clinic) for t in CLINICAL]
    RoutingRule.objects.bulk_create(rules)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
