"""The trending formula of papers/ranking.py: cases whose order must come out a given way, and real upvotes."""

import gzip
import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from paperfeed.config import BY_NAME
from paperfeed.papers.ranking import Candidate, TrendingParams, age_hours, trending_order, trending_score, voter_counts
from tests.conftest import SHARED

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
SHARED_HF = SHARED / "data" / "hf-daily-papers-2026-02" / "papers.jsonl.gz"


def keys(order):
    return [c.key for c, _ in order]


def test_more_votes_win_at_equal_age():
    cands = [Candidate("a", 3, NOW - timedelta(hours=5)), Candidate("b", 10, NOW - timedelta(hours=5))]
    assert keys(trending_order(cands, NOW)) == ["b", "a"]


def test_a_fresh_paper_beats_an_old_one_with_somewhat_more_votes():
    cands = [Candidate("old", 20, NOW - timedelta(days=3)), Candidate("fresh", 8, NOW - timedelta(hours=6))]
    assert keys(trending_order(cands, NOW)) == ["fresh", "old"]


def test_an_old_paper_with_far_more_votes_still_wins():
    cands = [Candidate("old", 300, NOW - timedelta(days=2)), Candidate("fresh", 3, NOW - timedelta(hours=6))]
    assert keys(trending_order(cands, NOW)) == ["old", "fresh"]


def test_no_votes_scores_zero_and_ties_go_to_the_newer_listing_then_higher_id():
    cands = [
        Candidate("2601.00001", 0, NOW - timedelta(days=1)),
        Candidate("2601.00002", 0, NOW - timedelta(days=2)),
        Candidate("2601.00003", 0, NOW - timedelta(days=1)),
    ]
    order = trending_order(cands, NOW)
    assert [s for _, s in order] == [0.0, 0.0, 0.0]
    assert keys(order) == ["2601.00003", "2601.00001", "2601.00002"]


def test_score_halves_when_age_plus_offset_grows_by_two_to_the_one_over_gravity():
    params = TrendingParams(gravity=1.5, offset_hours=2)
    young = trending_score(10, 10, params)
    old = trending_score(10, (10 + 2) * 2 ** (1 / 1.5) - 2, params)
    assert old == pytest.approx(young / 2)


def test_unset_params_take_the_settings_registry_defaults():
    assert TrendingParams() == TrendingParams(
        gravity=BY_NAME["TRENDING_GRAVITY"].default,
        offset_hours=BY_NAME["TRENDING_AGE_OFFSET_HOURS"].default,
        min_voter_age_hours=BY_NAME["MIN_VOTER_AGE_HOURS"].default,
    )


def test_a_future_listing_gets_no_bonus_from_clock_skew():
    assert age_hours(NOW + timedelta(hours=3), NOW) == 0.0


def test_young_accounts_do_not_count_and_old_ones_do():
    params = TrendingParams(min_voter_age_hours=24)
    assert not voter_counts(NOW - timedelta(hours=23), NOW, params)
    assert voter_counts(NOW - timedelta(hours=25), NOW, params)


@pytest.mark.skipif(not SHARED_HF.exists(), reason="needs ../shared/data/hf-daily-papers-2026-02")
def test_within_one_day_the_formula_reproduces_hugging_face_upvote_order():
    by_day = defaultdict(list)
    with gzip.open(SHARED_HF, "rt") as f:
        for line in f:
            row = json.loads(line)
            by_day[row["date"]].append(row)
    assert len(by_day) == 20
    for day, rows in by_day.items():
        listed = datetime.fromisoformat(day).replace(tzinfo=UTC)
        order = trending_order(
            [Candidate(r["paper_id"], r["upvotes"], listed) for r in rows], listed + timedelta(hours=30)
        )
        got = [c.effective_votes for c, _ in order]
        assert got == sorted((r["upvotes"] for r in rows), reverse=True), day
        # and the formula never inverts two papers whose upvotes differ
        scores = {c.key: s for c, s in order}
        for a in rows:
            for b in rows:
                if a["upvotes"] > b["upvotes"]:
                    assert scores[a["paper_id"]] > scores[b["paper_id"]]
