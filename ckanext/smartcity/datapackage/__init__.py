"""Frictionless Data Packages of the portal's datasets.

* :mod:`.descriptor` — ``datapackage.json`` from a dataset and its DataStore data
  dictionaries (pure: no CKAN imports).
* :mod:`.views` — ``/dataset/<id>/datapackage.json`` (the descriptor, its tables linked
  to the DataStore dumps) and ``/dataset/<id>/datapackage.zip`` (the descriptor and every
  table as CSV, as published: suppressed cells empty).
"""
