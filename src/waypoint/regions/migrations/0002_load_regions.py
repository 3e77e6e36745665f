from django.db import migrations


def load(apps, schema_editor):
    from waypoint.regions.data import REGIONS

    Region = apps.get_model("regions", "Region")
    for code, name_ru, name_en, district in REGIONS:
        Region.objects.update_or_create(
            code=code,
            defaults={"name_ru": name_ru, "name_en": name_en, "federal_district": district},
        )


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
