from django.contrib import admin

from topics.models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["label_en", "label_fr", "parent", "slug"]
    list_filter = ["parent"]
    search_fields = ["label_en", "label_fr", "slug"]
