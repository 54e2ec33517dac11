import uuid
from concurrent.futures import ThreadPoolExecutor

from conftest import unique_phone


def test_auto_paging_over_250_customers_yields_each_id_once(account):
    interflow, _ = account()
    with ThreadPoolExecutor(8) as pool:
        created = list(pool.map(lambda i: interflow.customers.create({"name": f"Cliente {i}", "email": f"c{i}@example.com"}), range(250)))

    seen = [customer.id for customer in interflow.customers.list_all()]
    first = interflow.customers.list(per_page=100)

    assert len(seen) == len(set(seen)) == 250
    assert sorted(seen) == sorted(c.id for c in created)
    assert (first.total, len(first.data), first.has_more) == (250, 100, True)


def test_list_all_returns_each_customer_that_stays_exactly_once_while_others_are_deleted_and_added(account):
    interflow, _ = account()
    tag = f"walk{uuid.uuid4().hex[:8]}"
    with ThreadPoolExecutor(8) as pool:
        created = list(pool.map(lambda _: interflow.customers.create({"name": "Cliente", "phone": unique_phone(), "tags": [tag]}), range(230)))

    listed, deleted = [], set()
    for customer in interflow.customers.list_all(tag=tag):
        listed.append(customer.id)
        if len(listed) == 50:
            # Twenty already listed go, and two come: numbered pages would now start twenty items later.
            for id in listed[:20]:
                interflow.customers.delete(id)
                deleted.add(id)
            for _ in range(2):
                interflow.customers.create({"name": "Nova", "phone": unique_phone(), "tags": [tag]})

    assert sorted(i for i in listed if i not in deleted) == sorted(c.id for c in created if c.id not in deleted)
    assert len(listed) == len(set(listed))


def test_a_page_of_a_walk_has_next_cursor_and_per_page_neither_page_nor_total(account):
    interflow, _ = account()
    for _ in range(3):
        interflow.customers.create({"name": "Cliente", "phone": unique_phone()})

    first = interflow.customers.list(cursor="", per_page=2)
    last = interflow.customers.list(cursor=first.next_cursor, per_page=2)

    assert (len(first.data), first.has_more, first.page, first.total) == (2, True, None, None)
    assert (len(last.data), last.has_more, last.next_cursor) == (1, False, None)
