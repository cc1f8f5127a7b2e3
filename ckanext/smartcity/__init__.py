"""ckanext-smartcity: open-data portal extension for a Vietnamese smart city."""
