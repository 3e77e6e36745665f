# The Notification model moves here from cases; its table (cases_notification) and rows stay
# as they are: this migration changes Django's state only, and cases' 0005 removes it there.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("kind", models.CharField(max_length=30, verbose_name="kind")),
                        ("text", models.CharField(max_length=300, verbose_name="text")),
                        (
                            "url",
                            models.CharField(blank=True, max_length=300, verbose_name="link"),
                        ),
                        (
                            "read_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="read"),
                        ),
                        ("key", models.CharField(max_length=100)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "db_table": "cases_notification",
                        "ordering": ["-created_at", "-pk"],
                        "default_permissions": (),
                        "indexes": [
                            models.Index(fields=["user", "read_at"], name="notification_unread")
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "key"), name="notification_once"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
