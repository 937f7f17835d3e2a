"""The map of the hub: a point per paper (2-D coordinates and a topic) and the topics with their labels.

A full build (build.py) rewrites every point and matches its clusters to the previous build's topics by
shared papers, so a topic keeps its id (and URL) across rebuilds where its papers stayed together. Papers
that arrive between builds get a point placed by their nearest neighbours (place.py).
"""

from __future__ import annotations

from django.db import models

from paperfeed.papers.models import Paper


class MapBuild(models.Model):
    """One run of the full build: what it did, how long it took, and whether it finished."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    papers = models.PositiveIntegerField(default=0, help_text="papers given a point by this build")
    fitted = models.PositiveIntegerField(default=0, help_text="papers the layout was fitted on (the rest placed)")
    topics = models.PositiveIntegerField(default=0)
    noise = models.PositiveIntegerField(default=0, help_text="papers the clustering left out, given the nearest topic")
    kept_topics = models.PositiveIntegerField(default=0, help_text="topics matched to one of the previous build")
    seconds = models.FloatField(default=0.0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"map build {self.pk} ({self.papers} papers, {self.topics} topics)"


class Topic(models.Model):
    """A cluster of the map. The id is stable across rebuilds (matching.py); `active` is False once a rebuild
    found no cluster that continues it."""

    words = models.JSONField(default=list, help_text="the label's words, most telling first (class-based TF-IDF)")
    label = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0, help_text="papers in the topic at its last build")
    x = models.FloatField(default=0.0, help_text="where the label sits on the map (the topic's median point)")
    y = models.FloatField(default=0.0)
    active = models.BooleanField(default=True)
    first_build = models.ForeignKey(MapBuild, null=True, on_delete=models.SET_NULL, related_name="+")
    last_build = models.ForeignKey(MapBuild, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return f"topic {self.pk}: {self.label}"

    def get_absolute_url(self) -> str:
        return f"/topics/{self.pk}"


class PaperPoint(models.Model):
    BUILD = "build"
    NEIGHBOURS = "neighbours"
    PLACED_BY = [(BUILD, "fitted by the build"), (NEIGHBOURS, "placed by its nearest neighbours")]

    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, related_name="map_point")
    x = models.FloatField()
    y = models.FloatField()
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="points")
    placed_by = models.CharField(max_length=12, choices=PLACED_BY, default=BUILD)
    build = models.ForeignKey(MapBuild, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return f"{self.paper_id} at ({self.x:.2f}, {self.y:.2f}) in topic {self.topic_id}"
