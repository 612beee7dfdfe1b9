"""The reporting workflow: focal points write, the secretariat reviews, the public sees what is published.

An action is written as a draft, submitted, then published or returned with a comment. Once
published, an edit goes to a revision that is reviewed the same way, while the public keeps
seeing the published content. Every write here takes the action's `version` as the form saw
it and refuses to save over someone else's change (see `EditConflict`).

The secretariat also enters actions reported on paper, which then go through the same review,
and corrects actions in place, a published one only with a reason that its history keeps.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from security.roles import is_secretariat

from ..models import (
    ActionContent,
    ActionRevision,
    ActionState,
    Actor,
    EvidenceFile,
    EvidenceLink,
    FollowUpAction,
    Paragraph,
    Status,
)
from ..progress.statuses import refresh_implementation_statuses, status_pairs
from . import mail, notices
from .uploads import sniff_content_type, stored_name

logger = logging.getLogger(__name__)

CONTENT_FIELDS = [
    "title",
    "description",
    "status",
    "status_as_of",
    "status_source",
    "start_date",
    "end_date",
    "responsible_agency",
]


class WorkflowError(Exception):
    """A transition that the action's state does not allow."""


class EditConflict(Exception):
    """Someone saved the action since the form was opened; nothing was written."""

    def __init__(self, action: FollowUpAction, differences: list[tuple[str, str, str]]):
        self.action = action
        self.differences = differences
        super().__init__(f"{action} was changed by someone else.")


@dataclass
class ActionInput:
    """What a focal point's form says about an action."""

    content: dict
    recommendations: Sequence[Paragraph]
    partners: Sequence[Actor] = ()
    links: Sequence[tuple[str, str]] = ()
    files: Sequence[tuple[UploadedFile, bool]] = field(default_factory=list)
    removed_files: Sequence[EvidenceFile] = ()


@transaction.atomic
def create_action(*, actor: Actor, user: AbstractBaseUser, data: ActionInput) -> FollowUpAction:
    """A new draft action of `actor`, with its recommendations, partners, links and files."""
    partners = _partners(actor, data.partners)
    action = FollowUpAction(actor=actor, created_by=user, updated_by=user, **data.content)
    action.full_clean()
    action._change_reason = "Created"
    action.save()
    action.recommendations.set(data.recommendations)
    action.partners.set(partners)
    _replace_links(action, data.links)
    _add_files(action, None, data.files, user)
    return action


@transaction.atomic
def edit_action(*, action: FollowUpAction, user: AbstractBaseUser, version: int, data: ActionInput) -> ActionContent:
    """Save an edit: on the action while it is new, on its revision once it is published.

    The first edit of a published action opens a revision; the public keeps seeing the
    published content until the secretariat approves it. A submitted action or revision
    cannot be edited: it waits for review. The files `data.removed_files` names must be the
    edited content's own (see `removable_files`); their stored copies go once the edit is
    committed.
    """
    target = action.working_copy()
    if target.state == ActionState.SUBMITTED:
        raise WorkflowError("This action is submitted and waits for review; it can be edited once it is returned.")
    partners = _partners(action.actor, data.partners)
    _check_removable(target, data.removed_files)
    _claim(action, version, data)
    if target.state == ActionState.PUBLISHED:
        target = ActionRevision(action=action, created_by=user)
    for name, value in data.content.items():
        setattr(target, name, value)
    if target is action:
        target.updated_by = user
        target.full_clean()
    else:
        # The action's own version was taken by _claim; a revision counts its own saves.
        target.version = target.version + 1 if target.pk else 1
        target.full_clean(exclude=["action"])
    target._change_reason = "Edited"
    target.save()
    target.recommendations.set(data.recommendations)
    target.partners.set(partners)
    _replace_links(target, data.links)
    _remove_files(data.removed_files)
    _add_files(action, None if target is action else target, data.files, user)
    return target


def submit(*, action: FollowUpAction, user: AbstractBaseUser, version: int) -> ActionContent:
    """Send the draft or returned action (or revision) to the secretariat for review.

    The secretariat is told by mail, at once or in the hourly digest (see `notices`).
    """
    with transaction.atomic():
        target = action.working_copy()
        if target.state not in (ActionState.DRAFT, ActionState.RETURNED):
            raise WorkflowError(f"Only a draft or a returned action can be submitted; this one is {_state(target)}.")
        _claim(action, version)
        target.state = ActionState.SUBMITTED
        target.submitted_at, target.submitted_by = timezone.now(), user
        target._change_reason = "Submitted for review"
        target.save()
        notices.submitted(target)
    return target


