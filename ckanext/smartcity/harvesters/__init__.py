"""Harvester plugins ``smartcity_sql``, ``smartcity_api`` and ``smartcity_file``.

:mod:`.base` holds the shared gather/fetch/import; each plugin module only binds a
reader from :data:`ckanext.smartcity.readers.REGISTRY` to a plugin class.
"""
