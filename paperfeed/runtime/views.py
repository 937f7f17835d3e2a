"""The outbox pages: the mail this site would have sent, for staff, and for everyone in the demo."""

from csp.decorators import csp_update
from django.conf import settings
from django.shortcuts import get_object_or_404, render

from paperfeed.errors import NotFound
from paperfeed.runtime.models import OutboxMessage

PAGE = 50


def _allowed(request) -> None:
    if not (settings.PAPERFEED["OUTBOX_PUBLIC"] or request.user.is_staff):
        raise NotFound("There is nothing at this address.")


def outbox(request):
    _allowed(request)
    return render(request, "runtime/outbox.html", {"messages_sent": OutboxMessage.objects.all()[:PAGE]})


# A mail's HTML part carries inline styles, as mail must; it is shown in a sandboxed frame that runs no script.
@csp_update({"style-src": ["'unsafe-inline'"]})
def outbox_message(request, pk: int):
    _allowed(request)
    return render(request, "runtime/outbox_message.html", {"mail": get_object_or_404(OutboxMessage, pk=pk)})
