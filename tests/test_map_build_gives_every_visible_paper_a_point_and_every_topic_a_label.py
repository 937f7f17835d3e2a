"""The map job on a small real sample: every visible paper gets coordinates and a topic, every topic a label
made of words from its papers, and the topics follow the papers' fields."""

from __future__ import annotations

from collections import Counter

from django.core.management import call_command
from sklearn.metrics import adjusted_mutual_info_score

from paperfeed.papers.models import Paper
from paperfeed.topics.job import run_map_job
from paperfeed.topics.models import MapBuild, PaperPoint, Topic
from tests.map_support import sample_records, store_sample


def test_the_map_job_gives_every_visible_paper_a_point_and_every_topic_a_label(db):
    stored = store_sample(sample_records())
    done = run_map_job()
    assert done.startswith("built the map"), done

    papers = Paper.objects.visible()
    points = {p.paper_id: p for p in PaperPoint.objects.all()}
    assert len(points) == papers.count() == stored
    assert all(0 <= p.x <= 100 and 0 <= p.y <= 100 for p in points.values())
    topics = list(Topic.objects.filter(active=True))
    assert len(topics) >= 2
    assert sum(t.size for t in topics) == stored
    for topic in topics:
        assert topic.label and topic.words, f"topic {topic.pk} has no label"
        text = " ".join(
            f"{t} {a}".lower() for t, a in Paper.objects.filter(map_point__topic=topic).values_list("title", "abstract")
        )
        assert all(word.split()[0] in text for word in topic.words), (topic.label, "words not from its papers")

    field = dict(Paper.objects.values_list("pk", "primary_category"))
    pks = sorted(points)
    ami = adjusted_mutual_info_score([field[pk] for pk in pks], [points[pk].topic_id for pk in pks])
    assert ami > 0.3, f"topics barely follow the papers' fields (AMI {ami:.2f})"
    build = MapBuild.objects.get()
    assert build.error == "" and build.papers == stored and build.topics == len(topics)
    assert Counter(p.placed_by for p in points.values()) == {"build": stored}


def test_the_map_build_command_prints_its_progress(db, capsys):
    store_sample(sample_records(per_field=20))
    call_command("map", "build")
    out = capsys.readouterr().out
    assert "embeddings read" in out and "2-D layout for the map" in out and "Map built: 80 papers" in out
