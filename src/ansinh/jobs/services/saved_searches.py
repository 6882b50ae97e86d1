"""Saved searches and their alerts. A seeker saves the words and filters of a search; with the alert on,
once a day they get one message listing the open vacancies published since the last one (at most 10).

`alerts_send` is safe to run twice: each saved search's `last_alerted_at` moves forward in the same
transaction that decides what to send, under a row lock, so a second run (or a second worker at the same
time) finds nothing new to send."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ansinh.core import audit
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.geo.models import Occupation, Province
from ansinh.jobs import search
from ansinh.jobs.models import ContractType, SavedSearch, Vacancy
from ansinh.jobs.services.applications import seeker_of
from ansinh.notify.services import notify_person
from ansinh.notify.templates import register_template

ALERT = "jobs.saved_search_alert"
register_template(
    ALERT,
    gettext_lazy('New vacancies for "{name}"'),
    gettext_lazy('{count} new vacancies match your saved search "{name}":\n{vacancies}'),
)

MAX_SAVED_SEARCHES = 20
ALERT_VACANCIES = 10
FILTER_KEYS = ("province", "occupation", "salary_min", "contract_type", "abroad")


def clean_filters(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The search filters a page or the API was given, checked: unknown keys and empty values dropped,
    wrong values refused by field. Shared by the search page, saved searches and their alerts."""
    errors: dict[str, list[str]] = {}
    filters: dict[str, Any] = {}
    province = str(raw.get("province") or "").strip()
    if province:
        if province.isdigit() and len(province) <= 8:
            filters["province"] = province
        else:
            errors["province"] = [_("Choose a province from the list.")]
    occupation = str(raw.get("occupation") or "").strip()
    if occupation:
        if occupation.isdigit() and len(occupation) <= 4:
            filters["occupation"] = occupation
        else:
            errors["occupation"] = [_("Choose an occupation from the list.")]
    salary = raw.get("salary_min")
    if salary not in (None, ""):
        text = str(salary).replace(".", "").replace(",", "").replace(" ", "")
        if isinstance(salary, bool) or not text.isdigit() or int(text) > 1_000_000_000:
            errors["salary_min"] = [_("Enter the salary in đồng as a whole number, for example 8000000.")]
        elif int(text) > 0:
            filters["salary_min"] = int(text)
    contract_type = str(raw.get("contract_type") or "").strip()
    if contract_type:
        if contract_type in ContractType.values:
            filters["contract_type"] = contract_type
        else:
            errors["contract_type"] = [_("Choose a contract type from the list.")]
    abroad = raw.get("abroad")
    if isinstance(abroad, bool):
        filters["abroad"] = abroad
    elif abroad not in (None, ""):
        value = str(abroad).strip().lower()
        if value in ("1", "true", "yes", "abroad"):
            filters["abroad"] = True
        elif value in ("0", "false", "no", "domestic"):
            filters["abroad"] = False
        else:
            errors["abroad"] = [_("Choose in Vietnam or abroad.")]
    if errors:
        raise ValidationFailed(errors)
    return filters


def search_link(query: str, filters: Mapping[str, Any]) -> str:
    """The search page for these words and filters."""
    params: dict[str, Any] = {"q": query} if query else {}
    for key in FILTER_KEYS:
        if key in filters:
            value = filters[key]
            params[key] = ("1" if value else "0") if isinstance(value, bool) else value
    url = reverse("jobs_public:search")
    return f"{url}?{urlencode(params)}" if params else url


def _name(query: str, filters: Mapping[str, Any]) -> str:
    """A name the seeker recognises: the words, the occupation and the place."""
    parts = [query] if query else []
    if "occupation" in filters:
        occupation = Occupation.objects.filter(code=filters["occupation"]).first()
        parts.append(occupation.name if occupation else filters["occupation"])
    if "province" in filters:
        province = Province.objects.filter(code=filters["province"]).first()
        parts.append(str(province) if province else filters["province"])
    if filters.get("abroad") is True:
        parts.append(_("abroad"))
    return (" · ".join(parts) or _("All vacancies"))[:100]


