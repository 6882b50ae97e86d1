"""Admin views of the reference lists: read-only, because `ansinh load_reference` owns these rows and
would overwrite any edit made here. Change the source (package version or `geo/data/*.csv`) instead."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ansinh.geo.models import Country, LegacyProvince, Occupation, Province, Ward
from ansinh.geo.names import search_terms


class ReadOnlyAdmin(admin.ModelAdmin):
    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        # The search fields hold normalised names without the unit type: "Phường Ba Đình" -> "ba dinh".
        needle, name_start = search_terms(search_term)
        return super().get_search_results(request, queryset, name_start or needle)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "name_en", "unit_type"]
    search_fields = ["code", "name_search"]
    list_filter = ["unit_type"]


@admin.register(Ward)
class WardAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "unit_type", "province"]
    search_fields = ["code", "name_search"]
    list_filter = ["unit_type", "province"]
    list_select_related = ["province"]


@admin.register(LegacyProvince)
class LegacyProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "successor"]
    list_select_related = ["successor"]


@admin.register(Country)
class CountryAdmin(ReadOnlyAdmin):
    list_display = ["iso2", "iso3", "name_vi", "name_en"]
    search_fields = ["iso2", "iso3", "name_search"]


@admin.register(Occupation)
class OccupationAdmin(ReadOnlyAdmin):
    list_display = ["code", "level", "name_vi", "name_en"]
    search_fields = ["code", "name_search"]
    list_filter = ["level"]
