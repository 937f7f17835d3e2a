"""{% api_tokens %}: the account page's section for personal API tokens."""

from django import template

from paperfeed.api.models import ApiToken

register = template.Library()


@register.inclusion_tag("api/_tokens.html", takes_context=True)
def api_tokens(context):
    request = context["request"]
    tokens = ApiToken.objects.filter(user=request.user)[:50] if request.user.is_authenticated else []
    return {
        "tokens": tokens,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        # A creation refused by the rate limit: its message, and the name typed, kept in the field.
        "token_error": context.get("token_error"),
        "token_name": context.get("token_name", ""),
    }
