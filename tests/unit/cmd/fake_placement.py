"""An in-memory stand-in for Placement's report client in the nova-manage placement
tests (allocations by consumer, aggregates by provider, kept in dicts); the
functional tests use the real Placement."""



from nova import exception


MISSING = '11111111-2222-3333-4444-555555555555'


RP1 = 'aaaaaaaa-0000-4000-8000-000000000001'


class FakePlacement:
    """Allocations by consumer and aggregates by provider, kept in dicts."""

    def __init__(self):
        self.allocations = {}  # consumer -> GET /allocations/{consumer} body
        self.aggregates = {}  # provider -> set of aggregate uuids
        self.puts = []
        self.put_result = True
        self.delete_result = True
        self.broken_providers = set()

    def add(self, consumer, provider, resources, project='project', user='user'):
        body = self.allocations.setdefault(consumer, {
            'allocations': {}, 'project_id': project, 'user_id': user,
            'consumer_generation': 1, 'consumer_type': 'INSTANCE'})
        body['allocations'][provider] = {'resources': resources, 'generation': 3}

    def get_allocs_for_consumer(self, ctxt, consumer):
        return self.allocations.get(consumer, {'allocations': {}})

    def put_allocations(self, ctxt, consumer, body):
        self.puts.append((consumer, body))
        if self.put_result:
            self.allocations[consumer] = body
        return self.put_result

    def delete_allocation_for_instance(self, ctxt, consumer, consumer_type='instance'):
        if self.delete_result:
            self.allocations.pop(consumer, None)
        return self.delete_result

    def get_allocations_for_resource_provider(self, ctxt, provider):
        if provider in self.broken_providers:
            raise exception.ResourceProviderAllocationRetrievalFailed(rp_uuid=provider,
                                                                      error='boom')
        return {consumer: {'resources': body['allocations'][provider]['resources']}
                for consumer, body in self.allocations.items()
                if provider in body['allocations']}

    def get_resource_providers(self, ctxt, uuid=None):
        return [{'uuid': rp, 'root_provider_uuid': rp} for rp in self.aggregates
                if uuid in (None, rp)]

    def get_provider(self, ctxt, rp_uuid):
        return {'uuid': rp_uuid} if rp_uuid in self.aggregates else None

    def aggregate_add_host(self, ctxt, agg_uuid, rp_uuid):
        if rp_uuid not in self.aggregates:
            raise exception.ResourceProviderRetrievalFailed(uuid=rp_uuid)
        self.aggregates[rp_uuid].add(agg_uuid)
