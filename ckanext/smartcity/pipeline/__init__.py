"""The steps a departmental table goes through: read → map → privacy → publish.

``mapping``, ``spool`` and ``validate`` are pure (no CKAN imports) and tested without a
database; ``publish`` and ``datastore`` write to CKAN.
"""
