from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="HarvestState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "set_spec",
                    models.CharField(help_text="OAI set, e.g. cs or physics:hep-th", max_length=64, unique=True),
                ),
                (
                    "categories",
                    models.JSONField(blank=True, default=list, help_text="arXiv categories kept; empty: all"),
                ),
                ("metadata_format", models.CharField(default="arXivRaw", max_length=16)),
                ("from_date", models.DateField(blank=True, help_text="the running harvest's from", null=True)),
                ("until_date", models.DateField(blank=True, help_text="the running harvest's until", null=True)),
                ("resumption_token", models.TextField(blank=True, help_text="set while a harvest is unfinished")),
                ("watermark", models.DateField(blank=True, help_text="latest datestamp stored so far", null=True)),
                (
                    "next_from",
                    models.DateField(blank=True, help_text="where the next harvest without --from starts", null=True),
                ),
                (
                    "response_date",
                    models.DateField(blank=True, help_text="arXiv's date at the running harvest's start", null=True),
                ),
                ("pages", models.PositiveIntegerField(default=0, help_text="pages stored in the running harvest")),
                ("records", models.PositiveIntegerField(default=0, help_text="records seen in the running harvest")),
                (
                    "complete_size",
                    models.PositiveIntegerField(
                        blank=True, help_text="completeListSize, when arXiv gives it", null=True
                    ),
                ),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
    ]
