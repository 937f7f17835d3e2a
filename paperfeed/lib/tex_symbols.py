"""TeX commands and script characters as Unicode: the tables behind mathtext's text-mode clean-ups and the
plain-text reading of math in tex_plain.py."""

from __future__ import annotations

import unicodedata

SUPERSCRIPTS = {
    **dict(zip("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")),
    "+": "⁺",
    "-": "⁻",
    "−": "⁻",
    "=": "⁼",
    "(": "⁽",
    ")": "⁾",
    **dict(zip("abcdefghijklmoprstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻ")),
    "n": "ⁿ",
    **dict(zip("ABDEGHIJKLMNOPRTUVW", "ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ")),
    "⊤": "ᵀ",
    "∘": "°",
    "°": "°",
    "′": "′",
    "″": "″",
    "*": "*",
    "∗": "*",
    "†": "†",
}
SUBSCRIPTS = {
    **dict(zip("0123456789", "₀₁₂₃₄₅₆₇₈₉")),
    "+": "₊",
    "-": "₋",
    "−": "₋",
    "=": "₌",
    "(": "₍",
    ")": "₎",
    **dict(zip("aehijklmnoprstuvx", "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")),
    "β": "ᵦ",
    "γ": "ᵧ",
    "ρ": "ᵨ",
    "φ": "ᵩ",
    "χ": "ᵪ",
}

GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ϵ",
    "varepsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "vartheta": "ϑ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "varpi": "ϖ",
    "rho": "ρ",
    "varrho": "ϱ",
    "sigma": "σ",
    "varsigma": "ς",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "ϕ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Upsilon": "Υ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
}

# Symbols that also show up outside math in arXiv's own Unicode-to-TeX conversion (`360{\deg}`, `{\mu}m`).
TEXT_SYMBOLS = {
    **GREEK,
    "deg": "°",
    "degree": "°",
    "textdegree": "°",
    "pm": "±",
    "times": "×",
    "textregistered": "®",
    "texttrademark": "™",
    "copyright": "©",
    "textcopyright": "©",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "textendash": "–",
    "textemdash": "—",
    "textasciitilde": "~",
    "textbackslash": "\\",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "i": "ı",
    "o": "ø",
    "O": "Ø",
    "ss": "ß",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "newline": " ",
    "par": " ",
}

MATH_SYMBOLS = {
    **GREEK,
    "times": "×",
    "cdot": "·",
    "pm": "±",
    "mp": "∓",
    "div": "÷",
    "ast": "∗",
    "star": "⋆",
    "circ": "∘",
    "bullet": "•",
    "oplus": "⊕",
    "otimes": "⊗",
    "odot": "⊙",
    "setminus": "∖",
    "leq": "≤",
    "le": "≤",
    "leqslant": "≤",
    "geq": "≥",
    "ge": "≥",
    "geqslant": "≥",
    "neq": "≠",
    "ne": "≠",
    "approx": "≈",
    "sim": "∼",
    "simeq": "≃",
    "cong": "≅",
    "equiv": "≡",
    "propto": "∝",
    "ll": "≪",
    "gg": "≫",
    "lesssim": "≲",
    "gtrsim": "≳",
    "triangleq": "≜",
    "coloneqq": "≔",
    "doteq": "≐",
    "infty": "∞",
    "partial": "∂",
    "nabla": "∇",
    "ell": "ℓ",
    "hbar": "ħ",
    "prime": "′",
    "dagger": "†",
    "to": "→",
    "rightarrow": "→",
    "longrightarrow": "⟶",
    "leftarrow": "←",
    "gets": "←",
    "longleftarrow": "⟵",
    "leftrightarrow": "↔",
    "Rightarrow": "⇒",
    "Longrightarrow": "⟹",
    "implies": "⟹",
    "Leftarrow": "⇐",
    "Leftrightarrow": "⇔",
    "iff": "⟺",
    "mapsto": "↦",
    "uparrow": "↑",
    "downarrow": "↓",
    "in": "∈",
    "notin": "∉",
    "ni": "∋",
    "subset": "⊂",
    "subseteq": "⊆",
    "supset": "⊃",
    "supseteq": "⊇",
    "cup": "∪",
    "cap": "∩",
    "bigcup": "⋃",
    "bigcap": "⋂",
    "emptyset": "∅",
    "varnothing": "∅",
    "forall": "∀",
    "exists": "∃",
    "neg": "¬",
    "lnot": "¬",
    "land": "∧",
    "wedge": "∧",
    "lor": "∨",
    "vee": "∨",
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "oint": "∮",
    "top": "⊤",
    "bot": "⊥",
    "perp": "⊥",
    "parallel": "∥",
    "mid": "|",
    "vert": "|",
    "lvert": "|",
    "rvert": "|",
    "Vert": "‖",
    "lVert": "‖",
    "rVert": "‖",
    "langle": "⟨",
    "rangle": "⟩",
    "lfloor": "⌊",
    "rfloor": "⌋",
    "lceil": "⌈",
    "rceil": "⌉",
    "cdots": "⋯",
    "ldots": "…",
    "dots": "…",
    "vdots": "⋮",
    "ddots": "⋱",
    "checkmark": "✓",
    "degree": "°",
    "angle": "∠",
    "triangle": "△",
    "square": "□",
    # Operator names read fine as plain words.
    **{
        name: name
        for name in (
            "log",
            "ln",
            "exp",
            "max",
            "min",
            "sup",
            "inf",
            "lim",
            "arg",
            "det",
            "dim",
            "ker",
            "sin",
            "cos",
            "tan",
            "tanh",
            "sinh",
            "cosh",
            "Pr",
            "gcd",
            "deg",
            "mod",
            "argmax",
            "argmin",
        )
    },
}

