"""DCAT-AP 3 output of the portal: the RDF profile (profile.py), the EU vocabulary mappings
(vocab.py), SHACL validation against the SEMIC shapes (shacl.py) and the type-named
dataset URLs (views.py)."""
