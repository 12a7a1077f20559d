"""Messages of one conversation take their turns in arrival order, whichever thread runs them first."""

from __future__ import annotations

import random
import threading
import time

import pytest

from bot.engine.ordering import ArrivalOrder, OutOfTurn


def test_tickets_are_served_in_the_order_they_were_taken() -> None:
    order = ArrivalOrder(timeout=10)
    tickets = [order.take("c1") for _ in range(20)]
    served: list[int] = []

    def run(ticket: int) -> None:
        time.sleep(random.random() / 100)  # threads start in any order
        with order.turn("c1", ticket):
            served.append(ticket)

    threads = [threading.Thread(target=run, args=(t,)) for t in reversed(tickets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert served == tickets


def test_other_conversations_do_not_wait_and_abandoned_tickets_are_skipped() -> None:
    order = ArrivalOrder(timeout=1)
    first = order.take("c1")
    abandoned = order.take("c1")
    third = order.take("c1")
    with order.turn("c2", order.take("c2")):
        pass  # c2 never waits for c1
    order.release("c1", abandoned)
    with order.turn("c1", first):
        pass
    with order.turn("c1", third):
        pass


def test_a_turn_waits_with_a_bound() -> None:
    order = ArrivalOrder(timeout=0.1)
    order.take("c1")  # never finished
    with pytest.raises(OutOfTurn), order.turn("c1", order.take("c1")):
        pass
