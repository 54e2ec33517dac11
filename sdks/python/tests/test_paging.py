from concurrent.futures import ThreadPoolExecutor


def test_auto_paging_over_250_customers_yields_each_id_once(account):
    interflow, _ = account()
    with ThreadPoolExecutor(8) as pool:
        created = list(pool.map(lambda i: interflow.customers.create({"name": f"Cliente {i}", "email": f"c{i}@example.com"}), range(250)))

    seen = [customer.id for customer in interflow.customers.list_all()]
    first = interflow.customers.list(per_page=100)

    assert len(seen) == len(set(seen)) == 250
    assert sorted(seen) == sorted(c.id for c in created)
    assert (first.total, len(first.data), first.has_more) == (250, 100, True)
