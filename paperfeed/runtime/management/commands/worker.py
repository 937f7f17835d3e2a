from django.core.management.base import CommandError

from paperfeed.lib.command import PaperfeedCommand
from paperfeed.runtime import jobs


class Command(PaperfeedCommand):
    help = (
        "Run the scheduled jobs (search indexer, digest sending, daily arXiv harvest) until stopped. Run one "
        "per host on the scale path; `paperfeed serve` starts one by itself. SIGTERM or Ctrl-C finishes the "
        "job in flight, then stops."
    )
    example = "paperfeed worker --only digests,search-index"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and exit")
        parser.add_argument(
            "--only", default="", help=f"comma-separated job names: {', '.join(j.name for j in jobs.JOBS)}"
        )

    def handle(self, *args, once, only, **options):
        chosen = jobs.JOBS
        if only:
            names = {n.strip() for n in only.split(",") if n.strip()}
            unknown = names - {j.name for j in jobs.JOBS}
            if unknown:
                raise CommandError(
                    f"Unknown job(s): {', '.join(sorted(unknown))}; choose from {', '.join(j.name for j in jobs.JOBS)}."
                )
            chosen = [j for j in jobs.JOBS if j.name in names]
        stop = self.stop_on_signals()
        on = [j.name for j in chosen if j.interval > 0]
        off = [f"{j.name} (PAPERFEED_{j.interval_setting}=0)" for j in chosen if j.interval <= 0]
        self.stdout.write(f"worker running: {', '.join(on) or 'nothing'}" + (f"; off: {', '.join(off)}" if off else ""))
        jobs.run(chosen, stop=stop, once=once)
        self.stdout.write("worker stopped")
