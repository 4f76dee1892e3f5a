"""Field types for objects: oslo's generic ones plus the project's enums."""

from oslo_versionedobjects import fields as ovo_fields

# Re-export oslo's field classes so objects import one module only.
Field = ovo_fields.Field
FieldType = ovo_fields.FieldType
BooleanField = ovo_fields.BooleanField
IntegerField = ovo_fields.IntegerField
NonNegativeIntegerField = ovo_fields.NonNegativeIntegerField
FloatField = ovo_fields.FloatField
NonNegativeFloatField = ovo_fields.NonNegativeFloatField
StringField = ovo_fields.StringField
SensitiveStringField = ovo_fields.SensitiveStringField
UUIDField = ovo_fields.UUIDField
DateTimeField = ovo_fields.DateTimeField
DictOfStringsField = ovo_fields.DictOfStringsField
DictOfNullableStringsField = ovo_fields.DictOfNullableStringsField
DictOfIntegersField = ovo_fields.DictOfIntegersField
ListOfStringsField = ovo_fields.ListOfStringsField
ListOfIntegersField = ovo_fields.ListOfIntegersField
ListOfDictOfNullableStringsField = ovo_fields.ListOfDictOfNullableStringsField
SetOfIntegersField = ovo_fields.SetOfIntegersField
ObjectField = ovo_fields.ObjectField
ListOfObjectsField = ovo_fields.ListOfObjectsField
IPAddressField = ovo_fields.IPAddressField
IPV4AddressField = ovo_fields.IPV4AddressField
IPV6AddressField = ovo_fields.IPV6AddressField
FlexibleBooleanField = ovo_fields.FlexibleBooleanField
Enum = ovo_fields.Enum
BaseEnumField = ovo_fields.BaseEnumField
EnumField = ovo_fields.EnumField


class VMState(Enum):
    ACTIVE = 'active'
    BUILDING = 'building'
    PAUSED = 'paused'
    SUSPENDED = 'suspended'
    STOPPED = 'stopped'
    RESCUED = 'rescued'
    RESIZED = 'resized'
    SOFT_DELETED = 'soft-delete'
    DELETED = 'deleted'
    ERROR = 'error'
    SHELVED = 'shelved'
    SHELVED_OFFLOADED = 'shelved_offloaded'
    ALL = (ACTIVE, BUILDING, PAUSED, SUSPENDED, STOPPED, RESCUED, RESIZED,
           SOFT_DELETED, DELETED, ERROR, SHELVED, SHELVED_OFFLOADED)

    def __init__(self):
        super().__init__(valid_values=VMState.ALL)


class VMStateField(BaseEnumField):
    AUTO_TYPE = VMState()


class HostStatus(Enum):
    UP = 'UP'
    DOWN = 'DOWN'
    MAINTENANCE = 'MAINTENANCE'
    UNKNOWN = 'UNKNOWN'
    NONE = ''
    ALL = (UP, DOWN, MAINTENANCE, UNKNOWN, NONE)

    def __init__(self):
        super().__init__(valid_values=HostStatus.ALL)


class HostStatusField(BaseEnumField):
    AUTO_TYPE = HostStatus()


class MigrationType(Enum):
    MIGRATION = 'migration'
    RESIZE = 'resize'
    LIVE_MIGRATION = 'live-migration'
    EVACUATION = 'evacuation'
    ALL = (MIGRATION, RESIZE, LIVE_MIGRATION, EVACUATION)

    def __init__(self):
        super().__init__(valid_values=MigrationType.ALL)


class MigrationTypeField(BaseEnumField):
    AUTO_TYPE = MigrationType()
