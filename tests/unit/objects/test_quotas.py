"""nova.objects.quotas on a migrated API database: project, user and class limits."""

import pytest

from nova import exception
from nova import objects


def test_quotas(ctxt):
    objects.Quotas.create_limit(ctxt, 'p1', 'instances', 5)
    objects.Quotas.create_limit(ctxt, 'p1', 'instances', 2, user_id='u1')
    with pytest.raises(exception.QuotaExists):
        objects.Quotas.create_limit(ctxt, 'p1', 'instances', 5)
    objects.Quotas.update_limit(ctxt, 'p1', 'instances', 7)
    assert objects.Quotas.get_all_by_project(ctxt, 'p1')['instances'] == 7
    assert objects.Quotas.get_all_by_project_and_user(ctxt, 'p1', 'u1')['instances'] == 2
    with pytest.raises(exception.ProjectQuotaNotFound):
        objects.Quotas.update_limit(ctxt, 'p2', 'instances', 1)
    objects.Quotas.create_class(ctxt, 'default', 'cores', 20)
    objects.Quotas.update_class(ctxt, 'default', 'cores', 30)
    assert objects.Quotas.get_all_class_by_name(ctxt, 'default')['cores'] == 30
    objects.Quotas.destroy_all_by_project_and_user(ctxt, 'p1', 'u1')
    assert objects.Quotas.get_all_by_project_and_user(ctxt, 'p1', 'u1')['instances'] == 7
    objects.Quotas.destroy_all_by_project(ctxt, 'p1')
    assert 'instances' not in objects.Quotas.get_all_by_project(ctxt, 'p1')
