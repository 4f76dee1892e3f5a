"""Write tempest.conf for the cloud under test from its openrc and what was detected."""

import configparser

from tools.tempest_lib import detect as detect_mod

# Compute features no probe here can show, kept off (tempest's default for most):
# they need a guest agent, validation resources, or hardware tempest would check.
ALWAYS_OFF = ('shelve_migrate',
              'volume_backed_live_migration', 'volume_multiattach', 'vtpm_live_migration',
              'live_migrate_back_and_forth', 'block_migration_for_live_migration',
              'attach_encrypted_volume')


def render(cloud, found, image_ids, flavor_ids, workspace, build_timeout=300,
           accounts_file=None):
    """tempest.conf; ``accounts_file``: pre-provisioned accounts (see accounts.py)
    instead of dynamic credentials."""
    conf = configparser.RawConfigParser(interpolation=None)
    conf.optionxform = str

    def section(name, **values):
        if name != 'DEFAULT' and not conf.has_section(name):
            conf.add_section(name)
        for key, value in values.items():
            if isinstance(value, bool):
                value = 'True' if value else 'False'
            elif isinstance(value, (list, tuple)):
                value = ','.join(value)
            conf.set(name, key, str(value))

    section('DEFAULT', log_dir=workspace + '/logs', log_file='tempest.log', debug='True',
            use_stderr='False')
    section('oslo_concurrency', lock_path=workspace + '/lock')
    section('auth', use_dynamic_credentials=not accounts_file, admin_username=cloud.username,
            admin_password=cloud.password, admin_project_name=cloud.project_name,
            admin_domain_name=cloud.project_domain, tempest_roles='member',
            create_isolated_networks='network' in found.services)
    if accounts_file:
        section('auth', test_accounts_file=accounts_file)
    section('identity', uri_v3=cloud.auth_url, auth_version='v3', region=cloud.region,
            v3_endpoint_type='public', disable_ssl_certificate_validation=True)
    section('identity-feature-enabled', api_v2=False, api_v3=True)
    section('compute', image_ref=image_ids[0], image_ref_alt=image_ids[1],
            flavor_ref=flavor_ids[0], flavor_ref_alt=flavor_ids[1], region=cloud.region,
            endpoint_type='publicURL', build_timeout=build_timeout, build_interval=1,
            min_compute_nodes=found.compute_nodes or 1,
            min_microversion=found.min_microversion, max_microversion=found.max_microversion,
            shelved_offload_time=found.nova_conf.get(('DEFAULT', 'shelved_offload_time'),
                                                     '0'))
    if found.hypervisor_type:
        section('compute', hypervisor_type=found.hypervisor_type)
    features = {option: found.enabled.get(option, False) for option in detect_mod.PROBED}
    features.update({option: False for option in ALWAYS_OFF})
    # Stable device rescue (2.87) is rescue with the image's hw_rescue_device and
    # hw_rescue_bus; tempest's tests of it check the server's states, not the guest.
    features['stable_rescue'] = features.get('rescue', False)
    # Swapping a volume copies the disk in QEMU (libvirt's block copy onto RBD)
    features['swap_volume'] = bool(
        {'volumev3', 'block-storage', 'volume'} & found.services) and \
        found.hypervisor_type in ('QEMU', 'KVM')
    features.update(
        scheduler_enabled_filters=found.filters,
        config_drive=True,
        # Personality files (before 2.57): accepted within the injected-files quota
        # and written to the config drive.
        personality=True,
        disk_config=True,
        enable_instance_password=True,
        # Without validation resources tempest cannot log in to a guest: the
        # tests that would need it skip on [validation] run_validation.
        ide_bus=found.hypervisor_type not in (None, 'fake'),
        unified_limits=found.nova_conf.get(('quota', 'driver'), '').endswith(
            'UnifiedLimitsDriver'),
    )
    # What --enable/--disable forced on an option no probe sets wins over the above.
    features.update({option: value for option, value in found.enabled.items()
                     if option not in detect_mod.PROBED})
    section('compute-feature-enabled', **features)
    section('placement', endpoint_type='public', region=cloud.region)
    section('image', region=cloud.region, endpoint_type='public',
            disk_formats='qcow2,raw,ami,ari,aki,vhd,vmdk,vdi,iso')
    section('image-feature-enabled', api_v1=False, api_v2=True)
    section('validation', run_validation=False, connect_method='floating'
            if 'network' in found.services else 'fixed')
    section('network', region=cloud.region, endpoint_type='public')
    section('volume', region=cloud.region, endpoint_type='public', catalog_type='volumev3')
    services = found.services
    section('service_available',
            nova='compute' in services,
            glance='image' in services,
            neutron='network' in services,
            cinder=bool({'volumev3', 'block-storage', 'volume'} & services),
            swift='object-store' in services,
            horizon=False,
            placement='placement' in services)
    return conf


def write(conf, path):
    with open(path, 'w') as f:
        conf.write(f)


def summary(found):
    """Lines that say what was detected and why a feature is off."""
    lines = ['services: %s' % ', '.join(sorted(found.services)),
             'microversions: %s - %s; compute nodes: %d (%s)' % (
                 found.min_microversion, found.max_microversion, found.compute_nodes,
                 found.hypervisor_type)]
    on = sorted(o for o, v in found.enabled.items() if v)
    off = sorted(o for o, v in found.enabled.items() if not v)
    lines.append('features on: %s' % (', '.join(on) or '-'))
    for option in off:
        lines.append('feature off: %s (%s)' % (option, found.why.get(option, 'not found')))
    return lines
