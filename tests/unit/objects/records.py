"""Records the object tests share: a created flavor, an instance not yet created
(a build request's), an instance created in the cell database."""

from oslo_utils import uuidutils

from nova import objects


def _flavor(ctxt, name='m1.tiny', flavorid='1', **kwargs):
    values = dict(name=name, flavorid=flavorid, memory_mb=512, vcpus=1, root_gb=1,
                  ephemeral_gb=0, swap=0)
    values.update(kwargs)
    flavor = objects.Flavor(ctxt, **values)
    flavor.create()
    return flavor


def _new_instance(ctxt, flavor):
    inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid(), project_id=ctxt.project_id,
                            user_id=ctxt.user_id, display_name='pending', vm_state='building',
                            flavor=flavor, metadata={'m': '1'}, system_metadata={},
                            info_cache=None)
    return inst


def _instance(ctxt):
    inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid(), project_id='p', user_id='u')
    inst.create()
    return inst
