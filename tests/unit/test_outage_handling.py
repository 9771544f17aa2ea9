"""Outages are waited out, never dead-lettered (issue 12): the one error mapping
(gateway/errors.py) tells an unreachable database or broker from an event's own failure, and
``deliver`` waits the former out (backoff with jitter, bounded) counting no attempt."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from aiokafka.errors import CommitFailedError, KafkaConnectionError, RecordTooLargeError
from sqlalchemy.exc import IntegrityError, OperationalError

from canonical_model.errors import ContractViolation
from gateway.errors import Dependency, Disposition, disposition, unreachable_dependency
from gateway.messaging.consumers import DeliveryPolicy, Outage, Stopped, deliver


def _db_error(orig: Exception) -> OperationalError:
    return OperationalError("SELECT 1", {}, orig)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_db_error(psycopg.errors.AdminShutdown("terminating connection")), Disposition.WAIT),
        (_db_error(psycopg.errors.CannotConnectNow("starting up")), Disposition.WAIT),
        (_db_error(psycopg.OperationalError("connection refused")), Disposition.WAIT),
        (KafkaConnectionError("Unable to bootstrap"), Disposition.WAIT),
        # A statement failing on a live server is not an outage: retried, then dead-lettered.
        (_db_error(psycopg.errors.LockNotAvailable("lock timeout")), Disposition.RETRY),
        (IntegrityError("INSERT", {}, Exception("duplicate key")), Disposition.RETRY),
        (RecordTooLargeError("too large"), Disposition.RETRY),
        (CommitFailedError("rebalanced"), Disposition.RETRY),
        (ValueError("a bug"), Disposition.RETRY),
        (ContractViolation("bad event"), Disposition.DEAD_LETTER),
    ],
)
def test_outages_are_told_from_the_events_own_errors(
    error: Exception, expected: Disposition
) -> None:
    assert disposition(error) is expected


def test_each_outage_names_its_own_dependency() -> None:
    assert unreachable_dependency(_db_error(psycopg.OperationalError("refused"))) == "database"
    assert unreachable_dependency(KafkaConnectionError("refused")) == "kafka"
    assert unreachable_dependency(ContractViolation("x")) is None


def test_outage_waits_grow_with_jitter_and_stay_bounded() -> None:
    policy = DeliveryPolicy(outage_backoff_seconds=0.5, outage_backoff_max_seconds=10)
    for wait in range(1, 30):
        ceiling = min(10.0, 0.5 * 2 ** (wait - 1))
        assert policy.outage_delay(wait, rand=lambda: 0.0) == ceiling / 2
        assert policy.outage_delay(wait, rand=lambda: 1.0) == ceiling
        assert ceiling / 2 <= policy.outage_delay(wait) <= ceiling


class _Flaky:
    """A consumer whose database is away for its first ``down`` calls."""

    name = "feed.test"

    def __init__(self, down: int) -> None:
        self.down = down
        self.calls = 0

    def wants(self, event_type: str) -> bool:
        return True

    def handle(self, envelope: dict[str, Any]) -> None:
        self.calls += 1
        if self.calls <= self.down:
            raise _db_error(psycopg.OperationalError("connection refused"))


def test_a_worker_waits_out_a_database_outage_longer_than_its_attempts() -> None:
    slept: list[float] = []
    policy = DeliveryPolicy(max_attempts=5)
    outage = Outage(policy=policy, what="worker test", sleep=slept.append)
    consumer = _Flaky(down=12)  # far more failures than attempts allowed
    outcome = deliver(
        db=None,  # type: ignore[arg-type]  # nothing is dead-lettered, so never used
        consumer=consumer,
        envelope={"id": "evt_1"},
        origin="test",
        policy=policy,
        outage=outage,
    )
    assert outcome.applied and outcome.dead_letter_id is None and outcome.attempts == 1
    assert consumer.calls == 13 and len(slept) == 12
    assert max(slept) <= policy.outage_backoff_max_seconds
    assert outage.waits == 0  # recovered


def test_an_outage_without_a_worker_raises_and_dead_letters_nothing() -> None:
    with pytest.raises(OperationalError):
        deliver(
            db=None,  # type: ignore[arg-type]
            consumer=_Flaky(down=1),
            envelope={"id": "evt_1"},
            origin="in-process",
            policy=DeliveryPolicy(),
        )


def test_a_stop_during_an_outage_ends_the_wait() -> None:
    outage = Outage(policy=DeliveryPolicy(), what="worker test", sleep=lambda s: None)
    outage.stopping = lambda: True
    with pytest.raises(Stopped):
        deliver(
            db=None,  # type: ignore[arg-type]
            consumer=_Flaky(down=100),
            envelope={"id": "evt_1"},
            origin="test",
            policy=DeliveryPolicy(),
            outage=outage,
        )
    assert Dependency.DATABASE.value == "database"
