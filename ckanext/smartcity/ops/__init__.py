"""Running the portal like production: the nginx proxy's config (proxy.py)."""
