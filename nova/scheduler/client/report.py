"""Client for the Placement API: resource providers, inventories, traits.

Every request names a Placement microversion; generation conflicts (another
writer got there first) are resolved by re-reading the provider and retrying.
"""

import random
import time

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from oslo_log import log as logging

import nova.conf
from nova import exception

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

PLACEMENT_VERSION = '1.39'
# PUT /allocations with consumer generations, mappings and consumer types.
CLAIM_VERSION = '1.38'
# GET /usages with per-consumer-type counts.
USAGES_VERSION = '1.38'
# Provider listings carrying root_provider_uuid / parent_provider_uuid.
PROVIDER_TREE_VERSION = '1.14'
_GENERATION_RETRIES = 8


def create_placement_adapter(conf=None):
    """A keystoneauth adapter for Placement from the ``[placement]`` options."""
    conf = conf or CONF
    auth = ks_loading.load_auth_from_conf_options(conf, 'placement')
    session = ks_loading.load_session_from_conf_options(conf, 'placement', auth=auth)
    return ks_loading.load_adapter_from_conf_options(
        conf, 'placement', session=session, auth=auth,
        min_version=None, max_version=None)


class SchedulerReportClient(object):

    def __init__(self, adapter=None):
        self._adapter = adapter

    @property
    def adapter(self):
        if self._adapter is None:
            self._adapter = create_placement_adapter()
        return self._adapter

    # --- raw HTTP -----------------------------------------------------------
    def _request(self, method, url, version=PLACEMENT_VERSION, global_request_id=None,
                 **kwargs):
        headers = {'OpenStack-API-Version': 'placement %s' % version}
        if global_request_id:
            headers['X-OpenStack-Request-ID'] = global_request_id
        try:
            return self.adapter.request(url, method, raise_exc=False, headers=headers,
                                        microversion=version, **kwargs)
        except (ks_exc.ConnectFailure, ks_exc.EndpointNotFound,
                ks_exc.DiscoveryFailure, ks_exc.ConnectTimeout) as exc:
            LOG.warning('Placement API is unreachable (%s): %s', url, exc)
            raise exception.PlacementAPIConnectFailure()

    def get(self, url, **kwargs):
        return self._request('GET', url, **kwargs)

    def post(self, url, data, **kwargs):
        return self._request('POST', url, json=data, **kwargs)

    def put(self, url, data, **kwargs):
        return self._request('PUT', url, json=data, **kwargs)

    def delete(self, url, **kwargs):
        return self._request('DELETE', url, **kwargs)

    @staticmethod
    def _rid(context):
        return getattr(context, 'global_id', None)

    # --- resource providers ---------------------------------------------------
    def get_provider(self, context, rp_uuid):
        resp = self.get('/resource_providers/%s' % rp_uuid,
                        global_request_id=self._rid(context))
        if resp.status_code == 200:
            return resp.json()
        if resp.status_code == 404:
            return None
        raise exception.ResourceProviderRetrievalFailed(uuid=rp_uuid)

    def create_provider(self, context, rp_uuid, name, parent_uuid=None):
        payload = {'uuid': rp_uuid, 'name': name}
        if parent_uuid:
            payload['parent_provider_uuid'] = parent_uuid
        resp = self.post('/resource_providers', payload,
                         global_request_id=self._rid(context))
        if resp.status_code == 200:
            return resp.json()
        if resp.status_code == 409:
            # Raced with ourselves (or a stale provider owns the name).
            existing = self.get_provider(context, rp_uuid)
            if existing is not None:
                return existing
        LOG.error('Failed to create resource provider %(uuid)s (%(name)s): %(code)s %(text)s',
                  {'uuid': rp_uuid, 'name': name, 'code': resp.status_code,
                   'text': resp.text})
        raise exception.ResourceProviderCreationFailed(name=name)

    def ensure_resource_provider(self, context, rp_uuid, name):
        provider = self.get_provider(context, rp_uuid)
        if provider is None:
            provider = self.create_provider(context, rp_uuid, name)
            LOG.info('Created resource provider record via placement API for '
                     'resource provider with UUID %s and name %s.', rp_uuid, name)
        return provider

    def delete_provider(self, context, rp_uuid):
        resp = self.delete('/resource_providers/%s' % rp_uuid,
                           global_request_id=self._rid(context))
        return resp.status_code in (204, 404)

    # --- inventories and traits --------------------------------------------------
    def get_inventory(self, context, rp_uuid):
        resp = self.get('/resource_providers/%s/inventories' % rp_uuid,
                        global_request_id=self._rid(context))
        if resp.status_code != 200:
            raise exception.ResourceProviderRetrievalFailed(uuid=rp_uuid)
        return resp.json()

    def set_inventory(self, context, rp_uuid, inventory, generation):
        """PUT the full inventory; returns the new generation."""
        url = '/resource_providers/%s/inventories' % rp_uuid
        for _attempt in range(_GENERATION_RETRIES):
            payload = {'resource_provider_generation': generation, 'inventories': inventory}
            resp = self.put(url, payload, global_request_id=self._rid(context))
            if resp.status_code == 200:
                return resp.json()['resource_provider_generation']
            if resp.status_code == 409 and 'generation' in resp.text.lower():
                generation = self.get_inventory(context, rp_uuid)[
                    'resource_provider_generation']
                continue
            raise exception.ResourceProviderUpdateFailed(url=url, error=resp.text)
        raise exception.ResourceProviderUpdateConflict(uuid=rp_uuid, generation=generation,
                                                       error='too many generation conflicts')

    def get_traits(self, context, rp_uuid):
        resp = self.get('/resource_providers/%s/traits' % rp_uuid,
                        global_request_id=self._rid(context))
        if resp.status_code != 200:
            raise exception.ResourceProviderRetrievalFailed(uuid=rp_uuid)
        return resp.json()

    def set_traits(self, context, rp_uuid, traits, generation):
        url = '/resource_providers/%s/traits' % rp_uuid
        for _attempt in range(_GENERATION_RETRIES):
            payload = {'resource_provider_generation': generation, 'traits': sorted(traits)}
            resp = self.put(url, payload, global_request_id=self._rid(context))
            if resp.status_code == 200:
                return resp.json()['resource_provider_generation']
            if resp.status_code == 409 and 'generation' in resp.text.lower():
                generation = self.get_traits(context, rp_uuid)['resource_provider_generation']
                continue
            raise exception.ResourceProviderUpdateFailed(url=url, error=resp.text)
        raise exception.ResourceProviderUpdateConflict(uuid=rp_uuid, generation=generation,
                                                       error='too many generation conflicts')

    # --- whole tree ----------------------------------------------------------------
    def update_from_provider_tree(self, context, tree, previous=None, uuids=None):
        """Push every provider whose inventory or traits changed since ``previous``.

        ``previous`` maps provider uuid -> (inventory, traits) last pushed;
        it is updated in place so unchanged providers cost no request.
        ``uuids`` narrows the push to those providers (the node just
        refreshed), so a host with many nodes does not look at all of them
        once per node.
        """
        previous = previous if previous is not None else {}
        for rp_uuid in (tree.get_provider_uuids() if uuids is None else uuids):
            data = tree.data(rp_uuid)
            if data.generation is None:
                provider = self.ensure_resource_provider(context, data.uuid, data.name)
                tree.set_generation(rp_uuid, provider['generation'])
                data.generation = provider['generation']
            last_inventory, last_traits = previous.get(rp_uuid, (None, None))
            if data.inventory != last_inventory:
                generation = self.set_inventory(context, rp_uuid, data.inventory,
                                                data.generation)
                tree.set_generation(rp_uuid, generation)
                data.generation = generation
            if data.traits != last_traits:
                generation = self.set_traits(context, rp_uuid, data.traits, data.generation)
                tree.set_generation(rp_uuid, generation)
            previous[rp_uuid] = (data.inventory, set(data.traits))
        return previous

    # --- scheduling: candidates, claims, allocations, usages ----------------------
    # (owned by the scheduler; everything above is the compute side.)

    def get_allocation_candidates(self, context, resources):
        """Ask Placement where ``resources`` (a utils.ResourceRequest) would fit.

        Returns ``(allocation_requests, provider_summaries, version)``, or
        ``(None, None, None)`` when Placement answers with an error, so the
        caller can treat it like "no candidates".
        """
        version = resources.placement_version
        url = '/allocation_candidates?%s' % resources.to_querystring()
        resp = self.get(url, version=version, global_request_id=self._rid(context))
        if resp.status_code == 200:
            data = resp.json()
            return data['allocation_requests'], data['provider_summaries'], version
        LOG.error('Failed to retrieve allocation candidates from placement API for '
                  'filters %(url)s. Got %(code)d: %(text)s.',
                  {'url': url, 'code': resp.status_code, 'text': resp.text})
        return None, None, None

    def claim_resources(self, context, consumer_uuid, alloc_request, project_id, user_id,
                        allocation_request_version=None, consumer_generation=None):
        """Write ``alloc_request`` for a consumer; False when it no longer fits.

        A new consumer is claimed with ``consumer_generation=None``.  A
        Placement-side concurrent update (another writer bumped a provider
        generation) is retried; a capacity conflict is not.
        """
        version = _max_version(allocation_request_version, CLAIM_VERSION)
        payload = {'allocations': {
            rp: {'resources': dict(alloc['resources'])}
            for rp, alloc in alloc_request['allocations'].items()}}
        if alloc_request.get('mappings'):
            payload['mappings'] = alloc_request['mappings']
        payload.update(project_id=project_id, user_id=user_id,
                       consumer_generation=consumer_generation, consumer_type='INSTANCE')
        return self._put_allocations_retrying(context, consumer_uuid, payload, version)

    def put_allocations(self, context, consumer_uuid, payload, version=CLAIM_VERSION):
        """PUT a complete allocations body (allocations, project/user, generation)."""
        return self._put_allocations_retrying(context, consumer_uuid, payload, version)

    def _put_allocations_retrying(self, context, consumer_uuid, payload, version):
        url = '/allocations/%s' % consumer_uuid
        for _attempt in range(_GENERATION_RETRIES):
            resp = self.put(url, payload, version=version,
                            global_request_id=self._rid(context))
            if resp.status_code == 204:
                return True
            if resp.status_code == 409:
                if _error_code(resp) == 'placement.concurrent_update':
                    if 'consumer generation conflict' in resp.text:
                        # Someone else wrote this consumer's allocations: the
                        # caller has to re-read them, a retry cannot help.
                        raise exception.AllocationUpdateFailed(consumer_uuid=consumer_uuid,
                                                               error=resp.text)
                    LOG.debug('Concurrent provider update while claiming for %s; retrying',
                              consumer_uuid)
                    # Writers racing for one provider: spread the retries out.
                    time.sleep(random.uniform(0, 0.01 * (_attempt + 1)))
                    continue
                LOG.warning('Unable to submit allocation for instance %(uuid)s '
                            '(%(code)d %(text)s)',
                            {'uuid': consumer_uuid, 'code': resp.status_code,
                             'text': resp.text})
                return False
            LOG.warning('Unable to submit allocation for instance %(uuid)s (%(code)d %(text)s)',
                        {'uuid': consumer_uuid, 'code': resp.status_code, 'text': resp.text})
            return False
        return False

    def move_allocations(self, context, source_uuid, target_uuid, source_type='INSTANCE',
                         target_type='MIGRATION'):
        """Hand everything ``source_uuid`` holds to ``target_uuid`` in one atomic POST.

        What the target held before is replaced; the source is left with
        nothing. True when moved (also when the source held nothing and the
        target is left as it was), False when Placement refused.
        """
        for _attempt in range(_GENERATION_RETRIES):
            source = self.get_allocs_for_consumer(context, source_uuid)
            if not source.get('allocations'):
                return True
            target = self.get_allocs_for_consumer(context, target_uuid)
            moved = {rp: {'resources': dict(alloc['resources'])}
                     for rp, alloc in source['allocations'].items()}
            body = {
                source_uuid: {'allocations': {}, 'project_id': source['project_id'],
                              'user_id': source['user_id'],
                              'consumer_generation': source.get('consumer_generation'),
                              'consumer_type': source_type},
                target_uuid: {'allocations': moved, 'project_id': source['project_id'],
                              'user_id': source['user_id'],
                              'consumer_generation': target.get('consumer_generation'),
                              'consumer_type': target_type},
            }
            resp = self.post('/allocations', body, version=CLAIM_VERSION,
                             global_request_id=self._rid(context))
            if resp.status_code == 204:
                return True
            if resp.status_code == 409 and _error_code(resp) == 'placement.concurrent_update':
                time.sleep(random.uniform(0, 0.01 * (_attempt + 1)))
                continue
            LOG.warning('Unable to move the allocations of %(src)s to %(dst)s: %(code)d '
                        '%(text)s', {'src': source_uuid, 'dst': target_uuid,
                                     'code': resp.status_code, 'text': resp.text})
            return False
        return False

    def get_allocs_for_consumer(self, context, consumer_uuid):
        """The consumer's whole allocations body (allocations, generation, project, user)."""
        resp = self.get('/allocations/%s' % consumer_uuid, version=CLAIM_VERSION,
                        global_request_id=self._rid(context))
        if resp.status_code != 200:
            raise exception.ConsumerAllocationRetrievalFailed(consumer_uuid=consumer_uuid,
                                                              error=resp.text)
        return resp.json()

    def get_allocations_for_consumer(self, context, consumer_uuid):
        """``{rp_uuid: {'resources': {...}, 'generation': N}}`` (empty when none)."""
        return self.get_allocs_for_consumer(context, consumer_uuid)['allocations']

    def delete_allocation_for_instance(self, context, uuid, consumer_type='instance'):
        """Free everything ``uuid`` holds; True if gone (also when it held nothing).

        Never raises: a Placement that cannot be reached (already logged) or
        refuses gives False, and the leftover allocation is healed later.
        """
        try:
            resp = self.delete('/allocations/%s' % uuid, global_request_id=self._rid(context))
        except exception.PlacementAPIConnectFailure:
            return False
        except ks_exc.ClientException as exc:
            # Placement not configured (or its endpoint not found): same as down.
            LOG.warning('Could not free the allocation of %(type)s %(uuid)s: %(error)s',
                        {'type': consumer_type, 'uuid': uuid, 'error': exc})
            return False
        if resp.status_code == 204:
            LOG.info('Deleted allocation for %(type)s %(uuid)s',
                     {'type': consumer_type, 'uuid': uuid})
            return True
        if resp.status_code == 404:
            LOG.debug('No allocations to delete for %s', uuid)
            return True
        LOG.warning('Unable to delete allocation for %(type)s %(uuid)s: (%(code)i %(text)s)',
                    {'type': consumer_type, 'uuid': uuid, 'code': resp.status_code,
                     'text': resp.text})
        return False

    def get_allocations_for_resource_provider(self, context, rp_uuid):
        """``{consumer_uuid: {'resources': {...}}}`` held against one provider."""
        resp = self.get('/resource_providers/%s/allocations' % rp_uuid,
                        global_request_id=self._rid(context))
        if resp.status_code != 200:
            raise exception.ResourceProviderAllocationRetrievalFailed(rp_uuid=rp_uuid,
                                                                      error=resp.text)
        return resp.json()['allocations']

    def get_resource_providers(self, context, uuid=None):
        """Every resource provider (or the one with ``uuid``), roots included.

        Microversion 1.14 so that each carries its ``root_provider_uuid``.
        """
        url = '/resource_providers'
        if uuid:
            url += '?uuid=%s' % uuid
        resp = self.get(url, version=PROVIDER_TREE_VERSION,
                        global_request_id=self._rid(context))
        if resp.status_code != 200:
            raise exception.ResourceProviderRetrievalFailed(uuid=uuid or '*')
        return resp.json()['resource_providers']

    def get_provider_usages(self, context, rp_uuid):
        """``{resource_class: used}`` of one provider."""
        resp = self.get('/resource_providers/%s/usages' % rp_uuid,
                        global_request_id=self._rid(context))
        if resp.status_code != 200:
            raise exception.ResourceProviderRetrievalFailed(uuid=rp_uuid)
        return resp.json()['usages']

    get_usages = get_provider_usages

    def get_usages_counts_for_quota(self, context, project_id, user_id=None):
        """``instances``, ``cores`` and ``ram`` a project (or one of its users) holds.

        ``cores`` and ``ram`` add up every allocation of the project, whatever
        its consumer type: a server in VERIFY_RESIZE holds its old flavor (on
        the migration's consumer) and its new one, and both count, as upstream
        documents for ``[quota] count_usage_from_placement``. ``instances`` is
        the number of INSTANCE consumers (quota itself counts instance
        mappings instead).
        """
        url = '/usages?project_id=%s' % project_id
        if user_id:
            url += '&user_id=%s' % user_id
        try:
            resp = self.get(url, version=USAGES_VERSION,
                            global_request_id=self._rid(context))
        except exception.PlacementAPIConnectFailure:
            raise exception.UsagesRetrievalFailed(project_id=project_id, user_id=user_id)
        if resp.status_code != 200:
            LOG.error('Failed to retrieve usages from placement for project %(project)s '
                      'and user %(user)s: %(code)s %(text)s',
                      {'project': project_id, 'user': user_id,
                       'code': resp.status_code, 'text': resp.text})
            raise exception.UsagesRetrievalFailed(project_id=project_id, user_id=user_id)
        by_type = resp.json()['usages']
        total = {'instances': by_type.get('INSTANCE', {}).get('consumer_count', 0),
                 'cores': 0, 'ram': 0}
        for usages in by_type.values():
            total['cores'] += usages.get('VCPU', 0) + usages.get('PCPU', 0)
            total['ram'] += usages.get('MEMORY_MB', 0)
        return total

    # --- provider aggregates (mirrors of host aggregates) ---------------------------

    def get_provider_aggregates(self, context, rp_uuid):
        """``(set of aggregate uuids, generation)`` of one provider."""
        resp = self.get('/resource_providers/%s/aggregates' % rp_uuid,
                        global_request_id=self._rid(context))
        if resp.status_code != 200:
            raise exception.ResourceProviderRetrievalFailed(uuid=rp_uuid)
        body = resp.json()
        return set(body['aggregates']), body['resource_provider_generation']

    def _change_provider_aggregates(self, context, rp_uuid, change):
        """Apply ``change(set) -> set`` to a provider's aggregates, re-reading on conflicts."""
        url = '/resource_providers/%s/aggregates' % rp_uuid
        for _attempt in range(_GENERATION_RETRIES):
            current, generation = self.get_provider_aggregates(context, rp_uuid)
            wanted = change(set(current))
            if wanted == current:
                return
            payload = {'aggregates': sorted(wanted),
                       'resource_provider_generation': generation}
            resp = self.put(url, payload, global_request_id=self._rid(context))
            if resp.status_code == 200:
                return
            if resp.status_code == 409:
                LOG.debug('Generation conflict on aggregates of provider %s; retrying',
                          rp_uuid)
                time.sleep(random.uniform(0, 0.05))
                continue
            raise exception.ResourceProviderUpdateFailed(url=url, error=resp.text)
        raise exception.ResourceProviderUpdateConflict(uuid=rp_uuid, generation=generation,
                                                       error='too many generation conflicts')

    def aggregate_add_host(self, context, agg_uuid, rp_uuid):
        """Make provider ``rp_uuid`` a member of placement aggregate ``agg_uuid``."""
        self._change_provider_aggregates(context, rp_uuid, lambda aggs: aggs | {agg_uuid})

    def aggregate_remove_host(self, context, agg_uuid, rp_uuid):
        """Drop provider ``rp_uuid`` from placement aggregate ``agg_uuid``."""
        self._change_provider_aggregates(context, rp_uuid, lambda aggs: aggs - {agg_uuid})

    def change_provider_trait(self, context, rp_uuid, trait, present):
        """Add (``present``) or remove one trait, keeping the provider's others."""
        for _attempt in range(_GENERATION_RETRIES):
            body = self.get_traits(context, rp_uuid)
            traits = set(body['traits'])
            wanted = traits | {trait} if present else traits - {trait}
            if wanted == traits:
                return
            url = '/resource_providers/%s/traits' % rp_uuid
            resp = self.put(url, {'traits': sorted(wanted),
                                  'resource_provider_generation':
                                      body['resource_provider_generation']},
                            global_request_id=self._rid(context))
            if resp.status_code == 200:
                return
            if resp.status_code != 409:
                raise exception.ResourceProviderUpdateFailed(url=url, error=resp.text)
        raise exception.ResourceProviderUpdateConflict(uuid=rp_uuid, generation=None,
                                                       error='too many generation conflicts')


def _max_version(a, b):
    if not a:
        return b
    as_tuple = [tuple(int(p) for p in v.split('.')) for v in (a, b)]
    return a if as_tuple[0] >= as_tuple[1] else b


def _error_code(resp):
    try:
        return resp.json()['errors'][0].get('code')
    except (ValueError, KeyError, IndexError, TypeError):
        return None
