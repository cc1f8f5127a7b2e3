from setuptools import find_namespace_packages, setup

setup(
    name="ckanext-smartcity",
    version="0.1.0",
    description="Open-data portal for a Vietnamese smart city (CKAN 2.12 extension)",
    license="AGPL-3.0-or-later",
    python_requires=">=3.11",
    packages=find_namespace_packages(include=["ckanext", "ckanext.*"]),
    include_package_data=True,
    package_data={
        "ckanext.smartcity": [
            "config_declaration.yaml",
            "schemas/*.yaml", "schemas/*.json", "schemas/codelists/*",
            "reference/codelists/*", "privacy/data/*", "reference/licenses/*.json",
            "dcat/shapes/*.ttl",
            "templates/**/*", "public/**/*", "i18n/**/*",
            "explore/templates/**/*", "explore/public/**/*", "explore/assets/**/*",
        ],
    },
    install_requires=[
        "openpyxl>=3.1",
        "charset-normalizer>=3",
        "pglast>=6",
        "PyYAML>=6",
        "Faker>=25",
        "psutil>=5",
        "gunicorn>=23",
        "pyshacl>=0.30",
        "prometheus-client>=0.20",  # /metrics (ckanext/smartcity/ops/metrics.py)
    ],
    extras_require={
        "test": ["pytest>=8", "pytest-timeout", "ckanapi", "selenium>=4.20",
                 "aiosmtpd>=1.4",  # the local SMTP sink (demo and tests)
                 "frictionless>=5.18"],  # a peer's validator of our data packages
        # departmental MySQL/MariaDB systems (smartcity_sql)
        "mysql": ["PyMySQL>=1.1"],
        # scripts/build_boundaries.py simplifies the commune boundaries (and its test)
        "geo": ["shapely>=2.0"],
    },
    entry_points={
        "ckan.plugins": [
            "smartcity = ckanext.smartcity.plugin:SmartcityPlugin",
            "smartcity_sql = ckanext.smartcity.harvesters.sql:SqlHarvester",
            "smartcity_api = ckanext.smartcity.harvesters.api:ApiHarvester",
            "smartcity_file = ckanext.smartcity.harvesters.file:FileHarvester",
            "smartcity_map = ckanext.smartcity.explore.plugin:SmartcityMapView",
            "smartcity_chart = ckanext.smartcity.explore.plugin:SmartcityChartView",
        ],
        "ckan.rdf.profiles": [
            "smartcity_dcat_ap = ckanext.smartcity.dcat.profile:SmartcityDCATProfile",
        ],
        "babel.extractors": ["ckan = ckan.lib.extract:extract_ckan"],
    },
)
