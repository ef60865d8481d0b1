"""Update notices: when they are due (:mod:`.schedule`) and how the outbox is drained
(:mod:`.sender`). Transport-free: the Telegram side lives in :mod:`bot.telegram.notices`."""

from bot.notices.schedule import (
    due_notices,
    local_time,
    next_digest_at,
    notice_status,
    publish,
    publish_due,
    upcoming_notices,
)
from bot.notices.sender import (
    DeliveryBlocked,
    DeliveryError,
    DeliveryHeld,
    DeliveryRejected,
    DeliveryRetryAfter,
    DeliveryTransient,
    DrainReport,
    FloodPause,
    Limits,
    Sender,
    Transport,
)

__all__ = [
    "DeliveryBlocked",
    "DeliveryError",
    "DeliveryHeld",
    "DeliveryRejected",
    "DeliveryRetryAfter",
    "DeliveryTransient",
    "DrainReport",
    "FloodPause",
    "Limits",
    "Sender",
    "Transport",
    "due_notices",
    "local_time",
    "next_digest_at",
    "notice_status",
    "publish",
    "publish_due",
    "upcoming_notices",
]
