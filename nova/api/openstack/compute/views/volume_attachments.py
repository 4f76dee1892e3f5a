"""Volume attachments (``/servers/{id}/os-volume_attachments``) as each microversion shows them."""


def attachment(bdm, version):
    """One attachment as the microversion shows it (``id`` until 2.88, the BDM's ids from 2.89)."""
    body = {'volumeId': bdm.volume_id, 'serverId': bdm.instance_uuid}
    if version < '2.89':
        body['id'] = bdm.volume_id
    if bdm.device_name:
        body['device'] = bdm.device_name
    if version >= '2.70':
        body['tag'] = bdm.tag
    if version >= '2.79':
        body['delete_on_termination'] = bool(bdm.delete_on_termination)
    if version >= '2.89':
        body['attachment_id'] = bdm.attachment_id
        body['bdm_uuid'] = bdm.uuid
    return body
