"""Quota limits in the API DB (per project, per user, per class).

Only the storage of limits lives here; counting usage and enforcing limits
belongs to the quota engine built on top of it.
"""

import sqlalchemy as sa
from oslo_db import exception as db_exc

from nova.db.api import engine as api_engine
from nova.db.api import models as api_models
from nova import exception
from nova.objects import base
from nova.objects import fields


@api_engine.writer
def _create_limit(context, project_id, resource, limit, user_id=None):
    if user_id:
        row = api_models.ProjectUserQuota(project_id=project_id, user_id=user_id,
                                          resource=resource, hard_limit=limit)
    else:
        row = api_models.Quota(project_id=project_id, resource=resource, hard_limit=limit)
    context.session.add(row)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.QuotaExists(project_id=project_id, resource=resource)


@api_engine.writer
def _update_limit(context, project_id, resource, limit, user_id=None):
    if user_id:
        model = api_models.ProjectUserQuota
        where = (model.project_id == project_id, model.user_id == user_id,
                 model.resource == resource)
    else:
        model = api_models.Quota
        where = (model.project_id == project_id, model.resource == resource)
    result = context.session.execute(sa.update(model).where(*where).values(hard_limit=limit))
    if not result.rowcount:
        if user_id:
            raise exception.ProjectUserQuotaNotFound(project_id=project_id, user_id=user_id)
        raise exception.ProjectQuotaNotFound(project_id=project_id)


@api_engine.writer
def _create_class(context, class_name, resource, limit):
    context.session.add(api_models.QuotaClass(class_name=class_name, resource=resource,
                                              hard_limit=limit))


@api_engine.writer
def _update_class(context, class_name, resource, limit):
    model = api_models.QuotaClass
    result = context.session.execute(sa.update(model).where(
        model.class_name == class_name, model.resource == resource).values(hard_limit=limit))
    if not result.rowcount:
        raise exception.QuotaClassNotFound(class_name=class_name)


@api_engine.writer
def _destroy_all_by_project(context, project_id, user_id=None):
    user_quota = api_models.ProjectUserQuota
    query = sa.delete(user_quota).where(user_quota.project_id == project_id)
    if user_id:
        query = query.where(user_quota.user_id == user_id)
    deleted = context.session.execute(query).rowcount
    if not user_id:
        deleted += context.session.execute(sa.delete(api_models.Quota).where(
            api_models.Quota.project_id == project_id)).rowcount
    if not deleted:
        raise exception.ProjectQuotaNotFound(project_id=project_id)


@api_engine.reader
def _get_limits(context, project_id, user_id=None):
    rows = context.session.scalars(sa.select(api_models.Quota).where(
        api_models.Quota.project_id == project_id)).all()
    limits = {'project_id': project_id}
    limits.update({row.resource: row.hard_limit for row in rows})
    if user_id:
        user_quota = api_models.ProjectUserQuota
        for row in context.session.scalars(sa.select(user_quota).where(
                user_quota.project_id == project_id, user_quota.user_id == user_id)):
            limits[row.resource] = row.hard_limit
    return limits


@api_engine.reader
def _get_class(context, class_name):
    model = api_models.QuotaClass
    rows = context.session.scalars(sa.select(model).where(model.class_name == class_name))
    values = {'class_name': class_name}
    values.update({row.resource: row.hard_limit for row in rows})
    return values


@base.NovaObjectRegistry.register
class Quotas(base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        # Kept for the shape of upstream's object; reservations no longer exist.
        'reservations': fields.ListOfStringsField(nullable=True, default=[]),
        'project_id': fields.StringField(nullable=True, default=None),
        'user_id': fields.StringField(nullable=True, default=None),
    }

    @classmethod
    @base.remotable
    def create_limit(cls, context, project_id, resource, limit, user_id=None):
        _create_limit(context, project_id, resource, limit, user_id=user_id)

    @classmethod
    @base.remotable
    def update_limit(cls, context, project_id, resource, limit, user_id=None):
        _update_limit(context, project_id, resource, limit, user_id=user_id)

    @classmethod
    @base.remotable
    def create_class(cls, context, class_name, resource, limit):
        _create_class(context, class_name, resource, limit)

    @classmethod
    @base.remotable
    def update_class(cls, context, class_name, resource, limit):
        _update_class(context, class_name, resource, limit)

    @classmethod
    @base.remotable
    def destroy_all_by_project_and_user(cls, context, project_id, user_id):
        _destroy_all_by_project(context, project_id, user_id=user_id)

    @classmethod
    @base.remotable
    def destroy_all_by_project(cls, context, project_id):
        _destroy_all_by_project(context, project_id)

    @classmethod
    def get_all_by_project(cls, context, project_id):
        """Project limits set explicitly: {'project_id': ..., resource: limit}."""
        return _get_limits(context, project_id)

    @classmethod
    def get_all_by_project_and_user(cls, context, project_id, user_id):
        """Project limits overlaid with the user's own limits."""
        return _get_limits(context, project_id, user_id)

    @classmethod
    def get_all_class_by_name(cls, context, class_name):
        return _get_class(context, class_name)
