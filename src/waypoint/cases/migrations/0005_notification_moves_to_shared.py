# Notification now belongs to waypoint.shared (its 0001), on the same table: cases forgets the
# model without dropping the table.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_alter_referral_consent_purpose"),
        ("shared", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
