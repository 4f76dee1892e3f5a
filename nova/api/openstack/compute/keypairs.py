"""``/os-keypairs``: import or generate SSH (and x509) key pairs per user."""

import webob.exc

import nova.conf
from nova.api.openstack import common
from nova.api.openstack.compute.schemas import keypairs as schema
from nova.api.openstack.compute.views import keypairs as keypairs_view
from nova.api.openstack import wsgi
from nova.api import validation
from nova.compute import utils as compute_utils
from nova import crypto
from nova import exception
from nova import objects
from nova import quota

CONF = nova.conf.CONF


class KeypairController(wsgi.Controller):

    def _user_id(self, req, action, query_user=True):
        """The target user: the caller, or (2.10+, with policy) ``user_id``."""
        context = req.environ['nova.context']
        user_id = context.user_id
        if query_user and req.api_version_request >= '2.10':
            user_id = req.GET.get('user_id') or user_id
        context.can('os_compute_api:os-keypairs:%s' % action,
                    target={'user_id': user_id})
        return user_id

    @validation.schema(schema.create, '2.0', '2.1')
    @validation.schema(schema.create_v22, '2.2', '2.9')
    @validation.schema(schema.create_v210, '2.10', '2.91')
    @validation.schema(schema.create_v292, '2.92')
    @wsgi.expected_errors((400, 403, 409))
    def create(self, req, body):
        context = req.environ['nova.context']
        params = body['keypair']
        version = req.api_version_request
        key_type = params.get('type', objects.keypair.KEYPAIR_TYPE_SSH)
        user_id = context.user_id
        if version >= '2.10' and params.get('user_id'):
            user_id = params['user_id']
        context.can('os_compute_api:os-keypairs:create', target={'user_id': user_id})
        try:
            quota.check_key_pairs(context, context.project_id, user_id)
        except exception.KeypairLimitExceeded:
            raise webob.exc.HTTPForbidden(explanation='Quota exceeded, too many key pairs.')
        private_key = None
        try:
            public_key = params.get('public_key')
            if public_key is None:
                if key_type == objects.keypair.KEYPAIR_TYPE_X509:
                    private_key, public_key, fingerprint = crypto.generate_winrm_x509_cert(
                        user_id)
                else:
                    private_key, public_key, fingerprint = crypto.generate_key_pair()
            elif key_type == objects.keypair.KEYPAIR_TYPE_X509:
                fingerprint = crypto.generate_x509_fingerprint(public_key)
            else:
                fingerprint = crypto.generate_fingerprint(public_key)
            keypair = objects.KeyPair(context=context, name=params['name'], user_id=user_id,
                                      public_key=public_key, fingerprint=fingerprint,
                                      type=key_type)
            # Upstream's event names: 'import' when the user gave the public key.
            action = 'create' if private_key is not None else 'import'
            compute_utils.notify_about_keypair_action(context, keypair, action, 'start')
            keypair.create()
            compute_utils.notify_about_keypair_action(context, keypair, action, 'end')
        except exception.InvalidKeypair as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        except exception.KeyPairExists as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        result = {'keypair': keypairs_view.keypair(req, keypair, private_key)}
        result['keypair']['user_id'] = user_id
        return wsgi.ResponseObject(result, code=201 if version >= '2.2' else 200)

    @validation.query_schema(schema.index_query_v235, '2.35')
    @validation.query_schema(schema.index_query_v210, '2.10', '2.34')
    @wsgi.expected_errors((400,))
    def index(self, req):
        context = req.environ['nova.context']
        user_id = self._user_id(req, 'index')
        limit = marker = None
        if req.api_version_request >= '2.35':
            limit, marker = common.get_limit_and_marker(req)
            if 'limit' not in req.GET:
                limit = None
        try:
            keypairs = objects.KeyPairList.get_by_user(context, user_id, limit=limit,
                                                       marker=marker)
        except exception.MarkerNotFound as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        body = {'keypairs': [{'keypair': keypairs_view.keypair(req, k)} for k in keypairs]}
        if req.api_version_request >= '2.35' and limit and len(keypairs) == limit:
            view = common.ViewBuilder()
            body['keypairs_links'] = [{
                'rel': 'next',
                'href': view._get_next_link(req, keypairs[-1].name, 'os-keypairs')}]
        return body

    @validation.query_schema(schema.show_query_v210, '2.10')
    @wsgi.expected_errors(404)
    def show(self, req, id):
        context = req.environ['nova.context']
        user_id = self._user_id(req, 'show')
        try:
            keypair = objects.KeyPair.get_by_name(context, user_id, id)
        except exception.KeypairNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        return {'keypair': keypairs_view.keypair(req, keypair, full=True)}

    @validation.query_schema(schema.show_query_v210, '2.10')
    @wsgi.expected_errors(404)
    def delete(self, req, id):
        context = req.environ['nova.context']
        user_id = self._user_id(req, 'delete')
        try:
            keypair = objects.KeyPair.get_by_name(context, user_id, id)
            compute_utils.notify_about_keypair_action(context, keypair, 'delete', 'start')
            objects.KeyPair.destroy_by_name(context, user_id, id)
            compute_utils.notify_about_keypair_action(context, keypair, 'delete', 'end')
        except exception.KeypairNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        return wsgi.ResponseObject(None, code=204 if req.api_version_request >= '2.2' else 202)
