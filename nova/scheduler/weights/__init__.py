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

    def weight_multiplier(self, host_state):
        return 1.0

    def _weigh_object(self, host_state, weight_properties):
        raise NotImplementedError()

    def weigh_objects(self, weighed_hosts, weight_properties):
        """Raw scores, one per host; also tracks the extremes for normalising."""
        weights = []
        for weighed in weighed_hosts:
            weight = self._weigh_object(weighed.obj, weight_properties)
            if self.minval is None or weight < self.minval:
                self.minval = weight
            if self.maxval is None or weight > self.maxval:
                self.maxval = weight
            weights.append(weight)
        return weights


class HostWeightHandler(object):

    def get_weighed_objects(self, weighers, host_states, spec_obj):
        """Hosts wrapped as WeighedHost, best first."""
        weighed = [WeighedHost(host, 0.0) for host in host_states]
        if len(weighed) <= 1:
            return weighed
        for weigher in weighers:
            # Bounds are per request; reset what the last call learned.
            weigher.minval = type(weigher).minval
            weigher.maxval = type(weigher).maxval
            raw = weigher.weigh_objects(weighed, spec_obj)
            scaled = utils.normalize(raw, weigher.minval, weigher.maxval)
            for item, value in zip(weighed, scaled):
                item.weight += weigher.weight_multiplier(item.obj) * value
        weighed.sort(key=lambda w: w.weight, reverse=True)
        return weighed


def all_weighers():
    """Every host weigher class this project ships."""
    from nova.scheduler import loadables
    return loadables.classes_in_package(__name__, BaseHostWeigher)
