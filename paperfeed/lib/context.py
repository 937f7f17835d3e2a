from django.conf import settings


def site(request):
    return {"site_name": settings.PAPERFEED["SITE_NAME"]}
