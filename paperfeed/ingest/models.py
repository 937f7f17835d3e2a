from django.db import models


class Reject(models.Model):
    """A record an import could not take, kept with its reason so nothing is silently lost."""

    source = models.CharField(max_length=64)
    raw = models.TextField()
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.source}: {self.reason[:80]}"
