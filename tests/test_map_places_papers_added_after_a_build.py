"""A paper that arrives after the map was built gets a point from its nearest neighbours at the job's next run
(no rebuild), in the topic most of them have, and shows in the points download at once."""

from __future__ import annotations

import numpy as np

from paperfeed.papers.models import Paper
from paperfeed.search.models import Embedding
from paperfeed.topics.build import build_map
from paperfeed.topics.job import run_map_job
from paperfeed.topics.models import MapBuild, PaperPoint
from tests.map_support import sample_records, store_sample


def test_a_paper_added_after_a_build_is_placed_among_its_neighbours(db, client):
    store_sample(sample_records(per_field=20))
    build_map()
    later = sample_records(per_field=1, skip=20)  # one more paper of each field, unseen by the build
    store_sample(later)
    assert PaperPoint.objects.count() == 80

    assert run_map_job() == "placed 4 new papers"
    assert MapBuild.objects.count() == 1, "placing is not a rebuild"
    mapped = {p.paper_id: p for p in PaperPoint.objects.filter(placed_by="build")}
    vectors = {e.paper_id: e.as_array() for e in Embedding.objects.all()}
    for record in later:
        point = Paper.objects.get(arxiv_id=record["id"]).map_point
        assert point.placed_by == "neighbours"
        similarity = {pk: float(vectors[pk] @ vectors[point.paper_id]) for pk in mapped}
        nearest = sorted(mapped, key=similarity.get, reverse=True)[:5]

        def spread(x, y, nearest=nearest):
            return float(np.mean([np.hypot(x - mapped[pk].x, y - mapped[pk].y) for pk in nearest]))

        typical = np.median([spread(p.x, p.y) for p in mapped.values()])
        assert spread(point.x, point.y) < typical, f"{record['id']} lies farther from its neighbours than most papers"

    body = client.get("/api/v1/topics/points").json()
    assert body["count"] == 84 and {r["id"] for r in later} <= set(body["ids"])
    assert run_map_job() == "placed 0 new papers"
