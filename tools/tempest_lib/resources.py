"""The images and flavors tempest.conf points at, created in the cloud under test.

Tempest needs two images (``image_ref``, ``image_ref_alt``) and two flavors
(``flavor_ref`` and a bigger ``flavor_ref_alt`` to resize to).  They are made
here, once, with names of their own, so a run never depends on (or changes)
what an operator created.
"""

import time

from tools.tempest_lib import cloud as cloud_mod

IMAGES = ('tempest-image', 'tempest-image-alt')
# (name, vcpus, ram MB, disk GB): small enough for a real QEMU guest on a
# shared machine, different enough that a resize between them is a resize.
FLAVORS = (('tempest-nano', 1, 192, 1), ('tempest-micro', 1, 256, 2))
# Images whose data the tempest images are copied from, first found wins: the
# bootable test guest (libvirt clouds), then the all-in-one's small image.
SOURCE_IMAGES = ('nova-test-guest', 'cirros-fake')


def _images_named(cloud, name):
    return cloud.call('GET', '%s/v2/images?name=%s' % (cloud.image, name))['images']


def source_image(cloud, wanted=None):
    """The active image tempest's images are copied from: (id, disk_format, name).

    ``wanted``: a name, or a list of names to try in order.
    """
    names = [wanted] if isinstance(wanted, str) else list(wanted or SOURCE_IMAGES)
    for name in names:
        for image in _images_named(cloud, name):
            if image['status'] == 'active':
                return image
    raise SystemExit('tempest: no active image named %s to copy tempest\'s images from '
                     '(pass --source-image NAME)' % ' or '.join(names))


def ensure_images(cloud, wanted=None, say=print):
    """Ids of the two tempest images, uploaded from the source image's data when missing."""
    ids = []
    source = None
    for name in IMAGES:
        found = [i for i in _images_named(cloud, name) if i['status'] == 'active']
        if found:
            ids.append(found[0]['id'])
            continue
        for stale in _images_named(cloud, name):
            cloud.call('DELETE', '%s/v2/images/%s' % (cloud.image, stale['id']), ok=(404,))
        if source is None:
            source = source_image(cloud, wanted)
            data = _download(cloud, source['id'])
        image = cloud.call('POST', cloud.image + '/v2/images', body={
            'name': name, 'disk_format': source['disk_format'],
            'container_format': source.get('container_format') or 'bare',
            'visibility': 'public', 'min_disk': 0, 'min_ram': 0})
        cloud.call('PUT', '%s/v2/images/%s/file' % (cloud.image, image['id']), data=data,
                   content_type='application/octet-stream')
        cloud_mod.wait_for(lambda: cloud.call('GET', '%s/v2/images/%s' % (
            cloud.image, image['id']))['status'] == 'active', 120, what='image %s' % name)
        say('created image %s (%s, from %s)' % (name, image['id'], source['name']))
        ids.append(image['id'])
    return ids


def _download(cloud, image_id):
    import urllib.request
    req = urllib.request.Request('%s/v2/images/%s/file' % (cloud.image, image_id))
    req.add_header('X-Auth-Token', cloud.token)
    with urllib.request.urlopen(req, timeout=300) as resp:
        return resp.read()


def ensure_flavors(cloud, say=print):
    """Ids of the two tempest flavors, created (public) when missing."""
    flavors = cloud.compute_call('GET', '/flavors/detail?is_public=None')['flavors']
    by_name = {f['name']: f for f in flavors}
    ids = []
    for name, vcpus, ram, disk in FLAVORS:
        if name not in by_name:
            flavor = cloud.compute_call('POST', '/flavors', body={'flavor': {
                'name': name, 'vcpus': vcpus, 'ram': ram, 'disk': disk}})['flavor']
            say('created flavor %s (%s)' % (name, flavor['id']))
            by_name[name] = flavor
        ids.append(by_name[name]['id'])
    return ids


def cleanup_leftovers(cloud, say=print):
    """Delete servers tempest's dynamic credentials left behind (their names start
    with ``tempest-``) so an interrupted run does not eat the next one's quota."""
    servers = cloud.compute_call('GET', '/servers?all_tenants=1&name=%5Etempest-')['servers']
    for server in servers:
        cloud.compute_call('DELETE', '/servers/%s' % server['id'], ok=(404,))
    if servers:
        say('deleted %d servers an earlier run left' % len(servers))
        time.sleep(1)
