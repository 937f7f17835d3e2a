"""What For you keeps per reader: Not-interested marks, excluded words and feed token, and the trained model."""

from __future__ import annotations

import secrets

import numpy as np
from django.conf import settings
from django.db import models
from django.utils import timezone

from paperfeed.papers.models import Paper


class NotInterested(models.Model):
    """A private negative signal: the reader does not want this paper (or ones like it) in their feed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="not_interested")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "paper"], name="not_interested_once")]


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class ReaderSettings(models.Model):
    """The reader's own For-you settings: words that exclude a paper, and the secret of their private feed URL."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_settings")
    excluded_words = models.JSONField(default=list, blank=True, help_text="lower-cased words or phrases")
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)


class ReaderModel(models.Model):
    """A reader's trained linear model over paper embeddings. `stale` is set whenever a signal changes; the
    retrain job clears it. A stale model keeps being used until then (the page never trains)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_model")
    model_name = models.CharField(max_length=300, blank=True, help_text="embedding model the weights belong to")
    weights = models.BinaryField(default=b"", help_text="float32 weight vector (embedding dimensions)")
    bias = models.FloatField(default=0.0)
    positives = models.PositiveIntegerField(default=0)
    negatives = models.PositiveIntegerField(default=0)
    stale = models.BooleanField(default=True, db_index=True)
    changed_at = models.DateTimeField(default=timezone.now, help_text="when a signal last changed")
    trained_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    def weight_vector(self) -> np.ndarray | None:
        if not self.weights:
            return None
        return np.frombuffer(bytes(self.weights), dtype="<f4").astype(np.float32)
