"""What goes into a digest, and the email it becomes (HTML and plain-text parts, one-click unsubscribe headers).

A Composer is made once per send run: it caches per run what all subscribers of a period share (the
trending list, the period's new papers, each paper's rendered block), so composing the 100,000th digest costs
a query for what that subscriber already got and two small template renders. Math in titles and abstracts is
made readable with plain_math in both parts: mail clients show MathML poorly or not at all (Gmail strips it).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from email.utils import formatdate
from html import escape

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from paperfeed.digests import matching, tokens
from paperfeed.digests.models import SentPaper, Subscription
from paperfeed.digests.schedule import DuePeriod
from paperfeed.lib.mathtext import plain_math
from paperfeed.lib.site import site_domain, site_url
from paperfeed.papers import paper_list
from paperfeed.papers.models import Paper

SNIPPET_CHARS = 320
# Stand-ins for what differs per subscriber in a rendered body: no template output can contain them.
_UNSUBSCRIBE, _MANAGE, _EMAIL = "\x00unsubscribe\x00", "\x00manage\x00", "\x00email\x00"
AUTHORS_SHOWN = 6


@dataclass
class Digest:
    subscription: Subscription
    period: DuePeriod
    papers: list[Paper] = field(default_factory=list)

    @property
    def message_id(self) -> str:
        return message_id(self.subscription.pk, self.period.key)


def message_id(subscription_id: int, period_key: str) -> str:
    """Derived from the send log's key, so a resent digest carries the same Message-ID as the first try."""
    return f"<digest.{subscription_id}.{period_key}@{site_domain()}>"


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


class DigestEmail(EmailMultiAlternatives):
    def message(self, **kwargs):
        msg = super().message(**kwargs)
        # The default 78-column folding turns a List-Unsubscribe URL with no space in it into RFC 2047 encoded
        # words, which mail providers don't read as a URL; RFC 5322 allows lines up to 998 characters.
        msg.policy = msg.policy.clone(max_line_length=998)
        # A random boundary of our own: the generator's default compiles a regex per message to check its own.
        msg.set_boundary(f"=_pf_{uuid.uuid4().hex}")
        return msg


