# Adopts the content version table that `cooperation` created (see its 0005).

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cooperation", "0005_content_version_to_reporting"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContentVersion",
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
                        (
                            "counter",
                            models.PositiveBigIntegerField(
                                default=0, verbose_name="counter"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "content version",
                        "verbose_name_plural": "content versions",
                        "db_table": "cooperation_contentversion",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
