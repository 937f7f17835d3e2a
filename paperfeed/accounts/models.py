"""What a signed-in user keeps: the categories and authors they follow, and their saved searches."""

from __future__ import annotations

from django.conf import settings
from django.db import models

ALERT_CHOICES = [("", "No email"), ("daily", "Daily"), ("weekly", "Weekly")]


class Follow(models.Model):
    """A category (e.g. cs.LG) or an author name the user wants new papers of in their personal digest."""

    CATEGORY, AUTHOR = "category", "author"
    KINDS = [(CATEGORY, "Category"), (AUTHOR, "Author")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(max_length=16, choices=KINDS)
    value = models.CharField(max_length=200, help_text="as the user typed it (trimmed)")
    key = models.CharField(max_length=200, help_text="value lower-cased with spaces collapsed: what matching uses")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "key"], name="one_follow_per_value")]
        ordering = ["kind", "key"]

    def __str__(self):
        return f"{self.user} follows {self.kind} {self.value}"


class SavedSearch(models.Model):
    """A search (query string in the search syntax plus filters) the user can rerun, and be emailed about."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=200, blank=True)
    query = models.CharField(max_length=500)
    filters = models.JSONField(default=dict, blank=True, help_text="{categories: [...], authors: [...]}")
    alert = models.CharField(
        max_length=8,
        choices=ALERT_CHOICES,
        blank=True,
        default="",
        help_text="email me new matches: '', daily or weekly",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name or self.query

    @property
    def label(self) -> str:
        return self.name or self.query
