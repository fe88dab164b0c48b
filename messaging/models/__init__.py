"""The two halves of messaging: agency threads and texting candidates. Both are imported here so
that Django finds every model of the app (its label and migrations are one)."""

from messaging.models.texting import (
    Channel,
    Consent,
    Conversation,
    ConversationMessage,
    ConversationReadMarker,
    Seat,
    SenderNumber,
    TextContact,
    TextingPlan,
)
from messaging.models.threads import (
    Attachment,
    Message,
    ReadMarker,
    Thread,
)

__all__ = [
    "Attachment",
    "Channel",
    "Consent",
    "Conversation",
    "ConversationMessage",
    "ConversationReadMarker",
    "Message",
    "ReadMarker",
    "Seat",
    "SenderNumber",
    "TextContact",
    "TextingPlan",
    "Thread",
]
