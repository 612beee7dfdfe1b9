"""The public site's published follow-up, for the API's tests."""

from tests.public.conftest import follow_up, make_action  # noqa: F401
