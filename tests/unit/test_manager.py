"""Managers built from operation mixins run the mixins' periodic tasks, as oslo would."""

from nova import manager


class _Mixin(object):
    @manager.periodic_task_decorator(spacing=5)
    def _every_five(self, context):
        pass

    @manager.periodic_task_decorator(spacing=-1)
    def _switched_off(self, context):
        pass


class _Manager(_Mixin, manager.Manager):
    @manager.periodic_task_decorator(spacing=-1)
    def _own_switched_off(self, context):
        pass


def test_mixin_tasks_are_added_and_negative_spacings_left_out():
    mgr = _Manager(host='h1')
    names = [name for name, _task in mgr._periodic_tasks]
    assert names.count('_every_five') == 1
    assert mgr._periodic_spacing['_every_five'] == 5
    assert '_switched_off' not in names
    assert '_own_switched_off' not in names
