"""Factories for tests (and nothing else): realistic Vietnamese people, organisations and staff."""

import factory
from faker import Faker

from ansinh.accounts.models import Membership, Organisation, OrganisationKind, Person, Role, User
from ansinh.core.text import normalise_search
from ansinh.geo.models import Province

fake = Faker("vi_VN")
PASSWORD = "Mat-khau-thu-nghiem-2026"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.LazyFunction(fake.name)
    name_search = factory.LazyAttribute(lambda o: normalise_search(o.full_name))
    date_of_birth = factory.LazyFunction(lambda: fake.date_of_birth(minimum_age=18, maximum_age=60))
    sex = factory.Iterator(["M", "F"])


class ProvinceFactory(factory.django.DjangoModelFactory):
    """For tests that need a province but not the whole reference set (see the reference_data fixture)."""

    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:02d}")
    name = factory.Sequence(lambda n: f"Tỉnh thử {n}")
    unit_type = "province"
    name_search = factory.LazyAttribute(lambda o: normalise_search(o.name))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"ORG{n:05d}")
    name = factory.LazyAttribute(lambda o: f"Tổ chức {o.code}")
    kind = OrganisationKind.DEPARTMENT
    path = ""

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        parent_path = obj.parent.path if obj.parent_id else "/"
        obj.path = f"{parent_path}{obj.pk}/"
        if create:
            obj.save(update_fields=["path"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:05d}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_staff(role_code: str, organisation: Organisation | None = None, **user_fields) -> User:
    """A user holding one of the standard roles (see accounts migration 0002) in an organisation."""
    organisation = organisation or OrganisationFactory()
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, organisation=organisation, role=standard_role(role_code))
    return user


# The data migrations that create the standard roles, in order.
_ROLE_MIGRATIONS = [
    ("ansinh.accounts.migrations.0002_default_roles", "create_roles"),
    ("ansinh.dossiers.migrations.0002_dossier_roles", "grant"),
    ("ansinh.sos.migrations.0002_notice_roles", "grant"),
    ("ansinh.sos.migrations.0004_desk_roles", "grant"),
    ("ansinh.unemployment.migrations.0002_claim_roles", "grant"),
    ("ansinh.overseas.migrations.0002_overseas_roles", "grant"),
    ("ansinh.jobs.migrations.0002_job_roles", "grant"),
    ("ansinh.welfare.migrations.0002_welfare_roles", "grant"),
]


def standard_role(code: str) -> Role:
    """A standard role. A transactional test (`transaction=True`) empties every table when it ends, the
    roles the migrations created included; the migrations' own functions put them back."""
    role = Role.objects.filter(code=code).first()
    if role is None:
        import importlib

        from django.apps import apps

        for module, function in _ROLE_MIGRATIONS:
            getattr(importlib.import_module(module), function)(apps, None)
        role = Role.objects.get(code=code)
    return role
