"""The `smartcity` plugin: schemas wiring, actions, CLI, helpers and templates.

Kept thin on purpose: the work lives in the rooms named below (docs/ARCHITECTURE.md);
this class only tells CKAN where to find them.
"""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.smartcity import quality
from ckanext.smartcity.harvesters import sources as harvest_sources
from ckanext.smartcity.logic import action, auth
from ckanext.smartcity.ops import metrics, page_cache
from ckanext.smartcity.reference import licenses
from ckanext.smartcity.search import cache as search_cache
from ckanext.smartcity.search import index as search
from ckanext.smartcity.uploads import hooks as upload_hooks
from ckanext.smartcity.web import registry
from ckanext.smartcity.web import security as web_security


@tk.blanket.blueprints(registry.blueprints)
@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.actions(action.get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.helpers(registry.helpers)
@tk.blanket.validators
class SmartcityPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)  # ckanext/smartcity/i18n/ (DefaultTranslation finds it)
    p.implements(p.IFacets)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IMiddleware, inherit=True)

    # IConfigurer
    def update_config(self, config_):
        tk.add_template_directory(config_, "templates")
        tk.add_public_directory(config_, "public")
        web_security.configure_cookies(config_)  # Secure cookies on an https site
        # the portal's licence list (reference/licenses/licenses.json) unless the site names another
        if not config_.get("licenses_group_url"):
            config_["licenses_group_url"] = licenses.LICENSES_FILE.as_uri()

    # IMiddleware: CSP, CSRF of cookie-authenticated writes, POST-only harvest actions
    # (web/security.py); anonymous API searches answered from Redis (search/cache.py);
    # the language switch of pages nginx caches (ops/page_cache.py); /metrics and the
    # request counters (ops/metrics.py: installed first, so its clock starts before any
    # other hook may answer and it counts the answer they made, a search cache hit too)
    def make_middleware(self, app, config):
        return page_cache.install(search_cache.install(web_security.install(
            metrics.install(app))))

    # IFacets (labels and order: search/index.py)
    def dataset_facets(self, facets_dict, package_type):
        return search.dataset_facets(facets_dict, package_type)

    def group_facets(self, facets_dict, group_type, package_type):
        return search.group_facets(facets_dict, package_type)

    def organization_facets(self, facets_dict, organization_type, package_type):
        return search.group_facets(facets_dict, package_type)

    # IPackageController (multi-valued indexing and field-name mapping: search/index.py)
    def before_dataset_index(self, pkg_dict):
        if pkg_dict.get("type") == harvest_sources.SOURCE_TYPE:
            return harvest_sources.strip_for_index(pkg_dict)
        return search.before_dataset_index(quality.before_index(pkg_dict))

    def after_dataset_show(self, context, pkg_dict):
        # harvest sources: shape and visibility of their config (harvesters/sources.py);
        # datasets: licence title in the request's language (reference/licenses/) and the stored
        # quality report (quality/)
        if pkg_dict.get("type") == harvest_sources.SOURCE_TYPE:
            harvest_sources.complete_source(context, pkg_dict)
            return pkg_dict
        return quality.after_show(licenses.localise_dataset(pkg_dict))

    def before_dataset_search(self, search_params):
        return search.before_dataset_search(search_params)

    def after_dataset_search(self, search_results, search_params):
        harvest_sources.complete_search_results(harvest_sources.request_context(),
                                                search_results.get("results") or [])
        search_results = search.after_dataset_search(search_results, search_params)
        return licenses.localise_search(search_results)

    # IPackageController: the quality score after every write (quality/); new uploaded
    # tables queued for the DataStore (uploads/hooks.py)
    def after_dataset_create(self, context, pkg_dict):
        upload_hooks.after_write(context, pkg_dict)
        quality.after_write(context, pkg_dict)

    def after_dataset_update(self, context, pkg_dict):
        upload_hooks.after_write(context, pkg_dict)
        quality.after_write(context, pkg_dict)