@transaction.atomic
def saved_search_create(
    *,
    actor: Any,
    query: str = "",
    filters: Mapping[str, Any] | None = None,
    name: str = "",
    alert: bool = True,
) -> SavedSearch:
    seeker = seeker_of(actor)
    query = " ".join(str(query or "").split())
    if len(query) > 200:
        raise ValidationFailed.single("query", _("Keep the search words under 200 characters."))
    cleaned = clean_filters(filters or {})
    name = " ".join(str(name or "").split()) or _name(query, cleaned)
    if len(name) > 100:
        raise ValidationFailed.single("name", _("Keep the name under 100 characters."))
    # Locks the profile so two saves at once cannot pass the limit together.
    type(seeker).objects.select_for_update().filter(pk=seeker.pk).first()
    if SavedSearch.objects.filter(seeker=seeker).count() >= MAX_SAVED_SEARCHES:
        raise ValidationFailed.single(
            "name", _("You can keep up to 20 saved searches. Delete one you no longer need first.")
        )
    saved = SavedSearch.objects.create(
        seeker=seeker, name=name, query=query, filters=cleaned, alert=bool(alert)
    )
    audit.record(actor=actor, action="jobs.saved_search_create", obj=saved)
    return saved


def _own(actor: Any, saved_search_id: int) -> SavedSearch:
    seeker = seeker_of(actor)
    saved = SavedSearch.objects.select_for_update().filter(pk=saved_search_id, seeker=seeker).first()
    if saved is None:
        raise NotFound()
    return saved


@transaction.atomic
def saved_search_delete(*, actor: Any, saved_search_id: int) -> None:
    saved = _own(actor, saved_search_id)
    audit.record(actor=actor, action="jobs.saved_search_delete", obj=saved)
    saved.delete()


@transaction.atomic
def saved_search_set_alert(*, actor: Any, saved_search_id: int, alert: bool) -> SavedSearch:
    """Turns the alert on or off. Turning it on starts from now: it never sends what was published while
    it was off."""
    saved = _own(actor, saved_search_id)
    if saved.alert != bool(alert):
        saved.alert = bool(alert)
        fields = ["alert"]
        if saved.alert:
            saved.last_alerted_at = timezone.now()
            fields.append("last_alerted_at")
        saved.save(update_fields=fields)
        audit.record(actor=actor, action="jobs.saved_search_alert", obj=saved, changes={"alert": saved.alert})
    return saved


def new_matches(saved: SavedSearch, *, since: datetime, until: datetime) -> list[Vacancy]:
    """The open vacancies matching the saved search that were published in (since, until]."""
    try:
        filters = clean_filters(saved.filters or {})
    except ValidationFailed:
        filters = {}
    found = search.vacancy_search(
        query=saved.query,
        published_after=since,
        published_until=until,
        page=1,
        page_size=ALERT_VACANCIES,
        **filters,
    )
    return found.results


def _alert_text(vacancies: list[Vacancy]) -> str:
    lines = []
    for vacancy in vacancies:
        place = vacancy.country if vacancy.is_abroad else vacancy.province
        where = f" ({place})" if place is not None else ""
        link = reverse("jobs_public:vacancy", args=[vacancy.pk])
        lines.append(f"- {vacancy.title}, {vacancy.employer.organisation.name}{where}: {link}")
    return "\n".join(lines)


def _alert_one(saved_search_id: int, now: datetime) -> bool:
    with transaction.atomic():
        saved = (
            SavedSearch.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("seeker__person")
            .filter(pk=saved_search_id, alert=True, last_alerted_at__lt=now)
            .first()
        )
        if saved is None:
            return False
        since = saved.last_alerted_at
        saved.last_alerted_at = now
        saved.save(update_fields=["last_alerted_at"])
        if not saved.seeker.is_looking:
            return False
        vacancies = new_matches(saved, since=since, until=now)
        if not vacancies:
            return False
        person = saved.seeker.person
        context = {"name": saved.name, "count": len(vacancies), "vacancies": _alert_text(vacancies)}
        link = search_link(saved.query, saved.filters or {})
        transaction.on_commit(lambda: notify_person(person, ALERT, context, link=link))
        return True


def alerts_send(now: datetime | None = None) -> int:
    """Sends each saved search with its alert on the new vacancies since its last alert. Returns how many
    messages were sent."""
    now = now or timezone.now()
    pending = (
        SavedSearch.objects.filter(alert=True, last_alerted_at__lt=now)
        .order_by("last_alerted_at", "id")
        .values_list("pk", flat=True)
    )
    sent = 0
    for saved_search_id in pending.iterator(chunk_size=500):
        if _alert_one(saved_search_id, now):
            sent += 1
    return sent
