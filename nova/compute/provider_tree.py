"""The compute host's picture of its Placement resource providers.

Drivers edit this picture (inventory, traits); the report client sends only
what changed, keyed by provider generation, so Placement stays the authority.
"""

import copy
import threading


class ProviderData(object):
    def __init__(self, uuid, name, generation=None, parent_uuid=None):
        self.uuid = uuid
        self.name = name
        self.generation = generation
        self.parent_uuid = parent_uuid
        self.inventory = {}
        self.traits = set()
        self.aggregates = set()
        self.compute_node = None


class ProviderTree(object):
    def __init__(self):
        self._lock = threading.Lock()
        self._providers = {}
        self._uuid_by_name = {}

    def _find(self, name_or_uuid):
        # By key, not by scanning: a host with many nodes (a fake-driver fleet,
        # an Ironic conductor) looks its providers up once per node per period.
        provider = self._providers.get(name_or_uuid)
        if provider is None:
            provider = self._providers.get(self._uuid_by_name.get(name_or_uuid))
        if provider is None:
            raise ValueError('No such provider %s' % name_or_uuid)
        return provider

    def exists(self, name_or_uuid):
        with self._lock:
            try:
                self._find(name_or_uuid)
                return True
            except ValueError:
                return False

    def new_root(self, name, uuid, generation=None):
        with self._lock:
            provider = ProviderData(uuid, name, generation)
            self._providers[uuid] = provider
            self._uuid_by_name[name] = uuid
            return provider

    def remove(self, name_or_uuid):
        with self._lock:
            provider = self._find(name_or_uuid)
            del self._providers[provider.uuid]
            if self._uuid_by_name.get(provider.name) == provider.uuid:
                del self._uuid_by_name[provider.name]

    def data(self, name_or_uuid):
        """A copy of one provider's data, safe to read without the lock.

        Inventory, traits and aggregates are copies; ``compute_node`` is the
        tracker's own record, handed over as it is (copying a versioned
        object per provider per period is what made a many-node host slow).
        """
        with self._lock:
            provider = self._find(name_or_uuid)
            copied = ProviderData(provider.uuid, provider.name, provider.generation,
                                  provider.parent_uuid)
            copied.inventory = copy.deepcopy(provider.inventory)
            copied.traits = set(provider.traits)
            copied.aggregates = set(provider.aggregates)
            copied.compute_node = provider.compute_node
            return copied

    def get_provider_uuids(self):
        with self._lock:
            return list(self._providers)

    def update_inventory(self, name_or_uuid, inventory, generation=None):
        """Replace a provider's inventory; True if it differs from before."""
        with self._lock:
            provider = self._find(name_or_uuid)
            if generation is not None:
                provider.generation = generation
            changed = provider.inventory != inventory
            provider.inventory = copy.deepcopy(inventory)
            return changed

    def update_traits(self, name_or_uuid, traits, generation=None):
        with self._lock:
            provider = self._find(name_or_uuid)
            if generation is not None:
                provider.generation = generation
            changed = provider.traits != set(traits)
            provider.traits = set(traits)
            return changed

    def set_generation(self, name_or_uuid, generation):
        with self._lock:
            self._find(name_or_uuid).generation = generation

    def set_compute_node(self, name_or_uuid, compute_node):
        with self._lock:
            self._find(name_or_uuid).compute_node = compute_node
