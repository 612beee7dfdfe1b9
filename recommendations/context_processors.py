from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import summary


def site(request: HttpRequest) -> dict:
    """The header's countdown and demo notice; queried only by pages that show them."""
    return {"site": SimpleLazyObject(summary.site_header)}
