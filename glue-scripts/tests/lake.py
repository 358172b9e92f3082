"""The test lake (local/lake.py) and the moments of its January: deliveries arrive in the evening,
the schedule runs at 04:00."""
from datetime import datetime, timezone

from local.lake import LocalLake  # noqa: F401 (the tests' lake)


def at(day, hour=22, minute=0):
    """A moment of January 2024 (UTC)."""
    return datetime(2024, 1, day, hour, minute, tzinfo=timezone.utc)
