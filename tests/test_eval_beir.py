"""`paperfeed eval beir` reproduces nDCG@10, recall@100 and MRR@10 computed by hand on a tiny BEIR folder."""

import json
import math
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from paperfeed.search.eval import ndcg_at

DOCS = {"d1": "apple banana", "d2": "apple", "d3": "cherry", "d4": "durian", "d5": "grape fig", "d6": "kiwi"}
QUERIES = {"q1": "cherry", "q2": "banana", "q3": "grape", "q9": "unjudged query"}
QRELS = [("q1", "d3", 1), ("q2", "d1", 1), ("q2", "d2", 1), ("q3", "d6", 2)]


@pytest.fixture
def beir(tmp_path):
    (tmp_path / "qrels").mkdir()
    (tmp_path / "corpus.jsonl").write_text(
        "".join(json.dumps({"_id": k, "title": "", "text": v}) + "\n" for k, v in DOCS.items())
    )
    (tmp_path / "queries.jsonl").write_text(
        "".join(json.dumps({"_id": k, "text": v}) + "\n" for k, v in QUERIES.items())
    )
    (tmp_path / "qrels" / "test.tsv").write_text(
        "query-id\tcorpus-id\tscore\n" + "".join(f"{q}\t{d}\t{s}\n" for q, d, s in QRELS)
    )
    return tmp_path


def test_keyword_figures_match_the_hand_computed_ones(beir, settings, tmp_path):
    settings.PAPERFEED = {**settings.PAPERFEED, "DATA_DIR": tmp_path}
    # q1 finds d3 only: nDCG 1, recall 1, MRR 1. q2 finds d1 only, of d1 and d2: DCG 1, IDCG 1 + 1/log2(3).
    # q3 finds d5, while d6 is the relevant one: all zero.
    ndcg = (1 + 1 / (1 + 1 / math.log2(3)) + 0) / 3
    out = StringIO()
    call_command("eval", "beir", str(beir), "--split", "test", "--keyword-only", stdout=out)
    text = out.getvalue()
    assert "6 documents, 3 queries" in text
    row = next(line for line in text.splitlines() if line.startswith("keyword"))
    assert row.split()[1:] == [f"{ndcg:.4f}", "0.5000", "0.6667"]
    assert f"{ndcg:.4f}" == "0.5377"


def test_graded_judgements_weigh_by_their_grade():
    assert ndcg_at(["a", "b"], {"a": 1, "b": 2}) == pytest.approx((1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3)))


def test_tuning_on_the_test_split_is_refused(beir):
    with pytest.raises(CommandError, match="train only"):
        call_command("eval", "beir", str(beir), "--split", "test", "--sweep", "--keyword-only")


def test_a_folder_that_is_not_beir_gets_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="not a BEIR folder"):
        call_command("eval", "beir", str(tmp_path), "--split", "test", "--keyword-only")


def test_json_output_gives_each_kind_its_own_hand_computed_ndcg(beir, settings, tmp_path):
    settings.PAPERFEED = {**settings.PAPERFEED, "DATA_DIR": tmp_path}
    kinds = {"q1": "short", "q2": "short", "q3": "paraphrase"}
    (beir / "queries.jsonl").write_text(
        "".join(json.dumps({"_id": k, "text": v, "kind": kinds.get(k, "short")}) + "\n" for k, v in QUERIES.items())
    )
    out = StringIO()
    call_command("eval", "beir", str(beir), "--split", "test", "--keyword-only", "--json", stdout=out)
    got = json.loads(out.getvalue())
    assert (got["docs"], got["queries"], got["model"]) == (6, 3, None)
    keyword = got["runs"]["keyword"]
    # short: q1 scores 1, q2 scores 1 / (1 + 1/log2(3)); paraphrase: q3 scores 0.
    assert keyword["by_kind"]["short"]["ndcg@10"] == pytest.approx((1 + 1 / (1 + 1 / math.log2(3))) / 2)
    assert keyword["by_kind"]["paraphrase"]["ndcg@10"] == 0.0
    assert keyword["ndcg@10"] == pytest.approx(0.5377, abs=1e-4)
    assert set(keyword) == {"ndcg@10", "recall@100", "mrr@10", "by_kind"}


def test_the_table_has_a_row_per_kind_when_queries_have_kinds(beir, settings, tmp_path):
    settings.PAPERFEED = {**settings.PAPERFEED, "DATA_DIR": tmp_path}
    (beir / "queries.jsonl").write_text(
        "".join(
            json.dumps({"_id": k, "text": v, "kind": "short" if k != "q3" else "para"}) + "\n"
            for k, v in QUERIES.items()
        )
    )
    out = StringIO()
    call_command("eval", "beir", str(beir), "--split", "test", "--keyword-only", stdout=out)
    lines = out.getvalue().splitlines()
    assert next(line for line in lines if line.startswith("para (1)")).split()[-1] == "0.0000"
    assert (
        next(line for line in lines if line.startswith("short (2)")).split()[-1]
        == f"{(1 + 1 / (1 + 1 / math.log2(3))) / 2:.4f}"
    )