def approve(
    *, action: FollowUpAction, user: AbstractBaseUser, validated_status: str = "", comment: str = ""
) -> FollowUpAction:
    """Publish the submitted action, or replace its published content with the submitted revision.

    `validated_status` is the secretariat's status when it differs from the reported one.
    The focal points of the actor are told by email.
    """
    _require_secretariat(user)
    if validated_status and validated_status not in Status.values:
        raise WorkflowError(f"{validated_status!r} is not a status.")
    with transaction.atomic():
        action = FollowUpAction.objects.select_for_update().get(pk=action.pk)
        target = action.working_copy()
        if target.state != ActionState.SUBMITTED:
            raise WorkflowError(f"Only a submitted action can be approved; this one is {_state(target)}.")
        pairs = status_pairs(action)
        now = timezone.now()
        if isinstance(target, ActionRevision):
            _apply_revision(action, target)
            target.state, target.reviewed_at, target.reviewed_by = ActionState.PUBLISHED, now, user
            target.review_comment = comment
            target.validated_status = "" if validated_status == target.status else validated_status
            target._change_reason = comment or "Approved"
            target.save()
        action.publish()
        action.validated_status = "" if validated_status == action.status else validated_status
        action.reviewed_at, action.reviewed_by, action.review_comment = now, user, comment
        action.submitted_at, action.submitted_by = target.submitted_at, target.submitted_by
        action.version += 1
        action.updated_by = user
        action._change_reason = comment or "Published"
        action.save()
        refresh_implementation_statuses(pairs | status_pairs(action))
    _notify(action, published=True, comment=comment)
    return action


def return_for_revision(*, action: FollowUpAction, user: AbstractBaseUser, comment: str) -> ActionContent:
    """Send the submitted action or revision back to its focal points with what to change."""
    _require_secretariat(user)
    if not comment.strip():
        raise WorkflowError("Say what needs to change: a returned action needs a comment.")
    with transaction.atomic():
        action = FollowUpAction.objects.select_for_update().get(pk=action.pk)
        target = action.working_copy()
        if target.state != ActionState.SUBMITTED:
            raise WorkflowError(f"Only a submitted action can be returned; this one is {_state(target)}.")
        target.state = ActionState.RETURNED
        target.reviewed_at, target.reviewed_by, target.review_comment = timezone.now(), user, comment.strip()
        target._change_reason = comment.strip()
        target.save()
        FollowUpAction.objects.filter(pk=action.pk).update(version=F("version") + 1)
    _notify(action, published=False, comment=comment)
    return target


def approve_many(*, actions: Iterable[FollowUpAction], user: AbstractBaseUser) -> tuple[int, list[str]]:
    """Approve each submitted action as reported; returns how many and why the others were not."""
    _require_secretariat(user)
    approved, problems = 0, []
    for action in actions:
        try:
            approve(action=action, user=user)
        except WorkflowError as error:
            problems.append(f"{action}: {error}")
        else:
            approved += 1
    return approved, problems


def enter_on_behalf(
    *, action: FollowUpAction, user: AbstractBaseUser, save_related: Callable[[], None] | None = None
) -> FollowUpAction:
    """Record a new action that the secretariat enters for its actor, such as a report sent on paper.

    The action is submitted on the actor's behalf, so that it is published or returned by the
    same review as a focal point's, and its record says who entered it. `action` is unsaved;
    `save_related` saves what hangs on it (its recommendations, partners and links) in the
    same transaction.
    """
    _require_secretariat(user)
    if action.pk:
        raise WorkflowError("This action is already recorded; correct it instead of entering it again.")
    with transaction.atomic():
        action.state = ActionState.SUBMITTED
        action.submitted_at, action.submitted_by = timezone.now(), user
        action.created_by = action.updated_by = user
        action.full_clean()
        action._change_reason = "Entered by the secretariat"
        action.save()
        if save_related:
            save_related()
    return action


def correct_action(
    *,
    action: FollowUpAction,
    user: AbstractBaseUser,
    version: int,
    reason: str = "",
    save_related: Callable[[], None] | None = None,
) -> FollowUpAction:
    """Save the secretariat's correction of an action in place, outside the review.

    `action` holds the corrected fields and `save_related` saves what hangs on it, so that the
    statuses are refreshed for the pairs the action counted towards before and after. A
    published action changes in public at once: its correction needs a reason, which becomes
    the reason of its history entry. Where the action stands in review is not corrected here;
    only approving publishes.
    """
    _require_secretariat(user)
    reason = reason.strip()
    with transaction.atomic():
        stored = FollowUpAction.objects.select_for_update().get(pk=action.pk)
        if stored.state == ActionState.PUBLISHED and not reason:
            raise WorkflowError("Say why you correct this published action: the reason goes into its history.")
        if action.state != stored.state:
            raise WorkflowError("A correction leaves the review state as it is; approve or return the action instead.")
        pairs = status_pairs(stored)
        _claim(action, version)
        action.updated_by = user
        action.full_clean()
        action._change_reason = reason or "Corrected by the secretariat"
        action.save()
        if save_related:
            save_related()
        refresh_implementation_statuses(pairs | status_pairs(action))
    return action


