"""[image_cache]: the compute host's cache of base images."""

from oslo_config import cfg

image_cache_group = cfg.OptGroup(
    'image_cache', title='Image cache options',
    help='How nova-compute keeps and prunes its local copies of images.')

image_cache_opts = [
    cfg.IntOpt('manager_interval', default=2400, min=-1,
               deprecated_group='DEFAULT',
               deprecated_name='image_cache_manager_interval',
               help='Seconds between image cache sweeps; 0 uses the periodic '
                    'task default, -1 disables.'),
    cfg.StrOpt('subdirectory_name', default='_base',
               deprecated_group='DEFAULT',
               deprecated_name='image_cache_subdirectory_name',
               help='Directory under instances_path holding cached '
                    'images.'),
    cfg.BoolOpt('remove_unused_base_images', default=True,
                deprecated_group='DEFAULT',
                help='Delete cached images no server uses any more.'),
    cfg.IntOpt('remove_unused_original_minimum_age_seconds', default=86400,
               deprecated_group='DEFAULT',
               help='Seconds an unused original image stays cached.'),
    cfg.IntOpt('remove_unused_resized_minimum_age_seconds', default=3600,
               deprecated_group='libvirt',
               help='Seconds an unused resized image stays cached.'),
    cfg.IntOpt('precache_concurrency', default=1, min=1,
               help='Images downloaded at once when images are pre-cached '
                    'on an aggregate.'),
]


def register_opts(conf):
    conf.register_group(image_cache_group)
    conf.register_opts(image_cache_opts, group=image_cache_group)


def list_opts():
    return {image_cache_group: image_cache_opts}
