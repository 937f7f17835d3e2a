"""The outbox: where mail goes when no mail server is configured (the demo, a first try), kept for people to read."""

from django.db import models


class OutboxMessage(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    subject = models.TextField()
    from_email = models.TextField()
    to = models.TextField(help_text="recipients, comma-separated")
    text = models.TextField(blank=True, help_text="the plain-text part")
    html = models.TextField(blank=True, help_text="the HTML part, if any")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.subject} -> {self.to}"
