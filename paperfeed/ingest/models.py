from django.db import models


class Reject(models.Model):
    """A record an import could not take, kept with its reason so nothing is silently lost."""

    source = models.CharField(max_length=64)
    raw = models.TextField()
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.source}: {self.reason[:80]}"


class HarvestState(models.Model):
    """Where an arXiv OAI-PMH harvest stands, saved in the same transaction as each page's records.

    A run that stops anywhere (Ctrl-C, kill -9, a network error) leaves `resumption_token` set, and the same
    command goes on from it; a finished run clears the token and moves `next_from` on, so the scheduler's run
    without arguments fetches what is new since.
    """

    set_spec = models.CharField(max_length=64, unique=True, help_text="OAI set, e.g. cs or physics:hep-th")
    categories = models.JSONField(default=list, blank=True, help_text="arXiv categories kept; empty: all")
    metadata_format = models.CharField(max_length=16, default="arXivRaw")
    from_date = models.DateField(null=True, blank=True, help_text="the running harvest's from")
    until_date = models.DateField(null=True, blank=True, help_text="the running harvest's until")
    resumption_token = models.TextField(blank=True, help_text="set while a harvest is unfinished")
    watermark = models.DateField(null=True, blank=True, help_text="latest datestamp stored so far")
    next_from = models.DateField(null=True, blank=True, help_text="where the next harvest without --from starts")
    response_date = models.DateField(null=True, blank=True, help_text="arXiv's date at the running harvest's start")
    pages = models.PositiveIntegerField(default=0, help_text="pages stored in the running harvest")
    records = models.PositiveIntegerField(default=0, help_text="records seen in the running harvest")
    complete_size = models.PositiveIntegerField(
        null=True, blank=True, help_text="completeListSize, when arXiv gives it"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.set_spec} ({'running' if self.resumption_token else 'idle'})"

    @property
    def running(self) -> bool:
        return bool(self.resumption_token)

    running.fget.boolean = True


class JobLease(models.Model):
    """Who runs a job that one process at a time may run (the scheduled arXiv harvest), until when.

    Taken and renewed by ingest/leases.py with conditional UPDATEs; a free lease has no owner.
    """

    name = models.CharField(max_length=64, unique=True)
    owner = models.CharField(max_length=200, blank=True, help_text="host:pid:nonce of the holder; empty: free")
    expires_at = models.DateTimeField(null=True, blank=True, help_text="after this, another process may take it")

    def __str__(self):
        return f"{self.name} ({self.owner or 'free'})"
