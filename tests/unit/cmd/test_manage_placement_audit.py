"""The placement audit: only unknown consumers of Nova's resources are reported (and
with --delete removed, keeping the consumer's other providers), failures are 1
(Placement is an in-memory stand-in)."""



from nova.cmd import manage_placement_audit
from tests.unit.cmd.fake_placement import FakePlacement, RP1


def _auditor(placement, known, delete=False):
    said = []
    auditor = manage_placement_audit.Auditor(None, placement, said.append, delete=delete)
    auditor.known_consumers = lambda node_uuid: known.get(node_uuid)
    return auditor, said


def test_audit_reports_only_unknown_consumers_of_nova_resources():
    placement = FakePlacement()
    placement.aggregates = {RP1: set()}
    placement.add('instance', RP1, {'VCPU': 1})
    placement.add('migration', RP1, {'VCPU': 1})
    placement.add('orphan', RP1, {'VCPU': 1, 'MEMORY_MB': 8})
    placement.add('not-nova', RP1, {'CUSTOM_LICENSE': 1})
    auditor, said = _auditor(placement, {RP1: {'instance', 'migration'}})
    assert manage_placement_audit.audit(auditor, placement.get_resource_providers(None)) == 3
    assert said == [
        'Allocations were set against consumer UUID orphan but no existing instances or '
        'active migrations are related. ',
        "Allocations for consumer UUID orphan on Resource Provider %s can be deleted: "
        "{'VCPU': 1, 'MEMORY_MB': 8}" % RP1,
        'Processed 1 allocation.']
    assert 'orphan' in placement.allocations


def test_audit_delete_keeps_other_providers_allocations_of_the_consumer():
    placement = FakePlacement()
    placement.aggregates = {RP1: set(), 'rp-2': set()}
    placement.add('orphan', RP1, {'VCPU': 1})
    placement.add('spread', RP1, {'VCPU': 1})
    placement.add('spread', 'rp-2', {'DISK_GB': 1})
    auditor, said = _auditor(placement, {RP1: set(), 'rp-2': {'spread'}}, delete=True)
    assert manage_placement_audit.audit(auditor, placement.get_resource_providers(None)) == 4
    assert 'orphan' not in placement.allocations
    assert placement.allocations['spread']['allocations'] == {
        'rp-2': {'resources': {'DISK_GB': 1}}}
    assert said[-1] == 'Processed 2 allocations.'
    assert manage_placement_audit.audit(auditor, placement.get_resource_providers(None)) == 0


def test_audit_failures_are_1(capsys):
    placement = FakePlacement()
    placement.aggregates = {RP1: set()}
    placement.add('orphan', RP1, {'VCPU': 1})
    placement.delete_result = False
    auditor, _ = _auditor(placement, {}, delete=True)
    assert manage_placement_audit.audit(auditor, placement.get_resource_providers(None)) == 1
    out = capsys.readouterr().out
    assert 'Not able to delete allocations for consumer UUID orphan' in out
    assert 'The Resource Provider %s had problems when deleting allocations.' % RP1 in out
    placement.broken_providers.add(RP1)
    assert manage_placement_audit.audit(auditor, placement.get_resource_providers(None)) == 1
    assert 'Not able to find allocations for resource provider %s.' % RP1 in (
        capsys.readouterr().out)
