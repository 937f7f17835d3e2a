"""Comments: a safe Markdown subset, rendered inert whatever is typed; counts kept in step."""

import re

import pytest

from paperfeed.papers.models import Comment, Paper

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="#" onclick="alert(1)">hi</a>',
    "<svg/onload=alert(1)>",
    '"><iframe src="https://evil.example"></iframe>',
]


def test_comment_is_posted_and_counted(alice_client, make_paper):
    make_paper("2601.00001")
    response = alice_client.post("/papers/2601.00001/comments", {"body": "Great *paper*, see `code`."})
    assert response.status_code == 302
    body = alice_client.get("/papers/2601.00001").content.decode()
    assert "<em>paper</em>" in body and "<code>code</code>" in body
    assert Paper.objects.get(arxiv_id="2601.00001").comment_count == 1


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_comments_render_inert(alice_client, make_paper, payload):
    make_paper("2601.00001")
    alice_client.post("/papers/2601.00001/comments", {"body": payload})
    body = alice_client.get("/papers/2601.00001").content.decode()
    rendered = re.search(r'<div class="text">(.*?)</div>', body, re.S)[1]
    assert not re.search(r"<\s*(script|iframe|svg|img)", rendered, re.I)
    assert not re.search(r"<[^>]*\son\w+\s*=", rendered, re.I)
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", rendered, re.I)


def test_empty_and_oversized_comments_are_refused_with_a_message(alice_client, make_paper):
    make_paper("2601.00001")
    assert alice_client.post("/papers/2601.00001/comments", {"body": "   "}).status_code == 400
    response = alice_client.post("/papers/2601.00001/comments", {"body": "x" * 10_001})
    assert response.status_code == 400 and b"limited to 10,000" in response.content
    assert Comment.objects.count() == 0


def test_anonymous_cannot_comment(client, make_paper):
    make_paper("2601.00001")
    response = client.post("/papers/2601.00001/comments", {"body": "hello"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Comment.objects.count() == 0


def test_nul_bytes_in_a_comment_get_a_400_not_a_500(alice_client, make_paper):
    make_paper("2601.00001")
    response = alice_client.post("/papers/2601.00001/comments", {"body": "a\x00b"})
    assert response.status_code == 400 and b"NUL character" in response.content
    assert Comment.objects.count() == 0
