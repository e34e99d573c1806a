# Each target hands over to a script under services/ or bench/.
.PHONY: run test stop reset bench docs

run:
	@services/run.sh

test:
	@services/test.sh $(ARGS)

stop:
	@services/stop.sh

# Stops everything and forgets all local state (databases, index, uploads).
reset: stop
	@services/postgres.sh destroy
	rm -rf .state ckan.ini

bench:
	@for b in bench/*.py; do .venv/bin/python $$b || exit 1; done

# The README's table of configuration options, from config_declaration.yaml.
docs:
	@.venv/bin/python -c "from pathlib import Path; from ckanext.ldeco.config import write_options_table as w; print('README.md updated' if w(Path('README.md')) else 'README.md already up to date')"
