"""Signed tokens in digest links: confirm (expires, single use), unsubscribe and manage (no login needed).

Manage links expire after DIGEST_MANAGE_DAYS: one forwarded or leaked mail should not give lasting control of
someone's subscriptions, and every digest carries a fresh link. Unsubscribe links never expire (RFC 8058: they
must keep working from old mail).

All are django.core.signing values with their own salt, so a token made for one purpose is useless for
another, and any change to a token makes it fail to verify; a bad token changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from paperfeed.errors import BadRequest

_CONFIRM = "paperfeed.digests.confirm"
_UNSUBSCRIBE = "paperfeed.digests.unsubscribe"
_MANAGE = "paperfeed.digests.manage"


class InvalidToken(BadRequest):
    code = "invalid_token"


def confirm_token(subscriber_id: int, nonce: str, trending: str = "") -> str:
    """`trending` is the frequency the public form asked for, signed in so nobody can change it on the way."""
    return signing.TimestampSigner(salt=_CONFIRM).sign_object(
        {"s": subscriber_id, "n": nonce, "t": trending}, compress=True
    )


def read_confirm_token(token: str) -> tuple[int, str, str]:
    max_age = settings.PAPERFEED["DIGEST_CONFIRM_DAYS"] * 86400
    try:
        data = signing.TimestampSigner(salt=_CONFIRM).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise InvalidToken(
            "This confirmation link has expired. Subscribe again to get a new one.", code="expired_token"
        ) from None
    except signing.BadSignature:
        raise InvalidToken(
            "This confirmation link is not valid. Copy the whole link from the mail, or subscribe again."
        ) from None
    try:
        return int(data["s"]), str(data["n"]), str(data.get("t", ""))
    except (KeyError, TypeError, ValueError):
        raise InvalidToken("This confirmation link is not valid. Subscribe again to get a new one.") from None


def unsubscribe_token(subscription_id: int) -> str:
    return signing.dumps({"u": subscription_id}, salt=_UNSUBSCRIBE, compress=True)


def read_unsubscribe_token(token: str) -> int:
    try:
        return int(signing.loads(token, salt=_UNSUBSCRIBE)["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidToken(
            "This unsubscribe link is not valid. Use the link from the mail, or write to the site's operator."
        ) from None


def manage_token(subscriber_id: int) -> str:
    return signing.dumps({"m": subscriber_id}, salt=_MANAGE, compress=True)


class ExpiredManageToken(InvalidToken):
    code = "expired_token"


def read_manage_token(token: str) -> int:
    max_age = settings.PAPERFEED["DIGEST_MANAGE_DAYS"] * 86400
    try:
        return int(signing.loads(token, salt=_MANAGE, max_age=max_age)["m"])
    except signing.SignatureExpired:
        raise ExpiredManageToken(
            f"This link to your subscriptions has expired: such links work for "
            f"{settings.PAPERFEED['DIGEST_MANAGE_DAYS']} days. Use the link in your latest digest mail, or ask for "
            "a fresh one by email: enter your address on the subscribe page and confirm the mail it sends."
        ) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidToken("This link to your subscriptions is not valid. Use the link from any digest mail.") from None
