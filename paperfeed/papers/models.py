"""Papers and what people do with them: listings (a paper's entry on a day), votes, comments."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone


class PaperQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden=False)

    def listable(self):
        """Papers that may appear in listings, trending and digests: visible and not withdrawn."""
        return self.filter(self.listable_q())

    @staticmethod
    def listable_q(via: str = "") -> Q:
        """`listable` as a condition, for a query that reaches papers through a relation (`via="paper__"`)."""
        return Q(**{f"{via}hidden": False, f"{via}withdrawn": False})


class Paper(models.Model):
    """One arXiv paper, keyed by its id without version; the latest version's text wins."""

    arxiv_id = models.CharField(max_length=40, unique=True)
    version = models.PositiveIntegerField(default=1)
    versions = models.JSONField(default=list, blank=True, help_text="[{version, date}] as far as known")
    title = models.TextField()
    abstract = models.TextField(blank=True)
    authors = models.JSONField(default=list, help_text="ordered list of author names")
    authors_text = models.TextField(blank=True, help_text="authors joined by '; ', for filtering")
    categories = models.JSONField(default=list, blank=True, help_text="arXiv categories only")
    primary_category = models.CharField(max_length=32, blank=True)
    classes = models.TextField(blank=True, help_text="ACM/MSC class strings, kept apart from categories")
    comment = models.TextField(blank=True)
    journal_ref = models.TextField(blank=True)
    doi = models.CharField(max_length=200, blank=True)
    code_links = models.JSONField(default=list, blank=True)
    submitted_on = models.DateField(null=True, blank=True, help_text="first version's submission date")
    updated_on = models.DateField(null=True, blank=True, help_text="latest version's date")
    announced_on = models.DateField(null=True, blank=True)
    withdrawn = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False, help_text="hidden by a moderator: gone from every page but the admin")
    imported_upvotes = models.PositiveIntegerField(
        default=0, help_text="upvotes counted elsewhere (e.g. Hugging Face) at import"
    )
    vote_count = models.PositiveIntegerField(default=0, help_text="votes cast here; kept in step with Vote rows")
    counted_votes = models.PositiveIntegerField(
        default=0,
        help_text="votes cast here by accounts at least MIN_VOTER_AGE_HOURS old (Vote.counted); what rankings use",
    )
    comment_count = models.PositiveIntegerField(default=0, help_text="visible comments; kept in step with Comment rows")
    change_seq = models.BigIntegerField(
        default=0, db_index=True, help_text="position in the change sequence (papers/changes.py)"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = PaperQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["submitted_on"])]

    def listing_or_none(self) -> Listing | None:
        """This paper's entry on a day of the listings, or None for a paper that was never listed."""
        try:
            return self.listing
        except Listing.DoesNotExist:
            return None

    def save(self, *args, **kwargs):
        # Any save may change what search shows, so each one takes a new place in the change sequence.
        from paperfeed.papers import changes  # here, not at the top: changes imports this module's ChangeCounter

        with transaction.atomic():
            self.change_seq = changes.allocate()
            super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.arxiv_id}: {self.title[:60]}"

    @property
    def upvotes(self) -> int:
        """The count shown: every vote cast here, young accounts' too, plus imported upvotes."""
        return self.vote_count + self.imported_upvotes

    @property
    def ranked_votes(self) -> int:
        """The count every ranking sorts by: votes of accounts old enough (ranking.py), plus imported upvotes."""
        return self.counted_votes + self.imported_upvotes

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.arxiv_id}"

    def get_absolute_url(self) -> str:
        return f"/papers/{self.arxiv_id}"


class ListingQuerySet(models.QuerySet):
    def listable(self):
        """Listings of listable papers (PaperQuerySet.listable), filtered through the join, not a subquery."""
        return self.filter(PaperQuerySet.listable_q("paper__"))


