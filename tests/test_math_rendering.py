"""LaTeX in titles and abstracts: MathML for the web (render_math), Unicode for plain-text mail (plain_math).

No database and no Django settings: SafeString works without them.
"""

from __future__ import annotations

import gzip
import json
import re
from itertools import islice

from django.utils.safestring import SafeString
from latex2mathml.converter import convert

from paperfeed.lib.mathtext import plain_math, render_math
from tests.shared_data import shared_path

CORPUS = ("data", "arxiv-daily-cs", "papers.jsonl.gz")

SEED_SENTENCE = (
    "Additionally, the Deep GA is faster than ES, A3C, and DQN (it can train Atari in "
    r"{raise.17ex\scriptstyle\sim}4 hours on one desktop or {raise.17ex\scriptstyle\sim}1 hour distributed "
    r"on 720 cores), and (e.g.\ DQN, A3C, ES, and the GA) fail."
)


def _tags(html: str) -> set[str]:
    return set(re.findall(r"<([a-z]+)", html))


# -- MathML ----------------------------------------------------------------------------------------------


def test_inline_dollar_math_becomes_mathml():
    html = render_math(r"We bound the error by $\alpha \leq 10^{3}$ in all cases.")
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in html
    assert "<msup>" in html and "α" in html
    assert html.startswith("We bound the error by <math") and html.endswith("</math> in all cases.")


def test_double_dollar_math_becomes_block_mathml():
    html = render_math(r"The loss is $$\mathcal{L} = \sum_{i=1}^{n} \ell(x_i)$$ as usual.")
    assert html.count("<math") == 1
    assert 'display="block"' in html


def test_paren_delimiters_are_inline_and_bracket_delimiters_are_block():
    html = render_math(r"Inline \(x^2\) and display \[\frac{a}{b}\] here.")
    assert html.count("<math") == 2
    assert 'display="inline"' in html and 'display="block"' in html
    assert "<mfrac>" in html
    assert "\\(" not in html and "\\[" not in html


def test_render_math_returns_a_safe_string():
    assert isinstance(render_math("plain words"), SafeString)
    assert isinstance(render_math(""), SafeString)
    assert render_math("") == ""


def test_allow_list_keeps_every_tag_latex2mathml_emits_for_common_constructs():
    constructs = [
        r"\frac{a}{b}",
        r"\sqrt{x}",
        r"\sqrt[3]{x}",
        r"\binom{n}{k}",
        r"\hat{y} \bar{x} \tilde{z}",
        r"\left( \sum_{i=1}^{n} x_i \right)",
        r"\mathbb{R}^{d \times d}",
        r"\mathbf{W}_{q}",
        r"\text{softmax}(x)",
        r"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}",
        r"\underbrace{a+b}_{c}",
        r"\overline{AB}",
        r"\displaystyle\int_0^1 f",
        r"a \, b \quad c",
        r"\operatorname{argmax}_x f(x)",
        r"\boxed{x}",
    ]
    for latex in constructs:
        expected = _tags(convert(latex))
        assert expected <= _tags(render_math(f"${latex}$")), latex


def test_rule_used_as_a_dash_keeps_its_black_background():
    html = render_math(r"accuracy$\rule[0.25em]{1em}{0.4pt}$the objective")
    assert 'mathbackground="black"' in html
    assert 'width="1em"' in html


# -- safety ----------------------------------------------------------------------------------------------


