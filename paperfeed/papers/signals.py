from django.db.models.signals import pre_delete
from django.dispatch import receiver

from paperfeed.papers import changes
from paperfeed.papers.models import Paper, Tombstone


@receiver(pre_delete, sender=Paper)
def leave_a_tombstone(sender, instance, **kwargs):
    Tombstone.objects.create(paper_pk=instance.pk, arxiv_id=instance.arxiv_id, change_seq=changes.allocate())
