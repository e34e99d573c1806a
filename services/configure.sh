#!/usr/bin/env bash
# Writes ckan.ini for the local portal: CKAN's own generated config (with fresh
# secrets, kept across runs) plus the settings of this project. Safe to re-run.
source "$(dirname "$0")/lib.sh"

INI=$ROOT/ckan.ini
CKAN=$VENV/bin/ckan

if [ ! -f "$INI" ]; then
    "$CKAN" generate config "$INI" >/dev/null
    info "config: wrote $INI"
fi

"$CKAN" config-tool "$INI" \
    "sqlalchemy.url = postgresql://ckan:ckan@$HOST:$PG_PORT/ckan" \
    "ckan.datastore.write_url = postgresql://ckan:ckan@$HOST:$PG_PORT/datastore" \
    "ckan.datastore.read_url = postgresql://datastore_ro:datastore_ro@$HOST:$PG_PORT/datastore" \
    "ckan.datastore.sqlsearch.enabled = false" \
    "ckan.datastore.default_fts_index_method = gin" \
    "solr_url = http://$HOST:$SOLR_PORT/solr/ckan" \
    "ckan.redis.url = redis://$HOST:$REDIS_PORT/0" \
    "smtp.server = $HOST:$MAIL_PORT" \
    "smtp.mail_from = portal@ldeco.localhost" \
    "ckan.site_url = http://$HOST:$CKAN_PORT" \
    "ckan.site_title = Local Data Ecosystem" \
    "ckan.site_description = Data shared by the agencies serving North West communities" \
    "ckan.locales_offered = en cy" \
    "ckan.locale_order = en cy" \
    "ckan.devserver.host = $HOST" \
    "ckan.devserver.port = $CKAN_PORT" \
    "ckan.storage_path = %(here)s/.state/storage" \
    "ckan.plugins = ldeco scheming_datasets scheming_organizations dcat datastore datatables_view ldeco_markdown_view activity" \
    "scheming.dataset_schemas = ckanext.ldeco.schemas:dataset.yaml" \
    "scheming.organization_schemas = ckanext.ldeco.schemas:organization.yaml" \
    "scheming.presets = ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml ckanext.ldeco.schemas:presets.yaml" \
    "ckan.auth.create_user_via_web = true" \
    "ckanext.dcat.rdf.profiles = euro_dcat_ap_3 ldeco" \
    "ckanext.ldeco.demo_mode = true" \
    "ckan.views.default_views = datatables_view ldeco_markdown_view" \
    "ckan.csrf_protection.ignore_extensions = false" \
    >/dev/null
mkdir -p "$STATE/storage"
info "config: $INI is up to date"