DOUBLE_STRUCK = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "P": "ℙ", "H": "ℍ", "E": "𝔼", "1": "𝟙"}

# Text-mode accent commands (`\'e`, `\"{o}`, `\c{c}`) as combining marks; arXiv abstracts use them for names.
SYMBOL_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
}
LETTER_ACCENTS = {"c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "k": "\u0328", "r": "\u030a"}

# Math accents (`\hat{x}`, `\vec{v}`) as combining marks, for plain text.
COMBINING = {
    "hat": "\u0302",
    "widehat": "\u0302",
    "tilde": "\u0303",
    "widetilde": "\u0303",
    "bar": "\u0304",
    "overline": "\u0305",
    "vec": "\u20d7",
    "dot": "\u0307",
    "ddot": "\u0308",
    "check": "\u030c",
    "breve": "\u0306",
}


# MathML's mathvariant values that browsers do not draw (MathML Core keeps only "normal"), by the words of
# the Unicode names of their letters: "double-struck" R is MATHEMATICAL DOUBLE-STRUCK CAPITAL R, or, where
# Unicode had it earlier, DOUBLE-STRUCK CAPITAL R (U+211D, ℝ).
_VARIANT_NAMES = {
    "double-struck": ("DOUBLE-STRUCK", "DOUBLE-STRUCK"),
    "script": ("SCRIPT", "SCRIPT"),
    "bold-script": ("BOLD SCRIPT", None),
    "fraktur": ("FRAKTUR", "BLACK-LETTER"),
    "bold-fraktur": ("BOLD FRAKTUR", None),
    "bold": ("BOLD", None),
    "italic": ("ITALIC", None),
    "bold-italic": ("BOLD ITALIC", None),
    "sans-serif": ("SANS-SERIF", None),
    "bold-sans-serif": ("SANS-SERIF BOLD", None),
    "sans-serif-italic": ("SANS-SERIF ITALIC", None),
    "monospace": ("MONOSPACE", None),
}
_DIGITS = ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"]


def styled(text: str, variant: str) -> str | None:
    """`text` in the Unicode letters of a MathML mathvariant, or None when a character has none."""
    names = _VARIANT_NAMES.get(variant)
    if names is None:
        return None
    out = []
    for ch in text:
        if "A" <= ch <= "Z" or "a" <= ch <= "z":
            tail = f"{'CAPITAL' if ch.isupper() else 'SMALL'} {ch.upper()}"
        elif "0" <= ch <= "9":
            tail = f"DIGIT {_DIGITS[int(ch)]}"
        else:
            return None
        found = _lookup(f"MATHEMATICAL {names[0]} {tail}") or (names[1] and _lookup(f"{names[1]} {tail}"))
        if not found:
            return None
        out.append(found)
    return "".join(out)


def _lookup(name: str) -> str | None:
    try:
        return unicodedata.lookup(name)
    except KeyError:
        return None
