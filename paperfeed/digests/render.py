"""What a digest looks like: its HTML and plain-text parts and its headers (one-click unsubscribe), as a Django email.

The parts are rendered once per distinct paper list, with placeholders where one subscriber's copy differs from
another's (address, link tokens); a subscriber's message is those parts with the placeholders replaced. The same
placeholders stand in the headers of the prepared bytes (prepared_mail.py). Math in titles and abstracts is made
readable with plain_math in both parts: mail clients show MathML poorly or not at all (Gmail strips it).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from html import escape

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from paperfeed.digests import tokens
from paperfeed.digests.models import Subscription
from paperfeed.digests.selection import Digest
from paperfeed.lib.mathtext import plain_math
from paperfeed.lib.site import site_domain, site_url
from paperfeed.papers.models import Paper

SNIPPET_CHARS = 320
AUTHORS_SHOWN = 6


def snippet(abstract: str) -> str:
    text = " ".join(plain_math(abstract or "").split())
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def author_line(authors: list[str]) -> str:
    if len(authors) <= AUTHORS_SHOWN:
        return ", ".join(authors)
    return ", ".join(authors[:AUTHORS_SHOWN]) + f" and {len(authors) - AUTHORS_SHOWN} more"


def subscription_title(subscription: Subscription) -> str:
    site_name = settings.PAPERFEED["SITE_NAME"]
    if subscription.kind == Subscription.TRENDING:
        return f"{site_name}: trending papers"
    if subscription.kind == Subscription.FOLLOWS:
        return f"{site_name}: new papers you follow"
    label = subscription.saved_search.label if subscription.saved_search_id else "saved search"
    return f'{site_name}: new matches for "{label[:60]}"'


def own_heading(subscription: Subscription) -> str:
    """The heading of a digest's own papers, where another section follows them."""
    return {Subscription.FOLLOWS: "New papers you follow", Subscription.TRENDING: "Trending"}.get(
        subscription.kind, "New matches"
    )


@dataclass(frozen=True)
class Personal:
    """What one subscriber's copy of a digest has that another's has not (besides the Date)."""

    email: str
    message_id: str
    unsubscribe_token: str
    manage_token: str

    @classmethod
    def of(cls, digest: Digest) -> Personal:
        subscription = digest.subscription
        return cls(
            email=subscription.subscriber.email,
            message_id=digest.message_id,
            unsubscribe_token=tokens.unsubscribe_token(subscription.pk),
            manage_token=tokens.manage_token(subscription.subscriber_id),
        )


class Placeholders:
    """The stand-ins for what differs per subscriber, new for each run: no paper text can contain them."""

    def __init__(self):
        nonce = uuid.uuid4().hex
        self.email, self.message_id, self.date, self.unsubscribe_token, self.manage_token = (
            f"pf{nonce}{name}" for name in ("email", "messageid", "date", "unsubscribetoken", "managetoken")
        )


class DigestEmail(EmailMultiAlternatives):
    def message(self, **kwargs):
        msg = super().message(**kwargs)
        # The default 78-column folding turns a List-Unsubscribe URL with no space in it into RFC 2047 encoded
        # words, which mail providers don't read as a URL; RFC 5322 allows lines up to 998 characters.
        msg.policy = msg.policy.clone(max_line_length=998)
        # A random boundary of our own: the generator's default compiles a regex per message to check its own.
        msg.set_boundary(f"=_pf_{uuid.uuid4().hex}")
        return msg


