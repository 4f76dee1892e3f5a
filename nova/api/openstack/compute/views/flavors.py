"""Flavor bodies as each microversion shows them."""

from nova.api.openstack import common


class ViewBuilder(common.ViewBuilder):

    _collection_name = 'flavors'

    def basic(self, req, flavor, include_description=False, include_extra_specs=False):
        body = {
            'id': flavor['flavorid'],
            'name': flavor['name'],
            'links': self._get_links(req, flavor['flavorid']),
        }
        if include_description:
            body['description'] = flavor.description
        if include_extra_specs:
            body['extra_specs'] = flavor.extra_specs
        return {'flavor': body}

    def show(self, req, flavor, include_description=False, include_extra_specs=False):
        version = req.api_version_request
        body = {
            'id': flavor['flavorid'],
            'name': flavor['name'],
            'ram': flavor['memory_mb'],
            'disk': flavor['root_gb'],
            'swap': flavor['swap'] or '',
            'OS-FLV-EXT-DATA:ephemeral': flavor['ephemeral_gb'],
            'OS-FLV-DISABLED:disabled': flavor['disabled'],
            'vcpus': flavor['vcpus'],
            'os-flavor-access:is_public': flavor['is_public'],
            'rxtx_factor': flavor['rxtx_factor'] or '',
            'links': self._get_links(req, flavor['flavorid']),
        }
        if version >= '2.75':
            body['swap'] = flavor['swap'] or 0
        if version >= '2.102':
            # rxtx_factor and the disabled flag are gone from 2.102 on.
            body.pop('rxtx_factor')
            body.pop('OS-FLV-DISABLED:disabled')
        if include_description:
            body['description'] = flavor.description
        if include_extra_specs:
            body['extra_specs'] = flavor.extra_specs
        return {'flavor': body}

    def index(self, req, flavors, include_description=False):
        items = [self.basic(req, f, include_description)['flavor'] for f in flavors]
        return self._list(req, 'flavors', items, flavors)

    def detail(self, req, flavors, include_description=False, include_extra_specs=False):
        items = [self.show(req, f, include_description, include_extra_specs)['flavor']
                 for f in flavors]
        return self._list(req, 'flavors', items, flavors)

    def _list(self, req, key, items, flavors):
        body = {key: items}
        links = self._get_collection_links(req, [{'id': f['flavorid']} for f in flavors],
                                           id_key='id')
        if links:
            body['flavors_links'] = links
        return body
