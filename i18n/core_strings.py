"""Words of CKAN's own pages that the portal's visitors meet first (header,
footer, home, search, dataset, log-in). CKAN ships no Welsh catalogue, so
this extension's catalogue carries their Welsh too: the catalogues of all
domains are merged, and these msgids are CKAN's exactly. Marked with N_ for
extraction only; nothing imports this module."""
from __future__ import annotations


def N_(text: str) -> str:  # noqa: N802  (gettext's marker name)
    return text


def ngettext(singular: str, plural: str, n: int) -> str:
    return singular


CORE = [
    N_("Log in"), N_("Register"), N_("Search"), N_("Submit"), N_("Toggle navigation"),
    N_("Search data"), N_("E.g. environment"), N_("Popular tags"),
    N_("About {0}"), N_("CKAN API"), N_("CKAN Association"),
    N_('<strong>Powered by</strong> <a class="hide-text ckan-footer-logo" href="http://ckan.org">CKAN</a>'),
    N_("Dashboard"), N_("Profile settings"), N_("Log out"), N_("View profile"), N_("Sysadmin settings"), N_("Admin"),
    N_("Search Datasets..."), N_("Search datasets..."), N_("Search organizations..."),
    N_("Order by"), N_("Relevance"), N_("Name Ascending"), N_("Name Descending"), N_("Last Modified"),
    N_("Tags"), N_("Formats"), N_("Licenses"), N_("Filter Results"),
    N_("Show More {facet_type}"), N_("Show Only Popular {facet_type}"),
    ngettext("{number} dataset found", "{number} datasets found", 2),
    ngettext('{number} dataset found for "{query}"', '{number} datasets found for "{query}"', 2),
    N_("No datasets found"), N_('No datasets found for "{query}"'),
    N_("License"), N_("Additional Info"), N_("Explore"), N_("Download"), N_("Preview"), N_("More information"),
    N_("Data and Resources"), N_("Go to resource"), N_("Activity Stream"), N_("Followers"), N_("Groups"),
    N_("Social"), N_("Username or Email"), N_("Password"), N_("Remember me"), N_("Forgot your password?"),
    N_("Need an Account?"), N_("Create an Account"),
]
