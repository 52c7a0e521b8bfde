# The content version belongs to the page cache, which moved to `reporting`. The
# table stays where it is; only Django's record of which app owns it changes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0004_content_version"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ContentVersion")],
            database_operations=[],
        ),
    ]