def test_script_tag_in_text_comes_out_escaped():
    html = render_math("Title <script>alert(1)</script> end")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_img_onerror_in_text_comes_out_inert():
    html = render_math("A <img src=x onerror=alert(1)> B")
    assert "<img" not in html
    assert "onerror=" not in re.sub(r"&lt;.*?&gt;", "", html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_img_onerror_inside_dollar_math_comes_out_inert():
    html = render_math("$<img src=x onerror=alert(1)>$")
    assert "<img" not in html
    assert not re.search(r"<[^>]*\sonerror=", html)


def test_script_inside_text_command_in_math_comes_out_escaped():
    # latex2mathml's own convert() would emit this mtext content as a live <script> element.
    html = render_math(r"$\text{<script>alert(1)</script>}$ and $\texttt{<img src=x onerror=alert(1)>}$")
    assert "<script" not in html and "<img" not in html
    assert "<mtext>&lt;script&gt;alert(1)&lt;/script&gt;</mtext>" in html
    assert not re.search(r"<[^>]*\sonerror=", html)


def test_href_and_style_in_math_leave_no_attribute():
    html = render_math(r"$\href{javascript:alert(1)}{x}$ $\style{color:red}{y}$ $\color{red}{z}$")
    assert "href" not in html and "javascript" not in html
    assert "style=" not in html and "mathcolor" not in html
    assert html.count("<math") == 3


def test_fallback_source_is_escaped():
    html = render_math(r"broken $\left( <b onmouseover=alert(1)>x$ here")
    assert '<span class="tex-fallback">' in html
    assert "<b" not in html.replace('<span class="tex-fallback">', "")
    assert "&lt;b onmouseover=alert(1)&gt;" in html


# -- delimiters ------------------------------------------------------------------------------------------


def test_escaped_dollar_stays_a_dollar():
    html = render_math(r"It costs \$5 and \$10 per run.")
    assert html == "It costs $5 and $10 per run."
    assert "<math" not in html


def test_escaped_dollar_inside_math_does_not_close_it():
    html = render_math(r"Price $p = \$5$ total")
    assert html.count("<math") == 1
    assert html.endswith("</math> total")


def test_unmatched_dollar_stays_literal():
    html = render_math("We save $5 per query.")
    assert html == "We save $5 per query."


def test_unparseable_segment_falls_back_to_escaped_source_without_raising():
    html = render_math(r"Before $x^$ middle $\left( a$ after $y$.")
    assert '<span class="tex-fallback">$x^$</span>' in html
    assert '<span class="tex-fallback">$\\left( a$</span>' in html
    assert html.count("<math") == 1
    assert html.startswith("Before ") and html.endswith(".")


def test_macro_definitions_fall_back_instead_of_expanding():
    html = render_math(r"$\def\a{\b\b}\def\b{xx}\a$")
    assert "tex-fallback" in html
    assert "<math" not in html


def test_percent_inside_math_is_a_percent_sign_not_a_comment():
    html = render_math(r"accuracy of $88.94%$ on $n$ tasks")
    assert "%" in html
    assert html.count("<math") == 2


# -- text mode -------------------------------------------------------------------------------------------


def test_seed_mangled_raised_tilde_does_not_raise_and_reads_as_approximately():
    html = render_math(SEED_SENTENCE)
    assert "~4 hours" in html and "~1 hour" in html
    assert "raise" not in html and "scriptstyle" not in html
    assert "(e.g. DQN" in html


def test_line_breaks_collapse_to_single_spaces():
    html = render_math("Abstracts have\nhard line\n\nbreaks   and\ttabs.\n")
    assert html == "Abstracts have hard line breaks and tabs."


def test_emphasis_and_bold_commands_become_em_and_strong():
    html = render_math(r"\emph{first} \textit{second} \textbf{third {\em nested}} {\bf fourth}")
    assert html == "<em>first</em> <em>second</em> <strong>third <em>nested</em></strong> <strong>fourth</strong>"


def test_math_inside_bold_is_still_rendered():
    html = render_math(r"\textbf{gain of $2\times$}")
    assert html.startswith("<strong>gain of <math") and html.endswith("</math></strong>")


def test_text_mode_escapes_dashes_and_spaces_are_cleaned_up():
    html = render_math(r"40\% of A\&B in snake\_case, pages 1--9 --- see Fig.~3, e.g.\ this")
    assert html == "40% of A&amp;B in snake_case, pages 1–9 — see Fig.&nbsp;3, e.g. this"


def test_url_command_becomes_its_address():
    assert render_math(r"Code: \url{https://github.com/a/b\_c}.") == "Code: https://github.com/a/b_c."


def test_href_in_text_keeps_its_label_and_shows_the_address():
    html = render_math(r"Code is \href{https://github.com/a/b}{here}.")
    assert html == "Code is here (https://github.com/a/b)."


def test_bare_urls_keep_their_tildes_and_dashes():
    assert render_math("See https://example.org/~user/a--b now") == "See https://example.org/~user/a--b now"


def test_unknown_commands_stay_as_escaped_text():
    html = render_math(r"as in \cite{smith2020} and \ours<b>")
    assert html == r"as in \cite{smith2020} and \ours&lt;b&gt;"


def test_unbalanced_braces_do_not_raise():
    assert render_math(r"\textbf{never closed") == r"\textbf{never closed"
    assert render_math("} stray {") == "} stray {"
    assert "x" in render_math("{" * 500 + "x" + "}" * 500)


def test_accented_names_become_unicode():
    assert render_math(r"Fr\'{e}chet and G\"odel and Pad\'eNets") == "Fréchet and Gödel and PadéNets"


# -- plain text ------------------------------------------------------------------------------------------


def test_plain_math_turns_alpha_leq_power_into_unicode():
    assert plain_math(r"$\alpha \leq 10^{3}$") == "α ≤ 10³"


def test_plain_math_uses_subscript_characters_where_unicode_has_them():
    assert plain_math(r"$x_{i}$, $x_2$, $W_{t-1}$") == "xᵢ, x₂, Wₜ₋₁"


def test_plain_math_keeps_an_underscore_where_no_subscript_exists():
    assert plain_math(r"$W_{q}$ and $\theta_{gb}$") == "W_q and θ_{gb}"


def test_plain_math_maps_common_commands_to_unicode():
    text = r"$\mathbb{R}^{d}$, $a \times b$, $x \in \mathcal{X}$, $\sum_i \ell_i \to \infty$, $a \neq b \approx c$"
    assert plain_math(text) == "ℝᵈ, a × b, x ∈ X, ∑ᵢ ℓᵢ → ∞, a ≠ b ≈ c"


def test_plain_math_drops_font_wrappers_keeping_their_content():
    assert plain_math(r"$\mathrm{ReLU}(x)$ and $\mathcal{L}_{\text{cls}}$") == "ReLU(x) and L_{cls}"


def test_plain_math_applies_text_clean_ups_without_html():
    text = "\\emph{Fast} \\textbf{models} reach 40\\% -- A\\&B\n<b>x</b>"
    assert plain_math(text) == "Fast models reach 40% – A&B <b>x</b>"


def test_plain_math_of_escaped_and_unmatched_dollars():
    assert plain_math(r"costs \$5, saves $3") == "costs $5, saves $3"


def test_plain_math_never_raises_on_broken_latex():
    assert plain_math(r"$x^$ and $\frac{a}$ and \textbf{open") == r"x^ and \frac{a} and \textbf{open"


# -- the real corpus -------------------------------------------------------------------------------------


def test_first_two_thousand_real_abstracts_render_without_raising_and_mostly_as_mathml():
    mathml = fallback = 0
    with gzip.open(shared_path(*CORPUS), "rt", encoding="utf-8") as lines:
        for line in islice(lines, 2000):
            abstract = json.loads(line)["abstract"]
            html = render_math(abstract)
            plain_math(abstract)
            assert "<script" not in html
            mathml += html.count("<math")
            fallback += html.count('class="tex-fallback"')
    segments = mathml + fallback
    assert segments > 100, "the sample should contain real math"
    rate = mathml / segments
    print(f"\n{segments} math segments in 2,000 abstracts: {mathml} MathML, {fallback} fallback ({rate:.1%} MathML)")
    assert rate >= 0.90
