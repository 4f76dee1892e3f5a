"""Legacy security groups as an instance attribute (names only; neutron owns the rules).

Servers keep a ``security_groups`` attribute for the API and the scheduler's
request; the groups themselves live in neutron, so there are no queries here.
"""

from nova.objects import base
from nova.objects import fields


@base.NovaObjectRegistry.register
class SecurityGroup(base.NovaPersistentObject, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'name': fields.StringField(),
        'description': fields.StringField(nullable=True),
        'user_id': fields.StringField(nullable=True),
        'project_id': fields.StringField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, group, db_group):
        for key in group.fields:
            if key in db_group:
                value = db_group[key]
                setattr(group, key, bool(value) if key == 'deleted' else value)
        group._context = context
        group.obj_reset_changes()
        return group


@base.NovaObjectRegistry.register
class SecurityGroupList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('SecurityGroup'),
    }


def make_secgroup_list(security_groups):
    """A SecurityGroupList from names (or dicts with a name), as the API hands them."""
    groups = SecurityGroupList(objects=[])
    for group in security_groups or ():
        obj = SecurityGroup()
        if isinstance(group, str):
            obj.name = group
        else:
            for key in ('id', 'name', 'description', 'user_id', 'project_id'):
                if key in group:
                    setattr(obj, key, group[key])
        groups.objects.append(obj)
    groups.obj_reset_changes()
    return groups
