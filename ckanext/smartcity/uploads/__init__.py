"""Uploaded tables into the DataStore, like harvested ones.

* :mod:`.hooks` — after a dataset write, queues each new CSV/XLSX upload of a city dataset
  (status ``queued``; the job is enqueued once the write has committed);
* :mod:`.loader` — the job on CKAN's jobs worker: read, privacy gate, types, dictionary,
  build-and-swap into the DataStore, previews;
* :mod:`.status` — the load record per resource (``task_status``), read by the
  ``smartcity_upload_status`` action and the resource page
  (:mod:`ckanext.smartcity.web.upload_status`);
* :mod:`ckanext.smartcity.privacy.dictionary` — column ids and vi/en labels from the
  header (glossary ``privacy/data/columns.yaml``);
* :mod:`.cli` — ``ckan smartcity uploads load|status``.
"""
