"""The `reference_data` fixture survives a transactional test, which flushes the database when it ends.
The two tests run in file order: the second needs the data back."""

import pytest

from ansinh.core.reference_models import LegalParameter
from ansinh.geo.models import Province


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_sees_the_data_then_flushes_it(reference_data):
    assert reference_data.province("79").name == "Thành phố Hồ Chí Minh"


@pytest.mark.django_db
def test_the_next_test_gets_the_data_back(reference_data):
    assert Province.objects.count() == 34
    assert LegalParameter.objects.exists()
    assert reference_data.country("KR").name_vi == "Hàn Quốc"
