"""Every model of the app, one module per part, gathered here for Django's app registry.

`documents`: meetings, themes, paragraphs, actors. `progress`: the status scale, each
actor's implementation status and the milestones that give it on any past date.
`reporting`: focal points, follow-up actions and their review, evidence, reporting rounds,
the secretariat's notices of new work. `search`: the words the public search reads.
`publishing`: the open data's version and licence. `tokens`: focal points'
personal API tokens.
"""

from .documents import (
    Actor,
    ActorKind,
    GroupMembership,
    Meeting,
    Paragraph,
    Participation,
    ParticipationRole,
    Theme,
    government,
)
from .progress import STATUS_MEANINGS, Basis, ImplementationStatus, Status, StatusLabels, StatusMilestone
from .publishing import DataPart, DataVersion, OpenDataLicence
from .reporting import (
    ActionContent,
    ActionPartner,
    ActionRecommendation,
    ActionRevision,
    ActionState,
    EvidenceFile,
    EvidenceLink,
    FocalPoint,
    FollowUpAction,
    Reminder,
    ReminderKind,
    ReportingRound,
    ReviewQueueVisit,
    SubmissionNotice,
)
from .search import ActionWord
from .tokens import ApiToken

__all__ = [
    "ActionContent",
    "ActionPartner",
    "ActionRecommendation",
    "ActionRevision",
    "ActionState",
    "ActionWord",
    "Actor",
    "ApiToken",
    "ActorKind",
    "Basis",
    "DataPart",
    "DataVersion",
    "EvidenceFile",
    "EvidenceLink",
    "FocalPoint",
    "FollowUpAction",
    "GroupMembership",
    "ImplementationStatus",
    "OpenDataLicence",
    "Meeting",
    "Paragraph",
    "Participation",
    "ParticipationRole",
    "Reminder",
    "ReminderKind",
    "ReportingRound",
    "ReviewQueueVisit",
    "STATUS_MEANINGS",
    "Status",
    "StatusLabels",
    "StatusMilestone",
    "SubmissionNotice",
    "Theme",
    "government",
]
