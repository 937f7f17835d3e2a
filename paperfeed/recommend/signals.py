"""Every change to a reader's signals marks their model stale, so the retrain job picks them up."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.utils import timezone


def mark_stale(user_id: int | None, *, create: bool = True) -> None:
    """The reader's model no longer matches their signals. A removed signal never creates a model row: during
    an account's deletion that row would point at the user being deleted."""
    if not user_id:
        return
    from paperfeed.recommend.models import ReaderModel

    now = timezone.now()
    if not ReaderModel.objects.filter(user_id=user_id).update(stale=True, changed_at=now) and create:
        ReaderModel.objects.get_or_create(user_id=user_id, defaults={"stale": True, "changed_at": now})


def _by_user(sender, instance, created=None, **kwargs):
    mark_stale(getattr(instance, "user_id", None), create=created is not None)


def _by_collection(sender, instance, created=None, **kwargs):
    from paperfeed.papers.models import Collection

    owner = Collection.objects.filter(pk=instance.collection_id).values_list("owner_id", flat=True).first()
    mark_stale(owner, create=created is not None)


def connect() -> None:
    from paperfeed.accounts.models import Follow, SavedSearch
    from paperfeed.papers.models import CollectionItem, Vote
    from paperfeed.recommend.models import NotInterested

    for model in (Vote, Follow, SavedSearch, NotInterested):
        post_save.connect(_by_user, sender=model, dispatch_uid=f"recommend-stale-{model.__name__}")
        post_delete.connect(_by_user, sender=model, dispatch_uid=f"recommend-stale-del-{model.__name__}")
    post_save.connect(_by_collection, sender=CollectionItem, dispatch_uid="recommend-stale-item")
    post_delete.connect(_by_collection, sender=CollectionItem, dispatch_uid="recommend-stale-del-item")
