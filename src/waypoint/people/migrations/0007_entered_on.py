import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import TruncDate


def entered_when_created(apps, schema_editor):
    """Records from before the field entered the programme the day they were typed in."""
    Veteran = apps.get_model("people", "Veteran")
    Veteran.objects.update(entered_on=TruncDate("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_search_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="veteran",
            name="entered_on",
            field=models.DateField(
                default=django.utils.timezone.localdate, verbose_name="entered the programme on"
            ),
        ),
        migrations.AlterField(
            model_name="veteran",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="record created at"),
        ),
        migrations.AddIndex(
            model_name="veteran",
            index=models.Index(fields=["entered_on"], name="veteran_entered_on"),
        ),
        migrations.RunPython(entered_when_created, migrations.RunPython.noop),
    ]
