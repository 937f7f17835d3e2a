"""Comments render `$...$` and `$$...$$` as MathML, as abstracts do, and stay inert whatever the math holds;
prices and code spans keep their dollar signs."""

import re

import pytest

from paperfeed.papers.paper_actions import render_comment

pytestmark = pytest.mark.django_db

HOSTILE_MATH = [
    r"$\text{<script>alert(1)</script>}$",
    r"$\href{javascript:alert(1)}{x}$",
    r"$x$ <img src=x onerror=alert(1)> $y$",
    r"$\style{color:red}{x}$",
    "$x$ \ue0000\ue001 <b>",
]


def _posted(alice_client, make_paper, body: str) -> str:
    make_paper("2601.00001")
    alice_client.post("/papers/2601.00001/comments", {"body": body})
    html = alice_client.get("/papers/2601.00001").content.decode()
    return re.search(r'<div class="text">(.*?)</div>', html, re.S)[1]


def test_inline_and_display_math_in_a_comment_become_mathml(alice_client, make_paper):
    rendered = _posted(
        alice_client, make_paper, "We get $a_1 + b_2$ and *more*:\n\n$$\\sum_i x_i$$\n\n> on ${\\mathbb R}^{12}$"
    )
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mrow><msub><mi>a</mi>' in rendered
    assert 'display="block"' in rendered and "∑" in rendered
    assert "<blockquote>" in rendered and "ℝ" in rendered
    assert "<em>more</em>" in rendered and "$" not in rendered and "<em>1" not in rendered


def test_prices_and_code_spans_keep_their_dollars():
    assert str(render_comment("costs $5 or $10 each")) == "<p>costs $5 or $10 each</p>\n"
    assert "<code>echo $HOME$</code>" in render_comment("run `echo $HOME$` now")


@pytest.mark.parametrize("payload", HOSTILE_MATH)
def test_hostile_math_renders_inert(payload):
    rendered = str(render_comment(payload))
    assert not re.search(r"<\s*(script|iframe|svg|img|b)\b", rendered, re.I)
    assert not re.search(r"<[^>]*\s(on\w+|style|href)\s*=", rendered, re.I)
    assert "\ue000" not in rendered and "\ue001" not in rendered
