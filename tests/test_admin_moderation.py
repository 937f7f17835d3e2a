"""Admins moderate in the Django admin: hide a paper or comment, disable a user, see submissions."""

import pytest
from django.contrib.auth.models import User

from paperfeed.papers import paper_actions
from paperfeed.papers.models import Comment, Paper
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_hiding_a_paper_takes_it_off_pages(admin_client, make_paper, client):
    paper = make_paper("2601.00001", first_listing_date="2026-01-05")
    response = admin_client.post("/admin/papers/paper/", {"action": "hide", "_selected_action": [paper.pk]})
    assert response.status_code == 302
    assert Paper.objects.get(pk=paper.pk).hidden
    assert admin_client.get("/papers/2601.00001").status_code == 404
    assert admin_client.get("/papers/date/2026-01-05").context["page"].total == 0


def test_hiding_a_comment_removes_it_and_recounts(admin_client, make_paper, alice):
    paper = make_paper("2601.00001")
    comment = paper_actions.add_comment(alice, paper, "spam spam spam")
    admin_client.post("/admin/papers/comment/", {"action": "hide", "_selected_action": [comment.pk]})
    assert Comment.objects.get(pk=comment.pk).hidden
    assert Paper.objects.get(pk=paper.pk).comment_count == 0
    assert b"spam spam spam" not in admin_client.get("/papers/2601.00001").content


def test_disabling_a_user_in_the_admin(admin_client, alice):
    response = admin_client.get(f"/admin/auth/user/{alice.pk}/change/")
    assert response.status_code == 200 and b"is_active" in response.content
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert not User.objects.get(pk=alice.pk).is_active


def test_submissions_are_listed_in_the_admin(admin_client, make_paper, alice):
    from paperfeed.papers.models import Listing

    paper = make_paper("2601.00001")
    Listing.objects.filter(paper=paper).update(submitted_by=alice, source="submission")
    response = admin_client.get("/admin/papers/listing/?source=submission")
    assert response.status_code == 200 and b"alice" in response.content


def test_rejects_are_visible_in_the_admin(admin_client, db):
    from paperfeed.ingest.store import ingest_records

    ingest_records([{"id": "garbage", "title": "x"}], source="test")
    response = admin_client.get("/admin/ingest/reject/")
    assert b"Not an arXiv id" in response.content


def test_non_staff_cannot_reach_the_admin(client, alice):
    client.force_login(alice)
    assert client.get("/admin/papers/paper/").status_code == 302
