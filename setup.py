from setuptools import find_packages, setup

# The top-level schemas/ and i18n/ folders are data, kept beside the code for
# reviewers; they are mapped into the package so that an editable install and a
# built wheel find them at the same import path (ckanext.ldeco.schemas, ...).
setup(
    name="ckanext-ldeco",
    version="0.1.0",
    description="A local data ecosystem for CKAN: an extensible data dictionary and rights built in",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.11,<3.12",
    packages=[f"ckanext.{p}" for p in find_packages("ckanext")]
    + ["ckanext.ldeco.schemas", "ckanext.ldeco.i18n"],
    package_dir={
        "ckanext.ldeco": "ckanext/ldeco",
        "ckanext.ldeco.schemas": "schemas",
        "ckanext.ldeco.i18n": "i18n",
    },
    include_package_data=True,
    package_data={
        "ckanext.ldeco": ["*.yaml", "demo/*.yaml", "demo/data/*.csv", "demo/data/*.yaml", "demo/data/*.md",
                          "rights/data/*", "dcat/data/*", "templates/**/*", "assets/**/*", "public/**/*",
                          "migration/ldeco/*", "migration/ldeco/versions/*.py"],
        "ckanext.ldeco.schemas": ["*.yaml", "**/*.yaml", "dictionary/data/*.csv", "dictionary/data/*.md"],
        "ckanext.ldeco.i18n": ["**/*.po", "**/*.mo", "*.pot"],
    },
    install_requires=[
        "ckan[requirements]==2.11.6",
        "ckanext-scheming==3.1.0",
        "ckanext-dcat==2.4.4",
        "Faker==26.0.0",
        "rdflib==7.6.0",  # the dictionary exports (also required by ckanext-dcat)
        "scipy==1.14.1",  # the disclosure-control audit of public counts (HiGHS linear programming)
    ],
    entry_points={
        "ckan.plugins": [
            "ldeco = ckanext.ldeco.plugin:LdecoPlugin",
            "ldeco_markdown_view = ckanext.ldeco.previews.markdown:LdecoMarkdownView",
        ],
        "ckan.rdf.profiles": [
            "ldeco = ckanext.ldeco.dcat.profiles:LdecoDCATAPProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    # extractors named by import path: babel finds entry points only through
    # pkg_resources, which current setuptools no longer ships
    message_extractors={
        "ckanext": [
            ("**.py", "python", None),
            ("**.js", "javascript", None),
            ("**/templates/**.html", "ckan.lib.extract:extract_ckan", None),
        ],
        "schemas": [
            ("*.yaml", "ckanext.ldeco.i18n.extract:extract_schema", None),
        ],
        # CKAN's own words on the pages visitors meet first (CKAN ships no Welsh)
        "i18n": [
            ("core_strings.py", "python", None),
        ],
    },
)
