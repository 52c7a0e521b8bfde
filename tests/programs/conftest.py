"""Records the import tests share: a 2022 programme of the home branch, a Lao
district of its agreement's countries, and an item of the catalogue."""

import pytest

from tests.factories import (
    DistrictFactory,
    ItemKindFactory,
    JointProgramFactory,
    home_branch,
)


@pytest.fixture
def program():
    return JointProgramFactory(year=2022)


@pytest.fixture
def district():
    return DistrictFactory(
        parent=home_branch().home_area, name_en="Sanxay", pcode="LA1704"
    )


@pytest.fixture
def bicycle():
    return ItemKindFactory(code="bicycle", name_en="Bicycle", name_vi="Xe đạp")