class Listing(models.Model):
    """A paper's entry on a day of the daily listings: when it was ingested or submitted, and by whom."""

    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, related_name="listing")
    day = models.DateField(db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    submitter_name = models.CharField(
        max_length=150, blank=True, help_text="submitter named by an import (e.g. Hugging Face)"
    )
    source = models.CharField(max_length=32, default="ingest")
    created_at = models.DateTimeField(auto_now_add=True)
    rank_votes = models.PositiveIntegerField(
        default=0,
        db_default=0,  # raw inserts (ingest) leave it to the trigger
        editable=False,
        help_text="the paper's counted_votes + imported_upvotes, kept by database triggers (migration 0005)",
    )

    objects = ListingQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["day", "paper"]),
            # Trending and the "top" sorts read a day's best papers straight off this index (paper_list.py).
            models.Index(fields=["day", "-rank_votes"], name="listing_day_rank_votes"),
        ]

    def __str__(self):
        return f"{self.paper.arxiv_id} on {self.day}"

    @property
    def submitter(self) -> str:
        return self.submitted_by.username if self.submitted_by_id else self.submitter_name


class VoteQuerySet(models.QuerySet):
    def paper_ids_voted_by(self, user, paper_ids) -> set[int]:
        """Which of these papers `user` has upvoted: one query, none for an anonymous visitor."""
        if not getattr(user, "is_authenticated", False):
            return set()
        return set(self.filter(user=user, paper_id__in=list(paper_ids)).values_list("paper_id", flat=True))

    def has_voted(self, user, paper) -> bool:
        return paper.pk in self.paper_ids_voted_by(user, [paper.pk])


class Vote(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(default=timezone.now)
    counted = models.BooleanField(
        default=False, help_text="included in the paper's counted_votes: its account was old enough (vote_counts.py)"
    )

    objects = VoteQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "paper"], name="one_vote_per_user_per_paper")]
        indexes = [
            models.Index(fields=["paper", "created_at"]),
            # The votes still waiting for their account to age: few, so the counting job reads only those.
            models.Index(fields=["user"], condition=Q(counted=False), name="vote_not_yet_counted"),
        ]


class Comment(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField(max_length=10_000)
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.user} on {self.paper.arxiv_id}"


def refresh_comment_count(paper_id: int) -> None:
    """Recount visible comments; called after a comment is added, hidden or shown."""
    count = Comment.objects.filter(paper_id=paper_id, hidden=False).count()
    Paper.objects.filter(pk=paper_id).update(comment_count=count)


def bump_vote_count(paper_id: int, delta: int, counted_delta: int = 0) -> None:
    """Move the shown count by `delta` and the ranked count by `counted_delta`, in one UPDATE (no lost update)."""
    changes = {"vote_count": F("vote_count") + delta}
    if counted_delta:
        changes["counted_votes"] = F("counted_votes") + counted_delta
    Paper.objects.filter(pk=paper_id).update(**changes)


class ChangeCounter(models.Model):
    """One row: the last change sequence number handed out (see papers/changes.py)."""

    value = models.BigIntegerField(default=0)
    instance = models.UUIDField(default=uuid.uuid4, editable=False, help_text="identifies this database to index files")


class Tombstone(models.Model):
    """A deleted paper, kept as a change so that indexers drop it too."""

    paper_pk = models.BigIntegerField()
    arxiv_id = models.CharField(max_length=40)
    change_seq = models.BigIntegerField(db_index=True)
    deleted_at = models.DateTimeField(auto_now_add=True)


class Collection(models.Model):
    """A named, ordered set of papers kept by a user (a reading list); public ones have pages and feeds."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    description = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    papers = models.ManyToManyField(Paper, through="CollectionItem", related_name="collections")
    position = models.IntegerField(default=0, help_text="the owner's order of their collections, smallest first")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "slug"], name="collection_slug_per_owner")]

    def __str__(self):
        return self.name


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE)
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE)
    note = models.TextField(blank=True, help_text="the owner's private note (Markdown subset with math)")
    read = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)
    position = models.IntegerField(default=0, help_text="order within the collection, smallest first")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["collection", "paper"], name="paper_once_per_collection")]
