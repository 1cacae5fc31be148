"""One request at a time per host: two workers asking the same site take turns, and pause between them."""
from __future__ import annotations

import threading

import pytest

from notices.capture.politeness import DatabaseGate, LocalGate


def take_turns(gate, hosts, worker_setup=lambda: None, worker_teardown=lambda: None):
    """Two threads each take a turn at their host; the log says who was inside when."""
    log, started = [], threading.Barrier(2)

    def worker(name, host):
        worker_setup()
        try:
            started.wait()
            with gate.turn(host):
                log.append(("in", name))
                threading.Event().wait(0.05)  # (a request in flight)
                log.append(("out", name))
        finally:
            worker_teardown()

    threads = [threading.Thread(target=worker, args=(n, h)) for n, h in zip("ab", hosts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return log


def never_overlap(log) -> bool:
    return [kind for kind, _ in log] == ["in", "out", "in", "out"]


def test_the_local_gate_lets_one_request_at_a_time_reach_a_host():
    assert never_overlap(take_turns(LocalGate(0.01), ["gov.example", "gov.example"]))


def test_the_local_gate_lets_two_hosts_be_asked_at_once():
    log = take_turns(LocalGate(0.01), ["a.example", "b.example"])
    assert [kind for kind, _ in log[:2]] == ["in", "in"]


@pytest.mark.django_db
def test_the_database_gate_makes_workers_with_their_own_connections_take_turns():
    from django.db import connection

    # Each thread has its own connection, so its own database session: the lock is what orders them.
    log = take_turns(DatabaseGate(0.01), ["gov.example", "gov.example"], worker_teardown=lambda: connection.close())
    assert never_overlap(log)