class Composer:
    def __init__(self):
        self._trending: dict = {}
        self._windows: dict = {}
        self._blocks: dict[int, tuple[str, str]] = {}
        self._bodies_cache: dict[tuple, tuple[str, str]] = {}
        self._url_templates: dict[str, str] = {}
        self._templates: dict[tuple, bytes | None] = {}
        self._from_email = sanitize_address(settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET)
        nonce = uuid.uuid4().hex  # stand-ins no paper text can contain
        self._slots = {
            name: f"pf{nonce}{name.replace('_', '')}".encode("ascii")
            for name in ("email", "message_id", "date", "unsubscribe_token", "manage_token")
        }
        self._sent: dict[int, set[int]] = {}
        self._papers: dict[int, Paper] = {}
        self.max_papers = settings.PAPERFEED["DIGEST_MAX_PAPERS"]

    # --- what goes in ---
    def candidates(self, subscription: Subscription, period: DuePeriod) -> list[int]:
        """Paper ids in digest order, before leaving out what the subscriber already got."""
        if subscription.kind == Subscription.TRENDING:
            return self._trending_ids(period)
        window = self._window(period)
        if subscription.kind == Subscription.FOLLOWS:
            user = subscription.subscriber.user
            if user is None:
                return []
            follows = list(user.follows.values_list("kind", "key"))
            return matching.followed(
                window, {k for kind, k in follows if kind == "category"}, {k for kind, k in follows if kind == "author"}
            )
        search = subscription.saved_search
        return matching.search_matches(window, search.query, search.filters) if search else []

    def _trending_ids(self, period: DuePeriod) -> list[int]:
        key = (period.frequency, period.due_at)
        if key not in self._trending:
            days = (
                settings.PAPERFEED["TRENDING_WINDOW_DAYS"]
                if period.frequency == "daily"
                else max(7, settings.PAPERFEED["TRENDING_WINDOW_DAYS"])
            )
            page = paper_list.trending(now=period.due_at, window_days=days, page_size=self.max_papers * 5)
            self._trending[key] = [item.paper_id for item in page.items]
            for item in page.items:
                self._papers.setdefault(item.paper_id, item.paper)
        return self._trending[key]

    def _window(self, period: DuePeriod) -> list[matching.Candidate]:
        key = (period.covers_since, period.due_at)
        if key not in self._windows:
            self._windows[key] = matching.window(period.covers_since, period.due_at)
        return self._windows[key]

    def prefetch_sent(self, work: list[tuple[Subscription, DuePeriod]]) -> None:
        """What the subscribers of a batch already got, in one query instead of one per digest."""
        paper_ids = set()
        for subscription, period in work:
            paper_ids.update(self.candidates(subscription, period))
        subscriber_ids = {s.subscriber_id for s, _ in work}
        self._sent = {sid: set() for sid in subscriber_ids}
        if paper_ids:
            for sid, pid in SentPaper.objects.filter(
                subscriber_id__in=subscriber_ids, paper_id__in=paper_ids
            ).values_list("subscriber_id", "paper_id"):
                self._sent[sid].add(pid)

    def remember_sent(self, digest: Digest) -> None:
        if digest.subscription.subscriber_id in self._sent:
            self._sent[digest.subscription.subscriber_id].update(p.pk for p in digest.papers)

    def compose(self, subscription: Subscription, period: DuePeriod) -> Digest:
        ids = self.candidates(subscription, period)
        if ids:
            sent = self._sent.get(subscription.subscriber_id)
            if sent is None:
                sent = set(
                    SentPaper.objects.filter(subscriber_id=subscription.subscriber_id, paper_id__in=ids).values_list(
                        "paper_id", flat=True
                    )
                )
            ids = [i for i in ids if i not in sent][: self.max_papers]
        return Digest(subscription, period, self._load(ids))

    def _load(self, ids: list[int]) -> list[Paper]:
        missing = [i for i in ids if i not in self._papers]
        if missing:
            for paper in Paper.objects.filter(pk__in=missing):
                self._papers[paper.pk] = paper
        return [self._papers[i] for i in ids if i in self._papers]

    # --- what it looks like ---
    def _block(self, paper: Paper) -> tuple[str, str]:
        if paper.pk not in self._blocks:
            context = {
                "title": " ".join(plain_math(paper.title).split()),
                "authors": author_line(paper.authors or []),
                "upvotes": paper.upvotes,
                "snippet": snippet(paper.abstract),
                "url": site_url(paper.get_absolute_url()),
                "pdf_url": paper.pdf_url,
                "category": paper.primary_category,
                "arxiv_id": paper.arxiv_id,
            }
            self._blocks[paper.pk] = (
                render_to_string("digests/_paper.html", context),
                render_to_string("digests/_paper.txt", context),
            )
        return self._blocks[paper.pk]

    @staticmethod
    def _bodies_key(digest: Digest) -> tuple:
        subscription = digest.subscription
        return (
            subscription.kind,
            subscription.frequency,
            digest.period.key,
            subscription_title(subscription),
            tuple(p.pk for p in digest.papers),
        )

    def _bodies(self, digest: Digest) -> tuple[str, str]:
        """The HTML and text parts with placeholders for what differs per subscriber; rendered once per paper list."""
        subscription = digest.subscription
        key = self._bodies_key(digest)
        if key not in self._bodies_cache:
            if len(self._bodies_cache) > 512:
                self._bodies_cache.clear()  # keeps memory flat however many distinct lists a run meets
            blocks = [self._block(p) for p in digest.papers]
            context = {
                "site_name": settings.PAPERFEED["SITE_NAME"],
                "site_url": site_url("/papers"),
                "title": key[3],
                "period": digest.period,
                "count": len(digest.papers),
                "subscription": subscription,
                "unsubscribe_url": _UNSUBSCRIBE,
                "manage_url": _MANAGE,
                "email": _EMAIL,
            }
            html = render_to_string(
                "digests/email.html", {**context, "papers_html": mark_safe("".join(b[0] for b in blocks))}
            )
            text = render_to_string("digests/email.txt", {**context, "papers_text": "\n".join(b[1] for b in blocks)})
            self._bodies_cache[key] = (html, text)
        return self._bodies_cache[key]

    def _url(self, name: str, token: str) -> str:
        if name not in self._url_templates:  # reverse() costs milliseconds here; once per run is enough
            self._url_templates[name] = site_url(reverse(name, args=["TOKEN"])).replace("TOKEN", "{}")
        return self._url_templates[name].format(token)

    def message(self, digest: Digest) -> EmailMultiAlternatives:
        """The digest as a Django email: what the preview shows, and what a non-SMTP email backend is given."""
        return self._message(digest, **_personal(digest))

    def _message(
        self,
        digest: Digest,
        *,
        email: str,
        message_id: str,
        unsubscribe_token: str,
        manage_token: str,
        date: str | None = None,
    ) -> EmailMultiAlternatives:
        subscription = digest.subscription
        site_name = settings.PAPERFEED["SITE_NAME"]
        unsubscribe_url = self._url("digest_unsubscribe", unsubscribe_token)
        manage_url = self._url("digest_manage", manage_token)
        html, text = self._bodies(digest)
        html = (
            html.replace(_UNSUBSCRIBE, escape(unsubscribe_url))
            .replace(_MANAGE, escape(manage_url))
            .replace(_EMAIL, escape(email))
        )
        text = text.replace(_UNSUBSCRIBE, unsubscribe_url).replace(_MANAGE, manage_url).replace(_EMAIL, email)
        kind = subscription.kind
        headers = {
            "Message-ID": message_id,
            "List-Id": f"{site_name} {kind} digest <{kind}.digests.{site_domain()}>",
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Precedence": "bulk",
        }
        if date is not None:
            headers["Date"] = date
        message = DigestEmail(
            # ASCII punctuation on purpose: a non-ASCII subject costs milliseconds of RFC 2047 encoding per message.
            subject=f"{subscription_title(subscription)} - {digest.period.label} ({len(digest.papers)} paper{'s' if len(digest.papers) != 1 else ''})",
            body=text,
            to=[email],
            headers=headers,
        )
        message.attach_alternative(html, "text/html")
        return message

    def wire(self, digest: Digest) -> Wire | None:
        """The digest as the bytes handed to SMTP; None where only message() can build it.

        Building and flattening a MIME message was the largest share of a sender's time per digest (profiled). So
        each distinct digest body is built once, with stand-ins where one subscriber's mail differs from
        another's (address, Message-ID, Date, link tokens); each mail is then that template with the stand-ins
        replaced. This is exact only while both text parts go out unencoded (7bit/8bit: the bytes on the wire are
        the text itself) and the address needs no encoding or escaping; anything else takes Django's own path.
        """
        email = digest.subscription.subscriber.email
        template = self._wire_template(digest) if _PLAIN_ADDRESS.fullmatch(email) else None
        if template is None:
            return None
        values = {**_personal(digest), "date": formatdate(localtime=settings.EMAIL_USE_LOCALTIME)}
        data = template
        for slot, value in values.items():
            if not value.isascii():
                return None  # e.g. a Message-ID of an internationalised site domain: Django's path encodes it
            data = data.replace(self._slots[slot], value.encode("ascii"))
        return Wire(self._from_email, email, data)

    def _wire_template(self, digest: Digest) -> bytes | None:
        key = self._bodies_key(digest)
        if key not in self._templates:
            if len(self._templates) > 512:
                self._templates.clear()
            slots = {k: v.decode("ascii") for k, v in self._slots.items()}
            slots["email"] = f"{slots['email']}@slot.invalid"
            slots["message_id"] = f"<{slots['message_id']}@slot.invalid>"
            message = self._message(digest, **slots).message()
            data = message.as_bytes(linesep="\r\n")
            for name, value in slots.items():
                data = data.replace(value.encode("ascii"), self._slots[name])
            verbatim = all(
                part["Content-Transfer-Encoding"] in ("7bit", "8bit")
                for part in message.walk()
                if part.get_content_maintype() == "text"
            )
            complete = all(slot in data for slot in self._slots.values())
            # Room for the longest address (254) and tokens on any line, within SMTP's 998-octet line limit.
            short_lines = max(map(len, data.split(b"\r\n"))) <= 500
            self._templates[key] = data if verbatim and complete and short_lines else None
        return self._templates[key]


def _personal(digest: Digest) -> dict[str, str]:
    """What one subscriber's copy of a digest has that another's has not (besides the Date)."""
    subscription = digest.subscription
    return {
        "email": subscription.subscriber.email,
        "message_id": digest.message_id,
        "unsubscribe_token": tokens.unsubscribe_token(subscription.pk),
        "manage_token": tokens.manage_token(subscription.subscriber_id),
    }


@dataclass
class Wire:
    """A message as SMTP takes it: envelope sender, recipient and the message's bytes."""

    from_email: str
    to: str
    data: bytes


# An address that stands in message headers and both parts exactly as typed: no encoding, quoting or escaping.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+")


def subscription_title(subscription: Subscription) -> str:
    site_name = settings.PAPERFEED["SITE_NAME"]
    if subscription.kind == Subscription.TRENDING:
        return f"{site_name}: trending papers"
    if subscription.kind == Subscription.FOLLOWS:
        return f"{site_name}: new papers you follow"
    label = subscription.saved_search.label if subscription.saved_search_id else "saved search"
    return f'{site_name}: new matches for "{label[:60]}"'
