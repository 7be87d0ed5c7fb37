"""What the hub side's database holds, read as a deployer would look: who
the hub helper added, what the service saw (the tests' one way to look,
for configure_hub's tests and the real hub's)."""

from __future__ import annotations

from jupyterlab_hub_groups.service.db import MemberRecords, current_revision, make_engine


def seeded(url: str) -> dict[str, set[str]]:
    """Group → the people the hub helper recorded as added."""
    engine = make_engine(url)
    try:
        return MemberRecords(engine).seeded()
    finally:
        engine.dispose()


def watched(url: str) -> dict[str, set[str]]:
    """Project → its members at the service's last look ({} before any)."""
    engine = make_engine(url)
    try:
        if current_revision(engine) is None:
            return {}  # not made yet
        return MemberRecords(engine).watched()
    finally:
        engine.dispose()
