"""JSON schemas of ``/servers/{id}/tags`` (2.26+)."""

from nova.objects import tag as tag_obj

tag = {
    'type': 'string',
    'minLength': 1,
    'maxLength': tag_obj.MAX_TAG_LENGTH,
    'pattern': '^[^,/]*$',
}

update_all = {
    'type': 'object',
    'properties': {
        'tags': {'type': 'array', 'items': tag,
                 'maxItems': tag_obj.MAX_TAG_COUNT},
    },
    'required': ['tags'],
    'additionalProperties': False,
}
