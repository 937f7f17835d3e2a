from django.contrib import admin

from paperfeed.digests.models import SendLog, Subscriber, Subscription


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    fields = ("kind", "frequency", "saved_search", "active", "created_at", "unsubscribed_at")
    readonly_fields = ("created_at", "unsubscribed_at")


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "user", "confirmed_at", "status", "hard_bounces", "timezone", "created_at")
    list_filter = ("status", "weekends")
    search_fields = ("email",)
    readonly_fields = ("confirm_nonce", "last_error", "created_at")
    inlines = [SubscriptionInline]


@admin.register(SendLog)
class SendLogAdmin(admin.ModelAdmin):
    list_display = ("subscription", "period", "status", "attempts", "paper_count", "sent_at", "claimed_by")
    list_filter = ("status", "period")
    search_fields = ("subscription__subscriber__email", "message_id")
    readonly_fields = [f.name for f in SendLog._meta.fields]
