"""Show the LaTeX in arXiv titles and abstracts: as MathML for the web, as readable Unicode for plain-text mail.

arXiv metadata is written for MathJax, so math sits between ``$...$``, ``$$...$$``, ``\\(...\\)`` or
``\\[...\\]``, and the prose around it still carries text-mode LaTeX (``\\emph{...}``, ``--``, ``\\%``, ``~``)
that MathJax leaves alone. Both public functions walk the text once with the same scanner, so the web page
and the e-mail agree on where math starts and ends and on the text-mode clean-ups.

- ``render_math(text)`` returns safe HTML: prose escaped, each math segment converted server-side by
  latex2mathml, anything it cannot parse shown as its escaped source in ``<span class="tex-fallback">``.
- ``plain_math(text)`` returns plain text with math turned into Unicode (``$\\alpha \\leq 10^{3}$`` -> ``α ≤ 10³``).

Neither ever raises on odd input: abstracts are written by thousands of authors and a page must not fail
because one of them typed broken LaTeX.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from html import escape
from xml.etree.ElementTree import tostring

import nh3
from django.utils.safestring import SafeString, mark_safe
from latex2mathml.converter import convert_to_element

__all__ = ["render_math", "plain_math"]

# What latex2mathml emits, checked against its source (commands.py, converter.py) and against its output
# on every math segment of the arXiv cs corpus. Left out on purpose: `href` (it turns `\href{javascript:...}`
# into a live link on MathML elements), `style` (from `\style{...}`), and author-chosen colours
# (`mathcolor`, and `mathbackground` except for `\rule` below), which can hide text.
_MATHML_TAGS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot", "mtext",
    "mspace", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom",
    "menclose", "semantics", "annotation",
})
_MATHML_ATTRIBUTES = frozenset({
    "display", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace", "accent", "accentunder",
    "columnalign", "columnspacing", "columnlines", "rowspacing", "rowlines", "displaystyle", "scriptlevel",
    "width", "height", "depth", "voffset", "minsize", "maxsize", "movablelimits", "form", "symmetric",
    "largeop", "notation", "linethickness", "linebreak", "mathsize",
})
_ALLOWED_TAGS = _MATHML_TAGS | {"em", "strong", "span"}
_ALLOWED_ATTRIBUTES = {tag: set(_MATHML_ATTRIBUTES) for tag in _MATHML_TAGS}
_ALLOWED_ATTRIBUTES["math"] |= {"xmlns"}
_ALLOWED_CLASSES = {"span": {"tex-fallback"}}
# `\rule` (used in abstracts as a dash) is an mspace painted black; other colours stay out, as above.
_ALLOWED_VALUES = {"mspace": {"mathbackground": {"black"}}}
# Token elements hold text only; an HTML parser treats elements inside them as HTML and drops them.
_TOKEN_TAGS = frozenset({"mi", "mn", "mo", "ms", "mtext"})

logger = logging.getLogger(__name__)
_WHITESPACE = re.compile(r"\s+")

# latex2mathml writes symbols as numeric character references in element text, which ElementTree then
# escapes to `&amp;#x...;`; this puts back only those references and leaves every other `&`, `<`, `>` escaped.
_ESCAPED_CHARREF = re.compile(r"&amp;(#(?:x[0-9A-Fa-f]+|[0-9]+);)")

# A macro definition inside one segment could expand exponentially (`\def\a{\b\b}\def\b{...}`) and stall
# a page render; no abstract in the corpus defines one, so such segments simply fall back to their source.
_MACRO_DEFINITION = re.compile(
    r"\\(?:def|edef|gdef|xdef|newcommand|renewcommand|providecommand|let|DeclareMathOperator)(?![A-Za-z])"
)

# Deeper brace nesting than this is not prose; past it `{` is plain text so recursion stays bounded.
_MAX_GROUP_DEPTH = 40

_SUPERSCRIPTS = {
    **dict(zip("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")),
    "+": "⁺", "-": "⁻", "−": "⁻", "=": "⁼", "(": "⁽", ")": "⁾",
    **dict(zip("abcdefghijklmoprstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻ")),
    "n": "ⁿ",
    **dict(zip("ABDEGHIJKLMNOPRTUVW", "ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ")),
    "⊤": "ᵀ", "∘": "°", "°": "°", "′": "′", "″": "″", "*": "*", "∗": "*", "†": "†",
}
_SUBSCRIPTS = {
    **dict(zip("0123456789", "₀₁₂₃₄₅₆₇₈₉")),
    "+": "₊", "-": "₋", "−": "₋", "=": "₌", "(": "₍", ")": "₎",
    **dict(zip("aehijklmnoprstuvx", "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")),
    "β": "ᵦ", "γ": "ᵧ", "ρ": "ᵨ", "φ": "ᵩ", "χ": "ᵪ",
}

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
    "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}

# Symbols that also show up outside math in arXiv's own Unicode-to-TeX conversion (`360{\deg}`, `{\mu}m`).
_TEXT_SYMBOLS = {
    **_GREEK,
    "deg": "°", "degree": "°", "textdegree": "°", "pm": "±", "times": "×", "textregistered": "®",
    "texttrademark": "™", "copyright": "©", "textcopyright": "©", "ldots": "…", "dots": "…",
    "textellipsis": "…", "textendash": "–", "textemdash": "—", "textasciitilde": "~", "textbackslash": "\\",
    "textbar": "|", "textless": "<", "textgreater": ">", "LaTeX": "LaTeX", "TeX": "TeX",
    "i": "ı", "o": "ø", "O": "Ø", "ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å",
    "AA": "Å", "l": "ł", "L": "Ł", "newline": " ", "par": " ",
}

_MATH_SYMBOLS = {
    **_GREEK,
    "times": "×", "cdot": "·", "pm": "±", "mp": "∓", "div": "÷", "ast": "∗", "star": "⋆", "circ": "∘",
    "bullet": "•", "oplus": "⊕", "otimes": "⊗", "odot": "⊙", "setminus": "∖",
    "leq": "≤", "le": "≤", "leqslant": "≤", "geq": "≥", "ge": "≥", "geqslant": "≥", "neq": "≠", "ne": "≠",
    "approx": "≈", "sim": "∼", "simeq": "≃", "cong": "≅", "equiv": "≡", "propto": "∝", "ll": "≪", "gg": "≫",
    "lesssim": "≲", "gtrsim": "≳", "triangleq": "≜", "coloneqq": "≔", "doteq": "≐",
    "infty": "∞", "partial": "∂", "nabla": "∇", "ell": "ℓ", "hbar": "ħ", "prime": "′", "dagger": "†",
    "to": "→", "rightarrow": "→", "longrightarrow": "⟶", "leftarrow": "←", "gets": "←", "longleftarrow": "⟵",
    "leftrightarrow": "↔", "Rightarrow": "⇒", "Longrightarrow": "⟹", "implies": "⟹", "Leftarrow": "⇐",
    "Leftrightarrow": "⇔", "iff": "⟺", "mapsto": "↦", "uparrow": "↑", "downarrow": "↓",
    "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇",
    "cup": "∪", "cap": "∩", "bigcup": "⋃", "bigcap": "⋂", "emptyset": "∅", "varnothing": "∅",
    "forall": "∀", "exists": "∃", "neg": "¬", "lnot": "¬", "land": "∧", "wedge": "∧", "lor": "∨", "vee": "∨",
    "sum": "∑", "prod": "∏", "int": "∫", "oint": "∮",
    "top": "⊤", "bot": "⊥", "perp": "⊥", "parallel": "∥", "mid": "|", "vert": "|", "lvert": "|", "rvert": "|",
    "Vert": "‖", "lVert": "‖", "rVert": "‖", "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋",
    "lceil": "⌈", "rceil": "⌉", "cdots": "⋯", "ldots": "…", "dots": "…", "vdots": "⋮", "ddots": "⋱",
    "checkmark": "✓", "degree": "°", "angle": "∠", "triangle": "△", "square": "□",
    # Operator names read fine as plain words.
    **{name: name for name in (
        "log", "ln", "exp", "max", "min", "sup", "inf", "lim", "arg", "det", "dim", "ker", "sin", "cos",
        "tan", "tanh", "sinh", "cosh", "Pr", "gcd", "deg", "mod", "argmax", "argmin",
    )},
}

_DOUBLE_STRUCK = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "P": "ℙ", "H": "ℍ", "E": "𝔼", "1": "𝟙"}

# Text-mode accent commands (`\'e`, `\"{o}`, `\c{c}`) as combining marks; arXiv abstracts use them for names.
_SYMBOL_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
                   ".": "\u0307"}
_LETTER_ACCENTS = {"c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "k": "\u0328", "r": "\u030a"}

_EMPHASIS = {"emph", "textit", "textsl"}
_BOLD = {"textbf"}
# Wrappers whose content is shown as is; the font change they ask for has no markup on the allow-list.
_PLAIN_WRAPPERS = {"textsc", "texttt", "textsf", "textrm", "textup", "textnormal", "textmd", "text", "mbox",
                   "hbox", "underline", "uline"}
_SWITCHES = {"em": "em", "it": "em", "itshape": "em", "sl": "em", "bf": "strong", "bfseries": "strong"}

_URL_IN_TEXT = re.compile(r"https?://(?:[^\s{}\\$]|\\[_%#&~])+")
_URL_ESCAPE = re.compile(r"\\([_%#&~$])")

# The seed page's `{raise.17ex\scriptstyle\sim}4 hours` is a mangled `{\raise.17ex\hbox{$\scriptstyle\sim$}}`,
# the usual LaTeX spelling of "approximately"; both spellings become `~`.
_RAISED_TILDE = re.compile(
    r"\{\s*\\?raise\s*-?\.?\d*\s*ex\s*(?:\\hbox\s*\{\s*)?\$?\s*\\scriptstyle\s*\\sim\s*\$?\s*\}?\s*\}"
)
_GROUP_SWITCH = re.compile(r"\{\\(em|it|itshape|sl|bf|bfseries)(?![A-Za-z])\s*")
_CONTROL_WORD = re.compile(r"[A-Za-z]+")
_ACCENT_BASE = re.compile(r"(\\i(?![A-Za-z])|[A-Za-z])")
_BRACED_ACCENT_BASE = re.compile(r"\{\s*(\\i(?![A-Za-z])|[A-Za-z])\s*\}")


# Text without any of these has nothing for the scanner to do: most titles, many abstracts.
_PLAIN_FAST_PATH = re.compile(r"[$\\{}~`]|--")


@functools.lru_cache(maxsize=4096)
def render_math(text: str) -> SafeString:
    """Return `text` as safe HTML with its LaTeX math rendered as MathML.

    Prose is HTML-escaped, with light text-mode clean-up (`\\emph`, `\\textbf`, dashes, `~`, `\\%`, ...) and
    whitespace collapsed. `$...$` and `\\(...\\)` become inline MathML, `$$...$$` and `\\[...\\]` block MathML.
    A segment latex2mathml cannot convert is shown as its escaped source inside
    `<span class="tex-fallback">`. The result is finally passed through nh3 with an allow-list of the
    MathML that latex2mathml emits plus `em`, `strong` and `span`.
    """
    source = _WHITESPACE.sub(" ", text or "").strip()
    if not _PLAIN_FAST_PATH.search(source):
        return mark_safe(escape(source, quote=False))
    try:
        html = _Scanner(source, html=True).run()
    except Exception:
        # The scanner is meant to handle any string; if it ever does not, the page still shows the abstract.
        logger.exception("render_math fell back to plain text for %.80r", source)
        html = escape(source, quote=False)
    cleaned = nh3.clean(
        html,
        tags=set(_ALLOWED_TAGS),
        attributes=_ALLOWED_ATTRIBUTES,
        allowed_classes=_ALLOWED_CLASSES,
        tag_attribute_values=_ALLOWED_VALUES,
        clean_content_tags={"script", "style"},
        link_rel=None,
        strip_comments=True,
    )
    return mark_safe(cleaned)


def plain_math(text: str) -> str:
    """Return `text` as plain text for e-mail: math delimiters dropped and common LaTeX turned into Unicode.

    Greek letters and common operators become their characters, `\\mathbb{R}` becomes `ℝ`, `^{2}` and `_{i}`
    become super/subscript characters where Unicode has them (otherwise `^x`, `_x`, or `^{...}` for longer
    scripts), font wrappers such as `\\mathrm{}` are dropped keeping their content, and the same text-mode
    clean-ups as `render_math` apply, without markup.
    """
    source = _WHITESPACE.sub(" ", text or "").strip()
    try:
        result = _Scanner(source, html=False).run()
    except Exception:
        result = source
    return _WHITESPACE.sub(" ", result).strip()


def _latex_to_mathml(latex: str, display: str) -> str:
    if _MACRO_DEFINITION.search(latex):
        raise ValueError("macro definitions are not rendered")
    # In an abstract a bare `%` means percent; as a TeX comment it would silently swallow the rest of the segment.
    latex = re.sub(r"\\.|%", lambda m: r"\%" if m.group(0) == "%" else m.group(0), latex, flags=re.S)
    # latex2mathml reads the optional raise of `\rule[0.25em]{1em}{0.4pt}` as its width and prints the rest.
    latex = re.sub(r"\\rule\s*\[[^\]]*\]", r"\\rule", latex)
    # Not latex2mathml's convert(): it unescapes its serialised output, so `\text{<b>}` would come out as a
    # live `<b>` tag. Serialising the element tree ourselves keeps text content escaped.
    element = convert_to_element(latex, display=display)
    for node in element.iter():
        # latex2mathml nests markup in a token for `\mathbin{!n}` and the like; a row keeps the content.
        if node.tag in _TOKEN_TAGS and len(node):
            node.tag = "mrow"
            node.attrib.clear()
    return _ESCAPED_CHARREF.sub(r"&\1", tostring(element, encoding="unicode"))


class _Scanner:
    """One left-to-right pass over collapsed text that finds math segments and text-mode LaTeX.

    Braces are matched recursively so that `\\textbf{a {\\em b} $c$}` nests correctly; every construct it
    does not recognise is emitted unchanged as text.
    """

    def __init__(self, source: str, *, html: bool) -> None:
        self.s = source
        self.n = len(source)
        self.html = html
        self.depth = 0

    def run(self) -> str:
        out, _, _ = self._group(0, closing=False)
        return out

    def _text(self, value: str) -> str:
        return escape(value, quote=False) if self.html else value

    def _wrap(self, tag: str | None, inner: str) -> str:
        if tag is None or not self.html:
            return inner
        return f"<{tag}>{inner}</{tag}>"

    def _group(self, i: int, *, closing: bool) -> tuple[str, int, bool]:
        """Scan from `i`; with `closing`, stop after the `}` that balances an already consumed `{`."""
        s, n = self.s, self.n
        out: list[str] = []
        plain: list[str] = []

        def flush() -> None:
            if plain:
                out.append(self._text("".join(plain)))
                plain.clear()

        def emit(piece: str) -> None:
            flush()
            out.append(piece)

        while i < n:
            c = s[i]
            if c == "}" and closing:
                flush()
                return "".join(out), i + 1, True
            if c == "$":
                if s.startswith("$$", i):
                    end = _find_close(s, i + 2, "$$")
                    if end is not None:
                        emit(self._math(s[i + 2:end], "block", "$$", "$$"))
                        i = end + 2
                        continue
                else:
                    end = _find_close(s, i + 1, "$")
                    if end is not None:
                        emit(self._math(s[i + 1:end], "inline", "$", "$"))
                        i = end + 1
                        continue
                plain.append("$")
                i += 1
                continue
            if c == "\\":
                piece, i = self._backslash(i, plain)
                if piece is not None:
                    emit(piece)
                continue
            if c == "{":
                piece, i = self._brace(i)
                emit(piece)
                continue
            if c == "~":
                # A tie glued to a word (`Fig.~3`, `$x$~dB`) is a non-breaking space; after a space or at the
                # start (`achieving ~8.8 times`, `A ~ B`) authors mean "approximately".
                prev = s[i - 1] if i else " "
                nxt = s[i + 1] if i + 1 < n else ""
                plain.append("~" if (prev in " ([" and nxt != "\\") else "\u00a0")
                i += 1
                continue
            if c == "-" and s.startswith("--", i):
                run = len(s[i:]) - len(s[i:].lstrip("-"))
                plain.append({2: "–", 3: "—"}.get(run, "-" * run))
                i += run
                continue
            if c == "`" and s.startswith("``", i):
                plain.append("“")
                i += 2
                continue
            if c == "'" and s.startswith("''", i):
                plain.append("”")
                i += 2
                continue
            if c == "h" and (m := _URL_IN_TEXT.match(s, i)) and (i == 0 or not s[i - 1].isalnum()):
                # A bare URL keeps its `~` and `--`.
                plain.append(_URL_ESCAPE.sub(r"\1", m.group(0)))
                i = m.end()
                continue
            plain.append(c)
            i += 1
        flush()
        return "".join(out), i, False

    def _math(self, latex: str, display: str, opener: str, closer: str) -> str:
        if not self.html:
            return _tex_to_unicode(latex)
        try:
            return _latex_to_mathml(latex, display)
        except Exception:
            # latex2mathml raises many exception types (and RecursionError on deep input); any of them means
            # "show the source", never "fail the page".
            return f'<span class="tex-fallback">{escape(opener + latex + closer, quote=False)}</span>'

    def _subgroup(self, i: int) -> tuple[str, int, bool]:
        """Scan the group whose `{` is just before `i`."""
        self.depth += 1
        try:
            return self._group(i, closing=True)
        finally:
            self.depth -= 1

    def _raw_arg(self, i: int) -> tuple[str, int] | None:
        """Return the raw text of a balanced `{...}` argument starting at (or after spaces from) `i`."""
        s = self.s
        j = i
        while j < self.n and s[j] == " ":
            j += 1
        if j >= self.n or s[j] != "{":
            return None
        level = 0
        k = j
        while k < self.n:
            if s[k] == "\\":
                k += 2
                continue
            if s[k] == "{":
                level += 1
            elif s[k] == "}":
                level -= 1
                if level == 0:
                    return s[j + 1:k], k + 1
            k += 1
        return None

    def _parsed_arg(self, i: int) -> tuple[str, str, int] | None:
        """Scan a `{...}` argument at `i`; return (rendered, raw source, end) if it closes."""
        s = self.s
        j = i
        while j < self.n and s[j] == " ":
            j += 1
        if j >= self.n or s[j] != "{" or self.depth >= _MAX_GROUP_DEPTH:
            return None
        inner, end, closed = self._subgroup(j + 1)
        if not closed:
            return None
        return inner, s[j + 1:end - 1], end

    def _brace(self, i: int) -> tuple[str, int]:
        s = self.s
        if m := _RAISED_TILDE.match(s, i):
            return self._text("~"), m.end()
        if s.startswith("{}", i):
            return "", i + 2
        if self.depth >= _MAX_GROUP_DEPTH:
            return self._text("{"), i + 1
        if m := _GROUP_SWITCH.match(s, i):
            inner, end, closed = self._subgroup(m.end())
            if closed:
                return self._wrap(_SWITCHES[m.group(1)], inner), end
            return self._text(m.group(0)) + inner, end
        inner, end, closed = self._subgroup(i + 1)
        if closed and s.startswith("{\\", i):
            # `{\textbf{x}}`, `{\deg}`: the braces only scope a command and would print as noise.
            return inner, end
        # Other braces stay visible: outside math `{0, 1}` is more likely a set than TeX grouping.
        return self._text("{") + inner + (self._text("}") if closed else ""), end

    def _backslash(self, i: int, plain: list[str]) -> tuple[str | None, int]:
        """Handle a backslash at `i`; literal output goes to `plain`, markup is returned."""
        s, n = self.s, self.n
        if i + 1 >= n:
            plain.append("\\")
            return None, i + 1
        nxt = s[i + 1]
        if nxt in "([":
            closer = "\\)" if nxt == "(" else "\\]"
            end = _find_close(s, i + 2, closer)
            if end is not None:
                display = "inline" if nxt == "(" else "block"
                return self._math(s[i + 2:end], display, "\\" + nxt, closer), end + 2
        if nxt in "$%&_#{}":
            plain.append(nxt)
            return None, i + 2
        if nxt in " \\":
            plain.append(" ")
            return None, i + 2
        if nxt == ",":
            plain.append("\u202f")
            return None, i + 2
        if nxt == "@" or nxt == "/":
            return None, i + 2
        if nxt == "-":
            # Authors write `state\-of\-the\-art` meaning hyphens, not TeX's invisible break hint.
            plain.append("-")
            return None, i + 2
        if nxt in _SYMBOL_ACCENTS:
            accented = self._accent(i + 2, _SYMBOL_ACCENTS[nxt])
            if accented is not None:
                plain.append(accented[0])
                return None, accented[1]
            plain.append("\\" + nxt if nxt != "~" else "~")
            return None, i + 2
        if not nxt.isascii() or not nxt.isalpha():
            plain.append("\\")
            return None, i + 1

        m = _CONTROL_WORD.match(s, i + 1)
        name, j = m.group(0), m.end()
        if name in _LETTER_ACCENTS and (accented := self._accent(j, _LETTER_ACCENTS[name], braced_only=True)):
            plain.append(accented[0])
            return None, accented[1]
        if name in _EMPHASIS or name in _BOLD or name in _PLAIN_WRAPPERS:
            if arg := self._parsed_arg(j):
                tag = "em" if name in _EMPHASIS else "strong" if name in _BOLD else None
                return self._wrap(tag, arg[0]), arg[2]
        elif name == "url":
            if raw := self._raw_arg(j):
                plain.append(_URL_ESCAPE.sub(r"\1", raw[0]).strip())
                return None, raw[1]
        elif name == "href":
            if (url := self._raw_arg(j)) and (label := self._parsed_arg(url[1])):
                return self._href(url[0], label), label[2]
        elif name in ("textsuperscript", "textsubscript"):
            if arg := self._parsed_arg(j):
                table = _SUPERSCRIPTS if name == "textsuperscript" else _SUBSCRIPTS
                raw = arg[1].strip()
                if raw and all(ch in table for ch in raw):
                    return self._text("".join(table[ch] for ch in raw)), arg[2]
                return arg[0], arg[2]
        elif name == "textcolor":
            if color := self._raw_arg(j):
                if arg := self._parsed_arg(color[1]):
                    return arg[0], arg[2]
                return None, color[1]
        elif name == "color":
            if color := self._raw_arg(j):
                return None, color[1]
        elif name in _TEXT_SYMBOLS:
            plain.append(_TEXT_SYMBOLS[name])
            return None, j
        plain.append("\\" + name)
        return None, j

    def _href(self, url: str, label: tuple[str, str, int]) -> str:
        url = _URL_ESCAPE.sub(r"\1", url).strip()
        rendered, raw = label[0], label[1]

        def bare(u: str) -> str:
            return re.sub(r"^https?://(www\.)?", "", u).rstrip("/.").lower()

        # There is no link markup on the allow-list, so a label like "here" would lose the address; show it.
        if bare(url) and bare(url) not in bare(_URL_ESCAPE.sub(r"\1", raw)):
            return rendered + self._text(f" ({url})")
        return rendered

    def _accent(self, i: int, mark: str, *, braced_only: bool = False) -> tuple[str, int] | None:
        s = self.s
        if s.startswith("{", i):
            m = _BRACED_ACCENT_BASE.match(s, i)
        elif braced_only:
            return None
        else:
            m = _ACCENT_BASE.match(s, i)
        if not m:
            return None
        base = "ı" if m.group(1) == "\\i" else m.group(1)
        return unicodedata.normalize("NFC", base + mark), m.end()


def _find_close(s: str, j: int, closer: str) -> int | None:
    """Index of `closer` at or after `j`, skipping backslash escapes (so `\\$` never closes `$`)."""
    n = len(s)
    while j < n:
        if s.startswith(closer, j):
            return j
        if s[j] == "\\":
            j += 2
            continue
        j += 1
    return None


# -- plain-text math -------------------------------------------------------------------------------------

_LBRACE, _RBRACE = "\x00", "\x01"  # escaped braces that must survive the removal of grouping braces
_KEEP_OPEN, _KEEP_CLOSE = "\x02", "\x03"  # braces of a script we could not convert, shown to the reader
_STASH_BASE = 0xE000  # private-use characters stand in for link texts while the rest is converted

_FONT_WRAPPER = re.compile(
    r"\\(?:mathrm|mathcal|mathscr|mathfrak|mathbf|mathit|mathsf|mathtt|mathnormal|boldsymbol|bm|"
    r"operatorname\*?|text|textrm|textbf|textit|texttt|textsf|textsc|emph|mbox|hbox|mathbb|it|bf|rm|sf|tt|cal)"
    r"\s*\{([^{}]*)\}"
)
_FRACTION = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_ROOT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")
_MATH_ACCENT = re.compile(r"\\(hat|widehat|tilde|widetilde|bar|overline|vec|dot|ddot|check|breve)\s*\{([^{}]*)\}")
_COMBINING = {"hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303", "bar": "\u0304",
              "overline": "\u0305", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308", "check": "\u030c",
              "breve": "\u0306"}
_BRACED_SCRIPT = re.compile(r"([\^_])\s*\{([^{}]*)\}")
_SINGLE_SCRIPT = re.compile(r"([\^_])\s*([^\s{}\\^_\x00\x01\x02\x03])")
_BINOMIAL = re.compile(r"\\binom\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_LINK = re.compile(
    r"\\(?:url\s*\{(?P<url>[^{}]*)\}"
    r"|href\s*\{(?P<target>[^{}]*)\}\s*\{(?P<label>(?:\\.|[^{}\\]|\{(?:\\.|[^{}\\])*\})*)\})"
)
# Abstracts use `$\rule[0.25em]{1em}{0.4pt}$` as a dash.
_RULE = re.compile(r"\\rule\s*(?:\[[^\]]*\])?\s*\{[^{}]*\}\s*\{[^{}]*\}")
_UNICODE_COMMAND = re.compile(r"\\unicode\s*\{\s*(x[0-9A-Fa-f]{1,6}|[0-9]{1,7})\s*\}")
_PRIVATE_USE = re.compile("[\uE000-\uF8FF]")
_UNKNOWN_WITH_ARGUMENT = re.compile(
    r"(\\(?!(?:[dt]?frac|sqrt|binom|hat|widehat|tilde|widetilde|bar|overline|vec|dot|ddot|check|breve)"
    r"(?![A-Za-z]))[A-Za-z]+)\s*\{([^{}]*)\}"
)
_ANY_WITH_ARGUMENT = re.compile(r"(\\[A-Za-z]+)\s*\{([^{}]*)\}")
_SIZING = re.compile(r"\\(?:left|right|middle|[bB]igg?[lrm]?)(?![A-Za-z])\s*\.?")
_COMMAND = re.compile(r"\\([A-Za-z]+)")


def _tex_to_unicode(latex: str) -> str:
    """Best-effort Unicode reading of one math segment; unknown commands stay as written."""
    # Links first, and set aside, so that `_` or `^` in an address is not read as a subscript or superscript.
    stash: list[str] = []

    def set_aside(m: re.Match) -> str:
        if m.group("url") is not None:
            stash.append(_URL_ESCAPE.sub(r"\1", m.group("url")).strip())
        else:
            stash.append(_tex_to_unicode(m.group("label")))
        return chr(_STASH_BASE + len(stash) - 1)

    t = latex if _PRIVATE_USE.search(latex) else _LINK.sub(set_aside, latex)
    t = _RULE.sub("—", t)
    t = _UNICODE_COMMAND.sub(_unicode_character, t)
    t = t.replace("\\{", _LBRACE).replace("\\}", _RBRACE)
    t = re.sub(r"\\([$%&_#])", r"\1", t)
    t = re.sub(r"\\mathbb\s*\{?\s*([A-Za-z1])\s*\}?",
               lambda m: _DOUBLE_STRUCK.get(m.group(1), m.group(1)), t)
    t = _SIZING.sub("", t)
    t = _COMMAND.sub(lambda m: _MATH_SYMBOLS.get(m.group(1), m.group(0)), t)
    t = re.sub(r"\\[,;:> ]|\\q?quad(?![A-Za-z])|~", " ", t)
    t = t.replace("\\!", "")

    for _ in range(50):  # innermost groups first; each pass removes at least one brace pair
        before = t
        t = _FONT_WRAPPER.sub(r"\1", t)
        t = _FRACTION.sub(lambda m: f"{_operand(m.group(1))}/{_operand(m.group(2))}", t)
        t = _ROOT.sub(lambda m: "√" + _operand(m.group(1)), t)
        t = _MATH_ACCENT.sub(_accented, t)
        t = _BRACED_SCRIPT.sub(_script, t)
        t = _BINOMIAL.sub(lambda m: f"({m.group(1).strip()} choose {m.group(2).strip()})", t)
        # Whatever command still takes an argument is unknown here; keep its braces so it reads as written.
        t = _keep_braces(t, _UNKNOWN_WITH_ARGUMENT, once=True)
        if t == before:
            break
    # A structure that never matched (`\frac{a}` missing an argument) is shown as written too.
    t = _keep_braces(t, _ANY_WITH_ARGUMENT)
    t = _SINGLE_SCRIPT.sub(_script, t)
    t = re.sub(r"\\sqrt(?![A-Za-z])", "√", t)
    t = t.replace("{", "").replace("}", "")
    t = (t.replace(_LBRACE, "{").replace(_RBRACE, "}")
         .replace(_KEEP_OPEN, "{").replace(_KEEP_CLOSE, "}"))
    if stash:
        t = _PRIVATE_USE.sub(lambda m: stash[ord(m.group(0)) - _STASH_BASE], t)
    return _WHITESPACE.sub(" ", t).strip()


def _keep_braces(t: str, pattern: re.Pattern, *, once: bool = False) -> str:
    for _ in range(1 if once else 50):
        before = t
        t = pattern.sub(lambda m: f"{m.group(1)}{_KEEP_OPEN}{m.group(2)}{_KEEP_CLOSE}", t)
        if t == before:
            break
    return t


def _unicode_character(m: re.Match) -> str:
    code = m.group(1)
    value = int(code[1:], 16) if code[0] == "x" else int(code)
    # Control characters and surrogates would be invisible or unencodable in a mail; keep the source.
    if value < 0x20 or 0xD800 <= value <= 0xDFFF or value > 0x10FFFF or 0xE000 <= value <= 0xF8FF:
        return m.group(0)
    return chr(value)


def _operand(part: str) -> str:
    part = part.strip()
    return part if re.fullmatch(r"[\w.′]+", part) else f"({part})"


def _accented(m: re.Match) -> str:
    content = m.group(2).strip()
    if len(content) == 1:
        return unicodedata.normalize("NFC", content + _COMBINING[m.group(1)])
    return content


def _script(m: re.Match) -> str:
    mark, content = m.group(1), m.group(2).strip()
    table = _SUPERSCRIPTS if mark == "^" else _SUBSCRIPTS
    if content and all(ch in table for ch in content):
        return "".join(table[ch] for ch in content)
    if len(content) == 1:
        return mark + content
    return f"{mark}{_KEEP_OPEN}{content}{_KEEP_CLOSE}"
