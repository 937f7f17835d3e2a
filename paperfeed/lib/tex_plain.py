"""A plain-text (Unicode) reading of one LaTeX math segment, for e-mail: `\\alpha \\leq 10^{3}` -> `α ≤ 10³`.

mathtext.plain_math finds the math segments and calls tex_to_unicode on each. Best effort by design: what it
does not know stays as written, so the reader still sees the source.
"""

from __future__ import annotations

import re
import unicodedata

from paperfeed.lib.tex_symbols import COMBINING, DOUBLE_STRUCK, MATH_SYMBOLS, SUBSCRIPTS, SUPERSCRIPTS

URL_ESCAPE = re.compile(r"\\([_%#&~$])")  # characters TeX escapes in an address: `\_`, `\%`, `\#`, ...

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
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_UNKNOWN_WITH_ARGUMENT = re.compile(
    r"(\\(?!(?:[dt]?frac|sqrt|binom|hat|widehat|tilde|widetilde|bar|overline|vec|dot|ddot|check|breve)"
    r"(?![A-Za-z]))[A-Za-z]+)\s*\{([^{}]*)\}"
)
_ANY_WITH_ARGUMENT = re.compile(r"(\\[A-Za-z]+)\s*\{([^{}]*)\}")
_SIZING = re.compile(r"\\(?:left|right|middle|[bB]igg?[lrm]?)(?![A-Za-z])\s*\.?")
_COMMAND = re.compile(r"\\([A-Za-z]+)")


def tex_to_unicode(latex: str) -> str:
    """Best-effort Unicode reading of one math segment; unknown commands stay as written."""
    # Links first, and set aside, so that `_` or `^` in an address is not read as a subscript or superscript.
    stash: list[str] = []

    def set_aside(m: re.Match) -> str:
        if m.group("url") is not None:
            stash.append(URL_ESCAPE.sub(r"\1", m.group("url")).strip())
        else:
            stash.append(tex_to_unicode(m.group("label")))
        return chr(_STASH_BASE + len(stash) - 1)

    t = latex if _PRIVATE_USE.search(latex) else _LINK.sub(set_aside, latex)
    t = _RULE.sub("—", t)
    t = _UNICODE_COMMAND.sub(_unicode_character, t)
    t = t.replace("\\{", _LBRACE).replace("\\}", _RBRACE)
    t = re.sub(r"\\([$%&_#])", r"\1", t)
    t = re.sub(r"\\mathbb\s*\{?\s*([A-Za-z1])\s*\}?", lambda m: DOUBLE_STRUCK.get(m.group(1), m.group(1)), t)
    t = _SIZING.sub("", t)
    t = _COMMAND.sub(lambda m: MATH_SYMBOLS.get(m.group(1), m.group(0)), t)
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
    t = t.replace(_LBRACE, "{").replace(_RBRACE, "}").replace(_KEEP_OPEN, "{").replace(_KEEP_CLOSE, "}")
    if stash:
        t = _PRIVATE_USE.sub(lambda m: stash[ord(m.group(0)) - _STASH_BASE], t)
    return " ".join(t.split())


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
        return unicodedata.normalize("NFC", content + COMBINING[m.group(1)])
    return content


def _script(m: re.Match) -> str:
    mark, content = m.group(1), m.group(2).strip()
    table = SUPERSCRIPTS if mark == "^" else SUBSCRIPTS
    if content and all(ch in table for ch in content):
        return "".join(table[ch] for ch in content)
    if len(content) == 1:
        return mark + content
    return f"{mark}{_KEEP_OPEN}{content}{_KEEP_CLOSE}"
