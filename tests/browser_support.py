"""Steps the browser tests share: signing up through the real form and the confirmation mail."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD


def sign_up(page, base: str, smtp, name: str) -> None:
    """Sign `name` up at `base` and follow the link in the mail the SMTP server caught; ends signed in."""
    page.goto(f"{base}/accounts/signup/")
    page.fill("#id_username", name)
    page.fill("#id_email", f"{name}@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    page.locator("text=Check your email").wait_for()
    link = re.search(r"https?://[^/\s]+(/accounts/signup/confirm/\S+/)", smtp.messages[-1].get_content())[1]
    page.goto(base + link)
    page.locator("header .user").wait_for()
