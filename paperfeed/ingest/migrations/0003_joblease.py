from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0002_harveststate"),
    ]

    operations = [
        migrations.CreateModel(
            name="JobLease",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=64, unique=True)),
                (
                    "owner",
                    models.CharField(blank=True, help_text="host:pid:nonce of the holder; empty: free", max_length=200),
                ),
                (
                    "expires_at",
                    models.DateTimeField(blank=True, help_text="after this, another process may take it", null=True),
                ),
            ],
        ),
    ]
