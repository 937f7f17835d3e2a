from django.contrib import admin

from paperfeed.ingest.models import Reject


@admin.register(Reject)
class RejectAdmin(admin.ModelAdmin):
    list_display = ("created_at", "source", "reason")
    list_filter = ("source",)
    search_fields = ("reason", "raw")
    readonly_fields = ("source", "raw", "reason", "created_at")
