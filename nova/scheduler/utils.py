"""Turning a RequestSpec into a Placement query, and small helpers the scheduler shares.

``ResourceRequest`` is what ``GET /allocation_candidates`` is built from:
the flavor's VCPU/MEMORY_MB/DISK_GB, overridden or extended by the flavor's
``resources*:`` and ``trait*:`` extra specs and the image's required traits,
plus what the request filters add (aggregates, a tree, forbidden traits).
"""

import collections
import math
import re
from urllib import parse

import os_traits
from oslo_log import log as logging

import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# GET /allocation_candidates: 1.35 root_required, 1.36 same_subtree.
ALLOCATION_CANDIDATES_VERSION = '1.36'

_RESOURCES_KEY = re.compile(r'^resources([1-9][0-9]*|_[-a-zA-Z0-9_]+)?:(.+)$')
_TRAIT_KEY = re.compile(r'^trait([1-9][0-9]*|_[-a-zA-Z0-9_]+)?:(.+)$')
_UNNUMBERED = ''


class RequestGroup(object):
    """One group of resources and traits that a single provider must satisfy."""

    def __init__(self, suffix=_UNNUMBERED):
        self.suffix = suffix
        self.resources = {}
        self.required_traits = set()
        self.forbidden_traits = set()
        self.member_of = []   # each entry: a list of aggregate uuids, any of which

    def is_empty(self):
        return not (self.resources or self.required_traits or self.forbidden_traits
                    or self.member_of)


class ResourceRequest(object):
    """Everything one ``GET /allocation_candidates`` call asks for."""

    placement_version = ALLOCATION_CANDIDATES_VERSION

    def __init__(self):
        self._groups = collections.OrderedDict({_UNNUMBERED: RequestGroup()})
        self.group_policy = None
        self.limit = None
        self.in_tree = None
        self.root_required = set()
        self.root_forbidden = set()

    # --- building ------------------------------------------------------------
    def group(self, suffix=_UNNUMBERED):
        if suffix not in self._groups:
            self._groups[suffix] = RequestGroup(suffix)
        return self._groups[suffix]

    @property
    def unnumbered(self):
        return self._groups[_UNNUMBERED]

    @property
    def groups(self):
        return list(self._groups.values())

    def merged_resources(self):
        """Total amount of each resource class over every group."""
        total = collections.Counter()
        for group in self._groups.values():
            total.update(group.resources)
        return dict(total)

    def require_aggregates(self, aggregate_uuids):
        """Every candidate's root must be in one of ``aggregate_uuids``."""
        self.unnumbered.member_of.append(sorted(aggregate_uuids))

    def forbid_aggregates(self, aggregate_uuids):
        self.unnumbered.member_of.append(['!in:' + ','.join(sorted(aggregate_uuids))])

    # --- rendering -------------------------------------------------------------
    def to_querystring(self):
        """The query string, with parameters in a stable order (easier to log)."""
        params = []

        def traits_param(group):
            values = sorted(group.required_traits) + [
                '!' + t for t in sorted(group.forbidden_traits)]
            return ','.join(values)

        for group in self._groups.values():
            if group.is_empty():
                continue
            suffix = group.suffix
            resources = {rc: n for rc, n in group.resources.items() if n}
            if resources:
                params.append(('resources' + suffix,
                               ','.join('%s:%d' % (rc, resources[rc])
                                        for rc in sorted(resources))))
            if group.required_traits or group.forbidden_traits:
                params.append(('required' + suffix, traits_param(group)))
            for member_of in group.member_of:
                if len(member_of) == 1 and member_of[0].startswith('!'):
                    params.append(('member_of' + suffix, member_of[0]))
                else:
                    params.append(('member_of' + suffix, 'in:' + ','.join(member_of)))
        if self.root_required or self.root_forbidden:
            params.append(('root_required', ','.join(
                sorted(self.root_required) + ['!' + t for t in sorted(self.root_forbidden)])))
        if self.in_tree:
            params.append(('in_tree', self.in_tree))
        numbered = [g for s, g in self._groups.items() if s and g.resources]
        if len(numbered) > 1:
            params.append(('group_policy', self.group_policy or 'none'))
        if self.limit is not None:
            params.append(('limit', str(self.limit)))
        return parse.urlencode(params)


def _ceil_gb(mb):
    return int(math.ceil((mb or 0) / 1024.0))


