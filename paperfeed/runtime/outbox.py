"""An email backend that keeps every message in the outbox table instead of sending it.

Used when PAPERFEED_EMAIL_HOST is empty, so confirmation links and whole digests are readable at /outbox
rather than scrolled into the server log. OUTBOX_KEEP bounds how many are kept.
"""

import logging

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

from paperfeed.runtime.models import OutboxMessage

logger = logging.getLogger("paperfeed.outbox")


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        rows = []
        for message in email_messages:
            html = next(
                (body for body, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
            )
            rows.append(
                OutboxMessage(
                    subject=str(message.subject),
                    from_email=str(message.from_email),
                    to=", ".join(message.recipients()),
                    text=str(message.body),
                    html=str(html),
                )
            )
            logger.info("mail to %s kept in the outbox (/outbox): %s", rows[-1].to, rows[-1].subject)
        OutboxMessage.objects.bulk_create(rows)
        keep = settings.PAPERFEED["OUTBOX_KEEP"]
        cutoff = OutboxMessage.objects.order_by("-id").values_list("id", flat=True)[keep : keep + 1]
        if cutoff:
            OutboxMessage.objects.filter(id__lte=cutoff[0]).delete()
        return len(rows)
