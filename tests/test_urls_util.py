import pytest
from django.urls import reverse

from lde_portal.urls_util import object_url


@pytest.mark.parametrize("viewname", ["alerts:snooze", "alerts:done", "trajects:worker_detail"])
@pytest.mark.parametrize("pk", [1, 7, 2147483646])
def test_object_url_equals_reverse(viewname, pk):
    assert object_url(viewname, org_slug="vzw-stroom")(pk) == reverse(viewname, kwargs={"org_slug": "vzw-stroom",
                                                                                         "pk": pk})


def test_object_url_refuses_a_non_integer_key():
    with pytest.raises(ValueError):
        object_url("alerts:snooze", org_slug="vzw-stroom")("1/../2")
