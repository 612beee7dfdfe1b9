"""How the secretariat hears of new work: a mail for each submission, or one digest an hour.

`settings.REVIEW_NOTICES` chooses. With "each", the reviewers get a mail once a submission is
committed. With "hourly", a submission queues a `SubmissionNotice` in its own transaction, and
`send_digest` (`manage.py send_review_digest`, run hourly from cron) tells of the queued
submissions in one mail and marks them sent. Either way a mail failure is logged and never
undoes the submission.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import ActionContent, ActionRevision, FollowUpAction, SubmissionNotice
from . import mail

logger = logging.getLogger(__name__)


def submitted(content: ActionContent) -> None:
    """Tell the secretariat that `content` (an action, or a revision of one) was submitted.

    Call it inside the submission's transaction: the digest's notice is written with it, and
    the mail of "each" goes only once it is committed.
    """
    revision = content if isinstance(content, ActionRevision) else None
    action = revision.action if revision else content
    if settings.REVIEW_NOTICES == "hourly":
        SubmissionNotice.objects.create(action=action, revision=revision, submitted_at=content.submitted_at)
    else:
        transaction.on_commit(partial(_send_notice, action, content))


def _send_notice(action: FollowUpAction, content: ActionContent) -> None:
    recipients = _recipients(f"the submission of {content.title!r}")
    if not recipients:
        return
    context = {"action": action, "content": content, "is_update": content is not action}
    try:
        mail.send("submitted", context, recipients)
    except OSError:
        # The submission stands all the same: it waits in the review queue.
        logger.exception(
            "Could not tell the secretariat (%s) of the submission of %r", ", ".join(recipients), content.title
        )


def send_digest() -> list[SubmissionNotice]:
    """Mail the secretariat, in one digest, the queued submissions that still wait for review.

    Every queued notice is then marked sent, so that no submission is told twice; one reviewed
    since it arrived has nothing left to tell and is not listed. Returns the notices listed.
    When nobody can be written to, nothing is marked. When the mail cannot go, the mail
    server's error (OSError) is logged and raised and nothing is marked: the next run tries again.
    """
    with transaction.atomic():
        # The queued rows stay locked until marked sent (on PostgreSQL; SQLite lets one writer
        # in at a time): a second run at the same moment waits, then finds them sent.
        queued = list(
            SubmissionNotice.objects.queued()
            .select_for_update(of=("self",))
            .select_related("action__actor", "action__submitted_by", "revision__submitted_by")
        )
        waiting = [notice for notice in queued if notice.waits_for_review]
        if waiting:
            recipients = _recipients(f"{len(waiting)} submission(s) in the review digest")
            if not recipients:
                return []
            try:
                mail.send("review_digest", {"notices": waiting}, recipients)
            except OSError:
                logger.exception(
                    "Could not send the review digest of %d submission(s) to %s", len(waiting), ", ".join(recipients)
                )
                raise
        SubmissionNotice.objects.filter(pk__in=[notice.pk for notice in queued]).update(sent_at=timezone.now())
    return waiting


def _recipients(what: str) -> list[str]:
    recipients = mail.secretariat_addresses()
    if not recipients:
        logger.warning(
            "Nobody in the secretariat can be told of %s: no active staff member with a confirmed "
            "second-factor device has an e-mail address.",
            what,
        )
    return recipients