class Renderer:
    def __init__(self, placeholders: Placeholders):
        self.placeholders = placeholders
        self._blocks: dict[tuple, tuple[str, str]] = {}  # (paper id, reason) -> its HTML and text block
        self._parts: dict[tuple, tuple[str, str]] = {}  # parts_key -> the HTML and text parts, with placeholders
        self._urls: dict[str, str] = {}  # URL name -> its absolute URL, with a placeholder for the token

    def _block(self, paper: Paper, reason: str = "") -> tuple[str, str]:
        key = (paper.pk, reason)
        if key not in self._blocks:
            if len(self._blocks) > 20_000:
                self._blocks.clear()  # reasons differ per reader: keep memory flat over a long run
            context = {
                "title": " ".join(plain_math(paper.title).split()),
                "authors": author_line(paper.authors or []),
                "upvotes": paper.upvotes,
                "snippet": snippet(paper.abstract),
                "url": site_url(paper.get_absolute_url()),
                "pdf_url": paper.pdf_url,
                "category": paper.primary_category,
                "arxiv_id": paper.arxiv_id,
                "reason": reason,
            }
            self._blocks[key] = (
                render_to_string("digests/_paper.html", context),
                render_to_string("digests/_paper.txt", context),
            )
        return self._blocks[key]

    @staticmethod
    def parts_key(digest: Digest) -> tuple:
        """What a digest's parts (and its prepared bytes) are made of, besides what differs per subscriber."""
        subscription = digest.subscription
        return (
            subscription.kind,
            subscription.frequency,
            digest.period.key,
            subscription_title(subscription),
            tuple(p.pk for p in digest.papers),
            tuple((s.title, tuple(s.reasons.get(p.pk, "") for p in s.papers)) for s in digest.sections),
        )

    def _sections(self, digest: Digest) -> list[tuple[str, str]]:
        """The paper blocks in order; where sections were added each section (the digest's own papers first)
        opens with its heading, and an added section's papers carry their reason line."""
        own = [self._block(paper) for paper in digest.own_papers]
        if not digest.sections:
            return own
        out = []
        if own:
            out.append(self._heading(own_heading(digest.subscription)))
            out.extend(own)
        for section in digest.sections:
            out.append(self._heading(section.title))
            out.extend(self._block(p, section.reasons.get(p.pk, "")) for p in section.papers)
        return out

    @staticmethod
    def _heading(title: str) -> tuple[str, str]:
        context = {"title": title}
        return render_to_string("digests/_heading.html", context), render_to_string("digests/_heading.txt", context)

    def _url(self, name: str, token_placeholder: str) -> str:
        if name not in self._urls:  # reverse() costs milliseconds here; once per run is enough
            self._urls[name] = site_url(reverse(name, args=[token_placeholder]))
        return self._urls[name]

    def parts(self, digest: Digest) -> tuple[str, str]:
        """The HTML and text parts with placeholders for what differs per subscriber; rendered once per paper list."""
        key = self.parts_key(digest)
        if key not in self._parts:
            if len(self._parts) > 512:
                self._parts.clear()  # keeps memory flat however many distinct lists a run meets
            p = self.placeholders
            blocks = self._sections(digest)
            context = {
                "site_name": settings.PAPERFEED["SITE_NAME"],
                "site_url": site_url("/papers"),
                "title": key[3],
                "period": digest.period,
                "count": len(digest.papers),
                "subscription": digest.subscription,
                "unsubscribe_url": self._url("digest_unsubscribe", p.unsubscribe_token),
                "manage_url": self._url("digest_manage", p.manage_token),
                "email": p.email,
            }
            html = render_to_string(
                "digests/email.html", {**context, "papers_html": mark_safe("".join(b[0] for b in blocks))}
            )
            text = render_to_string("digests/email.txt", {**context, "papers_text": "\n".join(b[1] for b in blocks)})
            self._parts[key] = (html, text)
        return self._parts[key]

    def message(self, digest: Digest, personal: Personal, *, date: str | None = None) -> EmailMultiAlternatives:
        """The digest as a Django email for one subscriber: what the preview shows, and what a non-SMTP email backend
        is given. Without a `date` Django's own Date header goes in."""
        p, subscription = self.placeholders, digest.subscription
        html, text = self.parts(digest)
        html = (
            html.replace(p.unsubscribe_token, escape(personal.unsubscribe_token))
            .replace(p.manage_token, escape(personal.manage_token))
            .replace(p.email, escape(personal.email))
        )
        text = (
            text.replace(p.unsubscribe_token, personal.unsubscribe_token)
            .replace(p.manage_token, personal.manage_token)
            .replace(p.email, personal.email)
        )
        unsubscribe_url = self._url("digest_unsubscribe", p.unsubscribe_token).replace(
            p.unsubscribe_token, personal.unsubscribe_token
        )
        site_name, kind = settings.PAPERFEED["SITE_NAME"], subscription.kind
        headers = {
            "Message-ID": personal.message_id,
            "List-Id": f"{site_name} {kind} digest <{kind}.digests.{site_domain()}>",
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Precedence": "bulk",
        }
        if date is not None:
            headers["Date"] = date
        count = len(digest.papers)
        # ASCII punctuation on purpose: a non-ASCII subject costs milliseconds of RFC 2047 encoding per message.
        subject = (
            f"{subscription_title(subscription)} - {digest.period.label} ({count} paper{'s' if count != 1 else ''})"
        )
        message = DigestEmail(
            subject=subject,
            body=text,
            to=[personal.email],
            headers=headers,
        )
        message.attach_alternative(html, "text/html")
        return message
