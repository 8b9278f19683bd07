from django.contrib import admin

from funding.models import Donor, ExchangeRate, FundingAgreement


@admin.register(Donor)
class DonorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    search_fields = ["name"]


@admin.register(FundingAgreement)
class FundingAgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "donor", "currency", "amount_committed", "amount_disbursed", "signed_on"]
    list_filter = ["donor", "currency"]
    list_select_related = ["donor"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "valid_from", "eur_per_unit"]
    list_filter = ["currency"]
