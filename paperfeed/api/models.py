"""Personal API tokens: a random secret shown once, stored only as its SHA-256, revocable at once."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

PREFIX = "pf_"


def hash_token(raw: str) -> str:
    # The secret has 256 bits of randomness, so a plain SHA-256 is enough; a slow hash would only slow every request.
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="what the owner uses it for")
    token_hash = models.CharField(max_length=64, unique=True)
    shown_prefix = models.CharField(max_length=16, help_text="first characters of the token, to tell tokens apart")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.shown_prefix}… ({self.name})"

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        """A new token for `user`; returns the row and the secret, which is never stored or shown again."""
        raw = PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, token_hash=hash_token(raw), shown_prefix=raw[:10])
        return token, raw

    @classmethod
    def lookup(cls, raw: str) -> ApiToken | None:
        """The active token with this secret, or None."""
        if not raw.startswith(PREFIX) or len(raw) > 200:
            return None
        return (
            cls.objects.active().select_related("user").filter(token_hash=hash_token(raw), user__is_active=True).first()
        )


def revoke_all(user) -> int:
    """Revoke every active token of `user`; returns how many."""
    return ApiToken.objects.active().filter(user=user).update(revoked_at=timezone.now())


# A new password ends the user's sessions (Django checks the password hash on each request); it must end their
# tokens too, or a stolen token outlives the reset meant to lock the thief out. set_password() keeps the new raw
# password in _password until the save (Django's own hook for password validators' password_changed), which
# covers the reset link, the change form, the admin and `changepassword`, but not the rehash of an unchanged
# password when the hasher is upgraded at log-in, which clears _password before saving.
@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="api_tokens_watch_password")
def _note_password_change(sender, instance, update_fields=None, **kwargs):
    instance._password_changed = (
        instance.pk is not None
        and getattr(instance, "_password", None) is not None
        and (update_fields is None or "password" in update_fields)
    )


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="api_tokens_revoke_on_password_change")
def _revoke_on_password_change(sender, instance, **kwargs):
    if getattr(instance, "_password_changed", False):
        revoke_all(instance)
        instance._password_changed = False
