"""A digest as the bytes handed to SMTP, made from one template per digest body.

Building and flattening a MIME message was the largest share of a sender's time per digest (profiled). So each
distinct digest body is built once as Django's message with the run's placeholders (render.Placeholders) where one
subscriber's mail differs from another's (address, Message-ID, Date, link tokens), and flattened; each mail is
then that template with the placeholders replaced. This is exact only while both text parts go out unencoded
(7bit/8bit: the bytes on the wire are the text itself) and the address needs no encoding or escaping; for
anything else prepare() says None and the caller takes Django's own path (render.Renderer.message).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import formatdate

from django.conf import settings
from django.core.mail.message import sanitize_address

from paperfeed.digests.render import Personal, Renderer
from paperfeed.digests.selection import Digest

# An address that stands in message headers and both parts exactly as typed: no encoding, quoting or escaping.
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+")
# Room for the longest address (254) and tokens on any line, within SMTP's 998-octet line limit.
MAX_TEMPLATE_LINE = 500


@dataclass
class PreparedMail:
    """A message as SMTP takes it: envelope sender, recipient and the message's bytes."""

    from_email: str
    to: str
    data: bytes


class PreparedMails:
    def __init__(self, renderer: Renderer):
        self.renderer = renderer
        p = renderer.placeholders
        self._placeholders = tuple(
            x.encode("ascii") for x in (p.email, p.message_id, p.date, p.unsubscribe_token, p.manage_token)
        )
        self._from_email = sanitize_address(settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET)
        self._templates: dict[tuple, bytes | None] = {}  # Renderer.parts_key -> template, or None: Django's path

    def prepare(self, digest: Digest) -> PreparedMail | None:
        """The digest as the bytes handed to SMTP; None where only Django's message can say it exactly."""
        email = digest.subscription.subscriber.email
        template = self._template(digest) if PLAIN_ADDRESS.fullmatch(email) else None
        if template is None:
            return None
        personal = Personal.of(digest)
        values = (
            email,
            personal.message_id,
            formatdate(localtime=settings.EMAIL_USE_LOCALTIME),
            personal.unsubscribe_token,
            personal.manage_token,
        )
        data = template
        for placeholder, value in zip(self._placeholders, values):
            if not value.isascii():
                return None  # e.g. a Message-ID of an internationalised site domain: Django's path encodes it
            data = data.replace(placeholder, value.encode("ascii"))
        return PreparedMail(self._from_email, email, data)

    def _template(self, digest: Digest) -> bytes | None:
        key = self.renderer.parts_key(digest)
        if key not in self._templates:
            if len(self._templates) > 512:
                self._templates.clear()
            p = self.renderer.placeholders
            # The address and Message-ID headers must parse as such while the template is built.
            stand_ins = {f"{p.email}@slot.invalid": p.email, f"<{p.message_id}@slot.invalid>": p.message_id}
            message = self.renderer.message(
                digest,
                Personal(
                    email=f"{p.email}@slot.invalid",
                    message_id=f"<{p.message_id}@slot.invalid>",
                    unsubscribe_token=p.unsubscribe_token,
                    manage_token=p.manage_token,
                ),
                date=p.date,
            ).message()
            data = message.as_bytes(linesep="\r\n")
            for stand_in, placeholder in stand_ins.items():
                data = data.replace(stand_in.encode("ascii"), placeholder.encode("ascii"))
            verbatim = all(
                part["Content-Transfer-Encoding"] in ("7bit", "8bit")
                for part in message.walk()
                if part.get_content_maintype() == "text"
            )
            complete = all(placeholder in data for placeholder in self._placeholders)
            short_lines = max(map(len, data.split(b"\r\n"))) <= MAX_TEMPLATE_LINE
            self._templates[key] = data if verbatim and complete and short_lines else None
        return self._templates[key]
