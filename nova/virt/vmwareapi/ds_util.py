"""Files and virtual disks on vCenter datastores.

Directory and file calls go to vCenter's FileManager and VirtualDiskManager
(tasks); file contents move over vCenter's datastore HTTP interface
(``/folder/<path>?dcPath=<datacenter>&dsName=<datastore>``), authenticated
with the session's cookie.
"""

import urllib.parse

from oslo_log import log as logging
import requests

import nova.conf
from nova.virt.vmwareapi import session as vmsession

try:
    from pyVmomi import vim
except ImportError:
    vim = None

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

CHUNK = 1024 * 1024
TRANSFER_TIMEOUT = 600


class DatastoreFiles(object):
    """File operations on the datastores of one datacenter."""

    def __init__(self, session, datacenter, datacenter_name):
        self.session = session
        self.datacenter = datacenter
        self.datacenter_name = datacenter_name

    # --- directories and files --------------------------------------------------
    def mkdir(self, ds_path):
        try:
            self.session.invoke(self.session.service('fileManager'), 'MakeDirectory',
                                name=ds_path, datacenter=self.datacenter,
                                createParentDirectories=True)
        except vmsession.VimFaultError as exc:
            if exc.fault_name != 'FileAlreadyExists':
                raise

    def delete(self, ds_path):
        """Delete a file or a directory tree; a missing one is not an error."""
        try:
            self.session.run_task(self.session.service('fileManager'),
                                  'DeleteDatastoreFile_Task', name=ds_path,
                                  datacenter=self.datacenter)
        except (vmsession.VimTaskError, vmsession.VimFaultError) as exc:
            if exc.fault_name not in ('FileNotFound', 'NotFound'):
                raise
            LOG.debug('%s was already gone', ds_path)

    def move(self, source, dest):
        self.session.run_task(self.session.service('fileManager'), 'MoveDatastoreFile_Task',
                              sourceName=source, sourceDatacenter=self.datacenter,
                              destinationName=dest, destinationDatacenter=self.datacenter,
                              force=False)

    def exists(self, datastore, ds_dir, name):
        """Is there a file ``name`` in directory ``ds_dir`` of ``datastore``?"""
        browser = self.session.props(datastore.ref, ['browser'])['browser']
        spec = vim.host.DatastoreBrowser.SearchSpec(matchPattern=[name])
        try:
            result = self.session.run_task(browser, 'SearchDatastore_Task',
                                           datastorePath=ds_dir, searchSpec=spec)
        except vmsession.VimTaskError as exc:
            if exc.fault_name in ('FileNotFound', 'NotFound'):
                return False
            raise
        return any(f.path == name for f in (result.file or []))

    # --- virtual disks ----------------------------------------------------------------
    def _disk_manager(self):
        return self.session.service('virtualDiskManager')

    def copy_disk(self, source, dest, dest_spec=None):
        self.session.run_task(self._disk_manager(), 'CopyVirtualDisk_Task',
                              sourceName=source, sourceDatacenter=self.datacenter,
                              destName=dest, destDatacenter=self.datacenter,
                              destSpec=dest_spec, force=False)

    def create_disk(self, ds_path, size_kb, adapter_type, disk_type):
        spec = vim.VirtualDiskManager.FileBackedVirtualDiskSpec(
            adapterType=adapter_type, diskType=disk_type, capacityKb=size_kb)
        self.session.run_task(self._disk_manager(), 'CreateVirtualDisk_Task',
                              name=ds_path, datacenter=self.datacenter, spec=spec)

    def extend_disk(self, ds_path, size_kb):
        self.session.run_task(self._disk_manager(), 'ExtendVirtualDisk_Task',
                              name=ds_path, datacenter=self.datacenter,
                              newCapacityKb=size_kb, eagerZero=False)

    # --- contents over HTTP -------------------------------------------------------------
    def _url(self, datastore_name, rel_path):
        query = urllib.parse.urlencode({'dcPath': self.datacenter_name,
                                        'dsName': datastore_name})
        return 'https://%s:%s/folder/%s?%s' % (self.session.host, self.session.port,
                                               urllib.parse.quote(rel_path), query)

    def _http(self, method, datastore_name, rel_path, **kwargs):
        def call(stub, content):
            verify = CONF.vmware.ca_file or not CONF.vmware.insecure
            cookie = stub.cookie.split(';')[0] if stub.cookie else ''
            args = dict(kwargs)
            headers = dict(args.pop('headers', {}), Cookie=cookie)
            if hasattr(args.get('data'), 'seek'):
                args['data'].seek(0)  # a retry sends the whole file again
            resp = requests.request(method, self._url(datastore_name, rel_path),
                                    headers=headers, verify=verify,
                                    timeout=TRANSFER_TIMEOUT, **args)
            if resp.status_code in (401, 403):
                raise vim.fault.NotAuthenticated(msg='datastore %s refused the session'
                                                 % datastore_name)
            return resp
        return self.session._retrying('%s /folder/%s' % (method, rel_path), call)

    def upload(self, datastore_name, rel_path, fileobj, size):
        """Write ``size`` bytes of ``fileobj`` to ``[datastore_name] rel_path``."""
        resp = self._http('PUT', datastore_name, rel_path, data=fileobj,
                          headers={'Content-Length': str(size),
                                   'Content-Type': 'application/octet-stream'})
        if resp.status_code not in (200, 201, 204):
            raise vmsession.VimError('upload to [%s] %s failed: HTTP %d %s' % (
                datastore_name, rel_path, resp.status_code, resp.text[:200]))

    def download(self, datastore_name, rel_path, fileobj):
        """Copy ``[datastore_name] rel_path`` into ``fileobj``; returns the byte count."""
        resp = self._http('GET', datastore_name, rel_path, stream=True)
        if resp.status_code != 200:
            raise vmsession.VimError('download of [%s] %s failed: HTTP %d' % (
                datastore_name, rel_path, resp.status_code))
        size = 0
        try:
            for chunk in resp.iter_content(CHUNK):
                fileobj.write(chunk)
                size += len(chunk)
        finally:
            resp.close()
        return size
