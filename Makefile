# Each target hands over to a script under services/ or bench/.
.PHONY: run test stop reset bench

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
