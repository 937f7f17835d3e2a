"""The data sets the tests read from ../shared beside the repository (real arXiv and Hugging Face records)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """`../shared/<parts>` relative to the repository root; the calling test fails, naming the path, without it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"{path} is missing (the shared data beside the repository, ../shared)", pytrace=False)
    return path
