"""`paperfeed eval recs` reproduces a hand-computed nDCG, reports unknown ids, and names the shipped ranker."""

import json
import math
from io import StringIO

import pytest
from django.core.management import call_command

from paperfeed.papers.models import Paper
from tests.recommend_support import store_vector

pytestmark = pytest.mark.django_db


def test_eval_recs_matches_a_hand_computed_ndcg_on_a_tiny_file(make_paper, tmp_path):
    votes = {"2601.00001": 0, "2601.00002": 1, "2601.00003": 5, "2601.00004": 10}
    for i, (arxiv_id, n) in enumerate(votes.items()):
        paper = make_paper(arxiv_id)
        store_vector(paper, [1.0 if j == i else 0.1 for j in range(384)])
        Paper.objects.filter(pk=paper.pk).update(imported_upvotes=n)
    readers = tmp_path / "readers.jsonl"
    line = {
        "user": "u1",
        "liked": ["2601.00001", "2699.00001"],
        "disliked": [],
        "relevant": {"2601.00002": 2, "2601.00003": 1},
    }
    readers.write_text(json.dumps(line) + "\n")
    out = StringIO()
    call_command("eval", "recs", str(readers), "--json", stdout=out)
    result = json.loads(out.getvalue())
    # Popularity ranks 00004 (10), 00003 (5, grade 1), 00002 (1, grade 2): gains 0, 1, 3 at ranks 1-3.
    dcg = 1 / math.log2(3) + 3 / math.log2(4)
    ideal = 3 / math.log2(2) + 1 / math.log2(3)
    pop = result["rankers"]["popularity"]
    assert pop["ndcg@10"] == pytest.approx(dcg / ideal)
    assert pop["recall@50"] == 1.0 and pop["mrr@10"] == 0.5
    assert result["users"] == 1 and result["skipped_ids"] == ["2699.00001"]
    assert result["shipped"] in result["rankers"]


def test_eval_recs_refuses_a_malformed_line_with_a_clear_message(tmp_path, db):
    readers = tmp_path / "readers.jsonl"
    readers.write_text('{"user": "u1", "liked": []}\n')
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="line 1: not a reader object"):
        call_command("eval", "recs", str(readers), "--json", stdout=StringIO())
