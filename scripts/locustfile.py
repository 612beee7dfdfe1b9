"""Traffic for `make loadtest`: public visitors, and focal points editing their own draft actions.

Run by scripts/loadtest.py, which prepares the data and the server; each focal point user
signs in as one of the load-test accounts and edits only its own draft, so every edit
must be saved exactly once.
"""

import itertools
import json
import os
import re
from pathlib import Path

from locust import HttpUser, between, events, task

FOCAL_POINTS = json.loads(os.environ.get("LOADTEST_FOCAL_POINTS", "[]"))
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "")
RESULTS = Path(os.environ.get("LOADTEST_RESULTS", "loadtest-writes.json"))
_accounts = itertools.cycle(FOCAL_POINTS)
_writes = {"attempted": 0, "saved": 0, "conflicts": 0, "failed": 0}
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_VERSION = re.compile(r'name="version" value="(\d+)"')


class DashboardVisitor(HttpUser):
    """Reads the public dashboard and nothing else."""

    weight = 1
    wait_time = between(0, 0.1)

    @task
    def dashboard(self):
        self.client.get("/", name="dashboard")


class PublicVisitor(HttpUser):
    """Reads the dashboard most, then lists, pages and exports."""

    weight = int(os.environ.get("LOADTEST_PUBLIC_WEIGHT", "3"))
    wait_time = between(0, 0.2)

    @task(6)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(2)
    def recommendation_list(self):
        self.client.get("/recommendations/?theme=2&status=completed", name="recommendations list")

    @task(1)
    def recommendation(self):
        self.client.get("/recommendations/bangkok-2006/15/", name="recommendation page")

    @task(1)
    def export(self):
        self.client.get("/recommendations/export.csv?meeting=bangkok-2006", name="recommendations CSV")


class FocalPointEditor(HttpUser):
    """Signs in once, then opens and saves its own draft action again and again."""

    weight = int(os.environ.get("LOADTEST_EDITOR_WEIGHT", "1"))
    wait_time = between(0, 0.2)

    def on_start(self):
        self.username, self.action = next(_accounts)
        page = self.client.get("/accounts/login/", name="sign-in page")
        self._keep_cookies(page)
        response = self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": _TOKEN.search(page.text)[1]},
            name="sign in",
            allow_redirects=False,
        )
        self._keep_cookies(response)

    def _keep_cookies(self, response):
        # The app marks its cookies Secure; the load test speaks plain HTTP on loopback.
        for cookie in response.cookies:
            self.client.cookies.set(cookie.name, cookie.value)

    @task
    def edit_own_action(self):
        url = f"/my/actions/{self.action}/edit/"
        form = self.client.get(url, name="edit form")
        version, token = _VERSION.search(form.text), _TOKEN.search(form.text)
        if not (version and token):
            _writes["failed"] += 1
            return
        _writes["attempted"] += 1
        response = self.client.post(
            url,
            {
                "csrfmiddlewaretoken": token[1],
                "version": version[1],
                "recommendations": os.environ["LOADTEST_RECOMMENDATION"],
                "title": f"Load-test action of {self.username}",
                "status": "in_progress",
                "status_as_of": "2006-06-01",
                "status_source": "National report, load test",
            },
            name="save edit",
            allow_redirects=False,
        )
        outcome = {302: "saved", 409: "conflicts"}.get(response.status_code, "failed")
        _writes[outcome] += 1


@events.quitting.add_listener
def _save_write_counts(environment, **kwargs):
    RESULTS.write_text(json.dumps(_writes))
