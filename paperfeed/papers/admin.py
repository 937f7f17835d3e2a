from django.contrib import admin

from paperfeed.papers import changes
from paperfeed.papers.models import Collection, CollectionItem, Comment, Listing, Paper, Vote, refresh_comment_count


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = (
        "arxiv_id",
        "title",
        "primary_category",
        "vote_count",
        "imported_upvotes",
        "comment_count",
        "hidden",
        "withdrawn",
    )
    list_filter = ("hidden", "withdrawn", "primary_category")
    search_fields = ("arxiv_id", "title")
    readonly_fields = ("vote_count", "comment_count", "created_at", "modified_at")
    actions = ["hide", "unhide"]

    @admin.action(description="Hide from every page")
    def hide(self, request, queryset):
        changes.mark_changed(queryset, hidden=True)

    @admin.action(description="Show again")
    def unhide(self, request, queryset):
        changes.mark_changed(queryset, hidden=False)


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    """Submissions are listings with a submitter; filter by source to see them."""

    list_display = ("paper", "day", "source", "submitted_by", "submitter_name", "created_at")
    list_filter = ("source", "day")
    search_fields = ("paper__arxiv_id", "paper__title", "submitted_by__username", "submitter_name")
    raw_id_fields = ("paper", "submitted_by")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("paper", "user", "created_at", "hidden")
    list_filter = ("hidden",)
    search_fields = ("body", "user__username", "paper__arxiv_id")
    raw_id_fields = ("paper", "user")
    actions = ["hide", "unhide"]

    def _set_hidden(self, queryset, hidden: bool):
        paper_ids = set(queryset.values_list("paper_id", flat=True))
        queryset.update(hidden=hidden)
        for paper_id in paper_ids:
            refresh_comment_count(paper_id)

    @admin.action(description="Hide comment")
    def hide(self, request, queryset):
        self._set_hidden(queryset, True)

    @admin.action(description="Show comment again")
    def unhide(self, request, queryset):
        self._set_hidden(queryset, False)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_comment_count(obj.paper_id)


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ("paper", "user", "created_at")
    raw_id_fields = ("paper", "user")


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    raw_id_fields = ("paper",)
    extra = 0


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "public", "created_at")
    search_fields = ("name", "owner__username")
    raw_id_fields = ("owner",)
    inlines = [CollectionItemInline]
