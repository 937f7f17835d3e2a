"""Papers that arrived since the last build get a point too: the mean of their nearest mapped neighbours'
points and the topic most of those neighbours have (layout.place), so the map is never missing today's papers.
A paper placed this way keeps its point until the next full build lays everything out again."""

from __future__ import annotations

import numpy as np
from django.db.models import F

from paperfeed.topics import layout, vectors
from paperfeed.topics.models import PaperPoint, Topic

BATCH = 5000


def place_new(*, limit: int | None = None) -> int:
    """Give a point to every visible paper with an embedding and no point; returns how many were placed."""
    new_pks, new_vecs = vectors.load(exclude_placed=True)
    if limit is not None:
        new_pks, new_vecs = new_pks[:limit], new_vecs[:limit]
    if len(new_pks) == 0:
        return 0
    mapped = {
        pk: (x, y, t)
        for pk, x, y, t in PaperPoint.objects.filter(paper__hidden=False).values_list("paper_id", "x", "y", "topic_id")
    }
    if not mapped:
        return 0  # no map yet: the first build lays these out
    base_pks, base_vecs = vectors.load(list(mapped))
    if len(base_pks) == 0:
        return 0
    base_xy = np.asarray([mapped[int(pk)][:2] for pk in base_pks], dtype=np.float32)
    base_topic = np.asarray([mapped[int(pk)][2] for pk in base_pks], dtype=int)
    xy, topic = layout.place(new_vecs, base_vecs, base_xy, base_topic)
    points = [
        PaperPoint(
            paper_id=int(pk), x=float(xy[i, 0]), y=float(xy[i, 1]), topic_id=int(topic[i]), placed_by="neighbours"
        )
        for i, pk in enumerate(new_pks)
    ]
    PaperPoint.objects.bulk_create(points, batch_size=BATCH, ignore_conflicts=True)
    for topic_id, n in zip(*np.unique(topic, return_counts=True)):
        Topic.objects.filter(pk=int(topic_id)).update(size=F("size") + int(n))
    return len(points)
