from django.contrib import admin

from people.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "member", "email", "gender"]
    list_filter = ["gender"]
    list_select_related = ["member"]
    search_fields = ["last_name", "first_name", "email"]
    raw_id_fields = ["member", "user"]
    readonly_fields = ["name_key"]
