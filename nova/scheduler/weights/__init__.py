"""Host weighers: each scores hosts; scores are normalised to [0, 1] per weigher,
multiplied by the weigher's multiplier and summed, and the best host wins.
"""

from nova.scheduler import utils


class WeighedHost(object):
    """A host with the sum of its weights."""

    def __init__(self, obj, weight):
        self.obj = obj
        self.weight = weight

    def __repr__(self):
        return '<WeighedHost %s: %s>' % (self.obj, self.weight)


class BaseHostWeigher(object):
    """Scores hosts; bigger is better before the multiplier is applied."""

    abstract = True
    # Fixed bounds for normalisation; None means "the min/max seen this time".
    minval = None
    maxval = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.abstract = cls.__dict__.get('abstract', False)

    # True when weight_multiplier depends only on the host's aggregates (and
    # the configuration): every host outside an aggregate then gets the same
    # multiplier, worked out once per request instead of once per host.
    multiplier_from_aggregates = False

    def weight_multiplier(self, host_state):
        return 1.0

    def weight_multipliers(self, host_states):
        """The multiplier of each host, in order."""
        if not self.multiplier_from_aggregates:
            return [self.weight_multiplier(h) for h in host_states]
        plain = next((h for h in host_states if not getattr(h, 'aggregates', None)), None)
        shared = self.weight_multiplier(plain) if plain is not None else None
        return [self.weight_multiplier(h) if getattr(h, 'aggregates', None) else shared
                for h in host_states]

    def _weigh_object(self, host_state, weight_properties):
        raise NotImplementedError()

    def weigh_objects(self, weighed_hosts, weight_properties):
        """Raw scores, one per host; also tracks the extremes for normalising."""
        weights = [self._weigh_object(weighed.obj, weight_properties)
                   for weighed in weighed_hosts]
        if weights:
            low, high = min(weights), max(weights)
            if self.minval is None or low < self.minval:
                self.minval = low
            if self.maxval is None or high > self.maxval:
                self.maxval = high
        return weights


class HostWeightHandler(object):

    def get_weighed_objects(self, weighers, host_states, spec_obj):
        """Hosts wrapped as WeighedHost, best first."""
        weighed = [WeighedHost(host, 0.0) for host in host_states]
        if len(weighed) <= 1:
            return weighed
        hosts = [item.obj for item in weighed]
        totals = [0.0] * len(weighed)
        for weigher in weighers:
            # Bounds are per request; reset what the last call learned.
            weigher.minval = type(weigher).minval
            weigher.maxval = type(weigher).maxval
            raw = weigher.weigh_objects(weighed, spec_obj)
            scaled = utils.normalize(raw, weigher.minval, weigher.maxval)
            multipliers = weigher.weight_multipliers(hosts)
            totals = [total + multiplier * value
                      for total, multiplier, value in zip(totals, multipliers, scaled)]
        for item, total in zip(weighed, totals):
            item.weight = total
        weighed.sort(key=lambda w: w.weight, reverse=True)
        return weighed


def all_weighers():
    """Every host weigher class this project ships."""
    from nova.scheduler import loadables
    return loadables.classes_in_package(__name__, BaseHostWeigher)