def resources_from_flavor(flavor, is_bfv=False):
    """``{rc: amount}`` a flavor needs, before its ``resources:`` extra specs.

    Swap is in MB and rounds up to whole GB; a volume-backed server's root
    disk lives in Cinder, so it takes no local DISK_GB for it.
    """
    disk = (0 if is_bfv else flavor.root_gb) + (flavor.ephemeral_gb or 0) + _ceil_gb(
        flavor.swap)
    return {'VCPU': flavor.vcpus, 'MEMORY_MB': flavor.memory_mb, 'DISK_GB': disk}


def _apply_extra_specs(request, extra_specs):
    for key, value in sorted((extra_specs or {}).items()):
        match = _RESOURCES_KEY.match(key)
        if match:
            suffix, rc = match.group(1) or _UNNUMBERED, match.group(2)
            try:
                amount = int(value)
            except (TypeError, ValueError):
                LOG.warning('Ignoring flavor extra spec %s=%s: not an integer', key, value)
                continue
            if amount < 0:
                LOG.warning('Ignoring flavor extra spec %s=%s: negative', key, value)
                continue
            request.group(suffix).resources[rc] = amount
            continue
        match = _TRAIT_KEY.match(key)
        if match:
            suffix, trait = match.group(1) or _UNNUMBERED, match.group(2)
            if value == 'required':
                request.group(suffix).required_traits.add(trait)
            elif value == 'forbidden':
                request.group(suffix).forbidden_traits.add(trait)
            continue
        if key == 'group_policy' and value in ('none', 'isolate'):
            request.group_policy = value


def resources_from_request_spec(spec_obj, enable_pinning_translate=False):
    """The ResourceRequest for ``spec_obj`` (flavor + extra specs + image traits)."""
    flavor = spec_obj.flavor
    is_bfv = bool(spec_obj.obj_attr_is_set('is_bfv') and spec_obj.is_bfv)
    request = ResourceRequest()
    request.unnumbered.resources.update(resources_from_flavor(flavor, is_bfv))
    extra_specs = flavor.extra_specs if flavor.obj_attr_is_set('extra_specs') else {}
    _apply_extra_specs(request, extra_specs)
    image = spec_obj.image if spec_obj.obj_attr_is_set('image') else None
    if image is not None and image.obj_attr_is_set('properties'):
        traits = image.properties.get('traits_required') or []
        request.unnumbered.required_traits.update(traits)
    # Zero amounts are dropped (an extra spec may zero a flavor's amount).
    for group in request.groups:
        group.resources = {rc: n for rc, n in group.resources.items() if n}
    if spec_obj.obj_attr_is_set('requested_destination') and spec_obj.requested_destination:
        dest = spec_obj.requested_destination
        if dest.obj_attr_is_set('aggregates') and dest.aggregates:
            for aggs in dest.aggregates:
                request.require_aggregates(aggs.split(','))
        if dest.obj_attr_is_set('forbidden_aggregates') and dest.forbidden_aggregates:
            request.forbid_aggregates(dest.forbidden_aggregates)
    return request


def compute_status_forbidden(request):
    """Disabled computes carry a trait; keep them out of the candidates."""
    request.root_forbidden.add(os_traits.COMPUTE_STATUS_DISABLED)


# --- weighing helpers ---------------------------------------------------------------

def normalize(values, minval=None, maxval=None):
    """Scale ``values`` into [0, 1]; all-equal values become all zeros."""
    values = list(values)
    if not values:
        return []
    low = min(values) if minval is None else minval
    high = max(values) if maxval is None else maxval
    span = high - low
    if not span:
        return [0.0] * len(values)
    return [(v - low) / float(span) for v in values]


def get_weight_multiplier(host_state, multiplier_name, multiplier_config):
    """A multiplier from the host's aggregates' metadata, else the config value.

    With several aggregates setting it, the smallest wins (the cautious one).
    """
    values = []
    for agg in getattr(host_state, 'aggregates', None) or []:
        raw = agg.metadata.get(multiplier_name)
        if raw is None:
            continue
        try:
            values.append(float(raw))
        except (TypeError, ValueError):
            LOG.warning('Ignoring aggregate %s metadata %s=%r: not a number',
                        getattr(agg, 'name', '?'), multiplier_name, raw)
    return min(values) if values else multiplier_config


def aggregate_values_from_key(host_state, key):
    """Every value the host's aggregates give ``key``, as a set."""
    return {agg.metadata[key] for agg in (getattr(host_state, 'aggregates', None) or [])
            if key in agg.metadata}


def aggregate_metadata_get_by_host(host_state, key=None):
    """``{metadata_key: {values}}`` over the host's aggregates."""
    result = collections.defaultdict(set)
    for agg in getattr(host_state, 'aggregates', None) or []:
        for k, v in agg.metadata.items():
            if key is None or k == key:
                result[k].update(x.strip() for x in str(v).split(','))
    return result