def delete_actions(*, actions: Iterable[FollowUpAction], user: AbstractBaseUser) -> None:
    """Delete the actions and refresh the statuses they counted towards."""
    _require_secretariat(user)
    with transaction.atomic():
        actions = list(actions)
        pairs = set().union(*(status_pairs(action) for action in actions))
        FollowUpAction.objects.filter(pk__in=[action.pk for action in actions]).delete()
        refresh_implementation_statuses(pairs)


def _require_secretariat(user: AbstractBaseUser) -> None:
    if not is_secretariat(user):
        raise PermissionDenied("Only the secretariat reviews, publishes, enters and corrects actions.")


def _state(target: ActionContent) -> str:
    return ActionState(target.state).label.lower()


def _claim(action: FollowUpAction, version: int, data: ActionInput | None = None) -> None:
    """Take the action's next version, or refuse when someone else took it first."""
    claimed = FollowUpAction.objects.filter(pk=action.pk, version=version).update(version=F("version") + 1)
    if not claimed:
        current = FollowUpAction.objects.get(pk=action.pk)
        raise EditConflict(current, _differences(current.working_copy(), data))
    action.version = version + 1


def _differences(stored: ActionContent, data: ActionInput | None) -> list[tuple[str, str, str]]:
    """(field label, stored value, value in the form) for each field where they differ."""
    if data is None:
        return []
    rows = []
    for name in CONTENT_FIELDS:
        theirs, yours = getattr(stored, name), data.content.get(name)
        if (theirs or "") != (yours or ""):
            label = stored._meta.get_field(name).verbose_name
            rows.append((label.capitalize(), _display(stored, name), _display_value(name, yours)))
    return rows


def _display(stored: ActionContent, name: str) -> str:
    return _display_value(name, getattr(stored, name))


def _display_value(name: str, value) -> str:
    if name == "status" and value:
        return Status(value).label
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value or "—")


def _apply_revision(action: FollowUpAction, revision: ActionRevision) -> None:
    for name in CONTENT_FIELDS:
        setattr(action, name, getattr(revision, name))
    action.recommendations.set(revision.recommendations.all())
    action.partners.set(revision.partners.all())
    _replace_links(action, revision.evidence_links.values_list("url", "label"))


def _partners(actor: Actor, partners: Sequence[Actor]) -> list[Actor]:
    """The partners of an action of `actor`, without `actor` itself; a stakeholder group is refused."""
    groups = [str(partner) for partner in partners if partner.is_group]
    if groups:
        raise ValidationError(
            {"partners": f"{', '.join(groups)}: a group of actors cannot be a partner; choose the actors themselves."}
        )
    return [partner for partner in partners if partner != actor]


def _replace_links(content: ActionContent, links: Iterable[tuple[str, str]]) -> None:
    """Make (url, label) `links` the evidence links of the action or revision, in their order."""
    owner = {content.evidence_links.field.name: content}  # `action` or `revision`, whichever `content` is
    content.evidence_links.all().delete()
    EvidenceLink.objects.bulk_create(EvidenceLink(**owner, url=url, label=label) for url, label in links)


def _check_removable(content: ActionContent, files: Sequence[EvidenceFile]) -> None:
    removable = set(content.removable_files().filter(pk__in=[evidence.pk for evidence in files]))
    refused = [evidence.name for evidence in files if evidence not in removable]
    if refused:
        raise ValidationError(
            {"remove_files": f"{', '.join(refused)}: only the files of this draft or update can be removed here."}
        )


def _remove_files(files: Sequence[EvidenceFile]) -> None:
    EvidenceFile.objects.filter(pk__in=[evidence.pk for evidence in files]).delete()
    for evidence in files:
        # Stored objects cannot be rolled back: each goes only once its record is gone for good.
        transaction.on_commit(partial(_delete_stored, evidence.file.storage, evidence.file.name))


def _delete_stored(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:
        # The edit is saved; an object left over costs space, not correctness. Each storage
        # backend raises its own errors (OSError on disk, botocore's on S3).
        logger.exception("Could not delete the removed evidence file %s from storage", name)


def _add_files(
    action: FollowUpAction,
    revision: ActionRevision | None,
    files: Sequence[tuple[UploadedFile, bool]],
    user: AbstractBaseUser,
) -> None:
    for upload, restricted in files:
        EvidenceFile.objects.create(
            action=action,
            revision=revision,
            file=File(upload, name=stored_name(upload.name)),
            name=upload.name,
            content_type=sniff_content_type(upload),
            size=upload.size,
            is_restricted=restricted,
            uploaded_by=user,
        )


def _notify(action: FollowUpAction, *, published: bool, comment: str) -> None:
    """Tell the actor's focal points what the review decided; a mail failure is logged, not raised."""
    recipients = mail.focal_point_addresses(action.actor)
    if not recipients:
        return
    try:
        mail.send("action_reviewed", {"action": action, "published": published, "comment": comment.strip()}, recipients)
    except OSError:
        # The review has happened all the same; the focal points see it in their workspace.
        logger.exception("Could not send the review notice of %r to %s", action.title, ", ".join(recipients))
