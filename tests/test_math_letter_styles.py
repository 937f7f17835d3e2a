"""Double-struck, script, fraktur and other letter styles come out as their Unicode letters, which browsers draw,
rather than as a mathvariant attribute that they ignore (a plain italic R for \\mathbb R)."""

from paperfeed.lib.mathtext import render_math
from paperfeed.lib.tex_symbols import styled


def test_unbraced_mathbb_becomes_the_double_struck_letter_drawn_upright():
    html = render_math(r"vectors in ${\mathbb R}^{12}$ and $\mathbb C$")
    assert '<mi mathvariant="normal">ℝ</mi>' in html and '<mi mathvariant="normal">ℂ</mi>' in html
    assert "double-struck" not in html


def test_braced_styles_are_unicode_letters_too():
    html = render_math(r"$\mathbb{N} \mathcal{L} \mathfrak{g} \mathbf{x}$")
    assert all(letter in html for letter in "ℕℒ𝔤𝐱") and 'mathvariant="double-struck"' not in html


def test_letter_styles_map_through_unicode_names_with_their_older_homes():
    assert styled("R", "double-struck") == "ℝ" and styled("A", "double-struck") == "𝔸"
    assert styled("1", "double-struck") == "𝟙" and styled("L", "script") == "ℒ" and styled("C", "fraktur") == "ℭ"
    assert styled("x", "bold") == "𝐱" and styled("ab", "monospace") == "𝚊𝚋"
    assert styled("∂", "double-struck") is None and styled("R", "no-such-variant") is None
