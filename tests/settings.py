"""The production settings, with a throwaway secret key so that the suite runs without one."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-only-key-7f3a9c21-b84e-4d6f-a0c5-e19b2d7c8f40-not-secret")

from apc_tracker.settings import *  # noqa: E402, F403
