"""What goes into a digest and the email it becomes: the one object a send run (and the preview) asks.

Three parts, each in its own module and each caching per run what subscribers share: selection.py (which papers),
render.py (the HTML and text parts and headers, as a Django email) and prepared_mail.py (the SMTP bytes, from one
template per digest body). Composing the 100,000th digest costs a query for what that subscriber already got (none
when the batch was prefetched), two signed tokens and a few byte replacements.
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives

from paperfeed.digests.models import Subscription
from paperfeed.digests.prepared_mail import PreparedMail, PreparedMails
from paperfeed.digests.render import Personal, Placeholders, Renderer
from paperfeed.digests.schedule import DuePeriod
from paperfeed.digests.selection import Digest, Selection


class Composer:
    """Made once per send run (or per sender thread): its caches live as long as it does."""

    def __init__(self):
        self.selection = Selection()
        self.renderer = Renderer(Placeholders())
        self.prepared_mails = PreparedMails(self.renderer)

    def prefetch_sent(self, work: list[tuple[Subscription, DuePeriod]]) -> None:
        self.selection.prefetch_sent(work)

    def remember_sent(self, digest: Digest) -> None:
        self.selection.remember_sent(digest)

    def compose(self, subscription: Subscription, period: DuePeriod) -> Digest:
        return self.selection.select(subscription, period)

    def message(self, digest: Digest) -> EmailMultiAlternatives:
        """The digest as a Django email: what the preview shows, and what a non-SMTP email backend is given."""
        return self.renderer.message(digest, Personal.of(digest))

    def prepared(self, digest: Digest) -> PreparedMail | None:
        """The digest as the bytes handed to SMTP; None where only message() can say it exactly."""
        return self.prepared_mails.prepare(digest)
