from django.contrib import admin

from paperfeed.ingest.models import HarvestState, Reject


@admin.register(Reject)
class RejectAdmin(admin.ModelAdmin):
    list_display = ("created_at", "source", "reason")
    list_filter = ("source",)
    search_fields = ("reason", "raw")
    readonly_fields = ("source", "raw", "reason", "created_at")


@admin.register(HarvestState)
class HarvestStateAdmin(admin.ModelAdmin):
    """Where each arXiv harvest stands; read-only, because `paperfeed ingest arxiv` owns it."""

    list_display = (
        "set_spec",
        "running",
        "from_date",
        "until_date",
        "pages",
        "records",
        "watermark",
        "next_from",
        "finished_at",
        "updated_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
