"""The map build: every visible paper with an embedding gets a point and a topic; topics get labels and keep
their ids from the previous build where their papers stayed together.

`build_map()` reads the vectors, fits the layout on at most MAP_FIT_SAMPLE of them (a seeded random sample;
the rest are placed by their nearest sampled neighbours, layout.place), labels the topics from the fitted
papers' titles and abstracts, matches them to the old topics, and replaces all points in one transaction, so
readers see the old map or the new one, never half of each. A failed build leaves the old map and records why.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from paperfeed.errors import PaperfeedError
from paperfeed.papers.models import Paper
from paperfeed.topics import labels, layout, matching, vectors
from paperfeed.topics.models import MapBuild, PaperPoint, Topic

Progress = Callable[[str], None]
STORE_BATCH = 5000


class MapUnavailable(PaperfeedError):
    status = 409
    code = "map_unavailable"


def _texts(pks: np.ndarray) -> list[str]:
    by_pk = {}
    pk_list = [int(p) for p in pks]
    for start in range(0, len(pk_list), 5000):
        for pk, title, abstract in Paper.objects.filter(pk__in=pk_list[start : start + 5000]).values_list(
            "pk", "title", "abstract"
        ):
            by_pk[pk] = f"{title}. {title}. {abstract}"  # the title twice: it is the paper's own summary
    return [by_pk.get(pk, "") for pk in pk_list]


def build_map(*, progress: Progress = lambda _: None, sample: int | None = None) -> MapBuild:
    started = time.monotonic()
    say = _timed(progress, started)
    record = MapBuild.objects.create()
    try:
        pks, vecs = vectors.load()
        if len(pks) == 0:
            raise MapUnavailable(
                "No paper has an embedding yet, so there is nothing to map: run `paperfeed index embed` first."
            )
        say(f"{len(pks):,} embeddings read")
        laid = layout.fit_sampled(
            vecs,
            sample=sample or settings.PAPERFEED["MAP_FIT_SAMPLE"],
            min_size=settings.PAPERFEED["MAP_MIN_TOPIC_SIZE"],
            progress=say,
        )
        xy, topic, fit_rows = laid.xy, laid.topic, laid.fit_rows
        words = labels.label_topics(_texts(pks[fit_rows]), topic[fit_rows])
        say(f"{len(words)} topics labelled")
        kept = _store(record, pks, xy, topic, words, fitted_rows=fit_rows)
        record.papers, record.fitted, record.topics = len(pks), len(fit_rows), len(words)
        record.noise, record.kept_topics = laid.noise, kept
        say(f"stored: {len(words)} topics ({kept} kept their id), {len(pks):,} points")
    except Exception as exc:
        record.error = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        raise
    finally:
        record.seconds = time.monotonic() - started
        record.finished_at = timezone.now()
        record.save()
    return record


def _timed(progress: Progress, started: float) -> Progress:
    return lambda line: progress(f"map: {line} ({time.monotonic() - started:.1f} s)")


def _store(record, pks, xy, topic, words, *, fitted_rows) -> int:
    """Replace the map; returns how many topics kept an old id."""
    clusters = {int(t): set(pks[topic == t].tolist()) for t in np.unique(topic)}
    with transaction.atomic():
        old: dict[int, set[int]] = {}
        for pk, topic_id in PaperPoint.objects.values_list("paper_id", "topic_id").iterator(chunk_size=20000):
            old.setdefault(topic_id, set()).add(pk)
        kept = matching.match(clusters, old)
        Topic.objects.filter(active=True).exclude(pk__in=kept.values()).update(active=False)
        PaperPoint.objects.all().delete()
        topic_of: dict[int, Topic] = {}
        for cluster in sorted(clusters):
            members = topic == cluster
            fields = {
                "words": words.get(cluster, []),
                "label": labels.label_text(words.get(cluster, [])),
                "size": int(members.sum()),
                "x": float(np.median(xy[members, 0])),
                "y": float(np.median(xy[members, 1])),
                "active": True,
                "last_build": record,
            }
            if cluster in kept:
                Topic.objects.filter(pk=kept[cluster]).update(**fields)
                topic_of[cluster] = Topic(pk=kept[cluster])
            else:
                topic_of[cluster] = Topic.objects.create(first_build=record, **fields)
        fitted = np.zeros(len(pks), dtype=bool)
        fitted[fitted_rows] = True
        # One batch of model objects at a time: a million of them at once would be a GB of Python objects.
        for start in range(0, len(pks), STORE_BATCH):
            PaperPoint.objects.bulk_create(
                [
                    PaperPoint(
                        paper_id=int(pks[i]),
                        x=float(xy[i, 0]),
                        y=float(xy[i, 1]),
                        topic_id=topic_of[int(topic[i])].pk,
                        placed_by=PaperPoint.BUILD if fitted[i] else PaperPoint.NEIGHBOURS,
                        build=record,
                    )
                    for i in range(start, min(start + STORE_BATCH, len(pks)))
                ]
            )
    return len(kept)


def latest_build() -> MapBuild | None:
    return MapBuild.objects.filter(finished_at__isnull=False, error="").order_by("-finished_at").first()
