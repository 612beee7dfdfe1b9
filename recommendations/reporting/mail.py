"""Mail to focal points and the secretariat: each message is a pair of templates, sent by one helper.

`templates/reporting/mail/<name>_subject.txt` holds the subject and `<name>.txt` the plain-text
body, so that wording and links change in one place. Both get `site_url`, the address people
use to reach the site, besides what the caller gives.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from security.roles import secretariat_users

from ..models import Actor, FocalPoint


def send(name: str, context: dict, recipients: list[str]) -> None:
    """Send the message `name` to `recipients`; the mail server's errors (OSError) reach the caller."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"reporting/mail/{name}_subject.txt", context).split())
    body = render_to_string(f"reporting/mail/{name}.txt", context)
    send_mail(f"[APC Tracker] {subject}", body, None, recipients)


def focal_point_addresses(actor: Actor) -> list[str]:
    return list(FocalPoint.objects.reachable().filter(actor=actor).values_list("user__email", flat=True))


def secretariat_addresses() -> list[str]:
    return list(secretariat_users().order_by("email").values_list("email", flat=True))
