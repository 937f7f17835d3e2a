import json

from django.conf import settings
from tqdm import tqdm

from paperfeed.digests.preview import previews
from paperfeed.digests.send import send_due
from paperfeed.lib.command import PaperfeedCommand


class Command(PaperfeedCommand):
    help = (
        "Send the digests that are due (`digest send`), or show what an address would get now (`digest preview "
        "EMAIL`). "
        "Safe to run from many processes at once; SIGTERM finishes the message in flight and stops."
    )
    example = "paperfeed digest send --frequency daily --dry-run"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="compose and send every digest that is due now")
        send.add_argument("--frequency", choices=["daily", "weekly"], help="only this frequency (default: both)")
        send.add_argument("--dry-run", action="store_true", help="compose and count, send and record nothing")
        send.add_argument("--json", action="store_true", help="print the summary as JSON")
        preview = sub.add_parser("preview", help="print the digests EMAIL would get if they were sent now")
        preview.add_argument("email")
        preview.add_argument("--html", action="store_true", help="print the HTML part instead of the plain-text one")

    def handle(self, *args, **options):
        if options["action"] == "preview":
            return self._preview(options)
        stop = self.stop_on_signals()
        with tqdm(unit="digest", desc="digests", disable=None) as bar:
            summary = send_due(frequency=options["frequency"], stop=stop, dry_run=options["dry_run"], progress=bar)
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict()))
            return
        verb = "would send" if summary.dry_run else "sent"
        self.stdout.write(
            f"periods {', '.join(summary.periods) or 'none due'}: {verb} {summary.sent}, empty {summary.empty}, "
            f"skipped {summary.skipped}, failed {summary.failed}, left for a later run {summary.retry_later}, "
            f"held by other senders {summary.held_elsewhere}"
        )
        if summary.aborted:
            self.stderr.write(summary.aborted)
        if summary.retry_later:
            host = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
            self.stderr.write(
                f"{summary.retry_later:,} digest{'s' if summary.retry_later != 1 else ''} could not be handed to the "
                f"mail server at {host} ({summary.last_error or 'a temporary failure'}); they are kept and the next "
                "`paperfeed digest send` (or the worker) retries them. Check PAPERFEED_EMAIL_HOST and EMAIL_PORT."
            )
        if stop.is_set():
            self.stderr.write("stopped by signal; the rest is left for the next run")

    def _preview(self, options):
        items = previews(options["email"])
        if not items:
            self.stdout.write("No active subscriptions for this address.")
        for item in items:
            digest, message = item.digest, item.message
            self.stdout.write(f"=== {item.subscription.title} ({item.subscription.frequency}, {digest.period.key}) ===")
            if item.note:
                self.stdout.write(item.note)
            if message is None:
                self.stdout.write("Nothing new: no mail would be sent.\n")
                continue
            self.stdout.write(f"Subject: {message.subject}\nMessage-ID: {digest.message_id}\n")
            self.stdout.write(message.alternatives[0][0] if options["html"] else message.body)
