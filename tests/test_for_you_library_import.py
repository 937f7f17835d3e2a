"""A library file (or pasted ids) on the start panel makes likes of the papers this hub has, lists the rest as
not found, and changes the feed at once (no retraining first); bad input imports nothing and says why."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

from paperfeed.papers.models import CollectionItem
from paperfeed.recommend.feed import recommend
from paperfeed.recommend.models import ReaderModel
from tests.recommend_support import store_vector
from tests.shared_data import shared_path

pytestmark = pytest.mark.django_db
TOPICS = ("cs.RO", "cs.CL", "cs.CV")


@pytest.fixture
def hub(make_paper) -> dict[str, list]:
    """Five real papers of each of three categories (from ../shared), with vectors that cluster by category."""
    wanted = {c: [] for c in TOPICS}
    with gzip.open(shared_path("data", "arxiv-daily-cs", "papers.jsonl.gz"), "rt") as lines:
        for line in lines:
            r = json.loads(line)
            cat = r["categories"][0]
            if cat in wanted and len(wanted[cat]) < 6:
                wanted[cat].append(r)
            if all(len(v) == 6 for v in wanted.values()):
                break
    rng = np.random.default_rng(0)
    out = {}
    for t, (cat, records) in enumerate(wanted.items()):
        out[cat] = records
        for r in records[:5]:  # the sixth stays off this hub
            paper = make_paper(r["id"], title=r["title"], authors=r["authors"], categories=r["categories"])
            centre = np.zeros(384, np.float32)
            centre[t] = 1.0
            store_vector(paper, centre + 0.03 * rng.standard_normal(384).astype(np.float32))
    return out


def bibtex(records: list[dict]) -> str:
    entries = []
    for n, r in enumerate(records):
        title = r["title"].replace("{", "").replace("}", "")
        authors = " and ".join(r["authors"])
        entries.append(
            f"@article{{key{n},\n  title = {{{title}}},\n  author = {{{authors}}},\n  year = {{2025}},\n"
            f"  eprint = {{{r['id']}}},\n  archivePrefix = {{arXiv}}\n}}\n"
        )
    entries.append("@book{knuth,\n  title = {The Art of Computer Programming},\n  author = {Donald Knuth}\n}\n")
    return "\n".join(entries)


def upload(client, text: str, name: str = "library.bib"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/papers/for-you/import", {"file": SimpleUploadedFile(name, text.encode())})


def test_a_bibtex_file_makes_likes_and_the_feed_changes_at_once(alice_client, alice, hub):
    robotics = hub["cs.RO"]
    response = upload(alice_client, bibtex(robotics[:3] + robotics[5:]))
    html = response.content.decode()
    assert response.status_code == 200
    liked = set(CollectionItem.objects.filter(collection__owner=alice).values_list("paper__arxiv_id", flat=True))
    assert liked == {r["id"] for r in robotics[:3]}
    assert "3 papers from 5 entries" in html and "2 not found here" in html
    assert f"arXiv:{robotics[5]['id']} (not on this hub)" in html and "The Art of Computer Programming" in html
    assert ReaderModel.objects.get(user=alice).stale  # the job retrains later; the feed did not wait
    top = [item.paper.arxiv_id for item in recommend(alice).items[:2]]
    assert set(top) == {r["id"] for r in robotics[3:5]}
    assert "you saved" in html and "Start your feed" not in html


def test_pasted_arxiv_ids_and_urls_are_imported_too(alice_client, alice, hub):
    language = hub["cs.CL"]
    text = f"{language[0]['id']}\nhttps://arxiv.org/abs/{language[1]['id']}v2\n"
    response = alice_client.post("/papers/for-you/import", {"text": text})
    assert response.status_code == 200
    assert CollectionItem.objects.filter(collection__owner=alice).count() == 2
    assert recommend(alice).items[0].paper.primary_category == "cs.CL"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Choose a library file"),
        ("@article{a, title={No identifier here}}\n", "has an arXiv id"),
        ("just some words\nand more words\n", "not a reference library"),
    ],
)
def test_bad_input_imports_nothing_and_says_why(alice_client, alice, hub, text, message):
    response = alice_client.post("/papers/for-you/import", {"text": text})
    assert response.status_code == 400
    assert message in response.content.decode() and "Start your feed" in response.content.decode()
    assert not CollectionItem.objects.exists()


def test_a_file_over_ten_megabytes_is_refused(alice_client, hub):
    response = upload(alice_client, "% padding\n" * 1_100_000)
    assert response.status_code == 400 and "over 10 MB" in response.content.decode()
    assert not CollectionItem.objects.exists()


def test_importing_needs_a_login(client, hub):
    response = client.post("/papers/for-you/import", {"text": hub["cs.RO"][0]["id"]})
    assert response.status_code == 302 and not CollectionItem.objects.exists()
