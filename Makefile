# Know AML: `make run` serves the site with demo content; `make test` runs every test.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# A Python >= 3.12: on PATH first, else in pyenv's versions folder.
FIND_PYTHON = for c in python3.13 python3.12 python3 python; do \
	  p=$$(command -v $$c 2>/dev/null) && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; exit 0; }; \
	done; \
	for p in $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV); do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; exit 0; }; \
	done; exit 1

.PHONY: run test worker services lint messages lock bench clean

$(STAMP): requirements/dev.lock
	@test -x $(PY) || { base=$$($(FIND_PYTHON)) || { echo "Know AML needs Python 3.12 or newer: install it (or pyenv install 3.12) and run make again." >&2; exit 1; }; \
	  echo "Using $$base"; $$base -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.lock
	@touch $@

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py load_demo_stories
	$(PY) manage.py create_demo_admin
	@echo "Know AML: http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	@export SITE_URL=http://127.0.0.1:$(PORT); \
	  $(PY) manage.py db_worker & worker=$$!; \
	  $(PY) manage.py run_periodic_tasks & clock=$$!; \
	  trap "kill $$worker $$clock 2>/dev/null" EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

# One worker per core (pytest-xdist), each with its own test database and Redis database;
# tests are dealt out in pytest-django's order, so each worker runs its transactional tests
# (which empty its database) after the others.
test: $(STAMP)
	$(PY) -m pytest -n auto --dist load

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Start PostgreSQL and Redis from Debian's packages for the production-path tests.
services:
	./.ci/services

messages: $(STAMP)
	$(PY) manage.py makemessages --all --no-location --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

# Production installs requirements/runtime.lock; development, dev.lock: the same pins plus the
# dev extra. Pins are kept: to move a package, delete its lines from the locks and run this again.
lock: $(STAMP)
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
	  --no-emit-find-links -o requirements/runtime.lock pyproject.toml
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
	  --no-emit-find-links --extra dev --constraint requirements/runtime.lock \
	  -o requirements/dev.lock pyproject.toml

clean:
	rm -rf $(VENV) var

# Load test over HTTP (knowaml/dev/bench): production settings under gunicorn from deploy/,
# Redis, SQLite with the demo content, all on loopback and stopped at the end; wrk drives it.
# Needs Debian's redis-server and wrk. About 6 minutes; BENCH_ARGS=--quick for a smoke run.
bench: $(STAMP)
	$(PY) -m knowaml.dev.bench $(BENCH_ARGS)

# Production smoke and fault tests (tests/production/, left out of `make test`): nginx, two
# gunicorn instances, db_worker and the clock, each started from its deploy/ file, on private
# PostgreSQL and Redis instances. Needs root and Debian's nginx, postgresql and redis-server.
# Bounded: SIGINT after 6 minutes (pytest then stops every process it started), SIGKILL 30 s
# later (the processes then get SIGTERM from the kernel: setpriv --pdeathsig).
.PHONY: prodcheck
prodcheck: $(STAMP)
	timeout -s INT -k 30 360 $(PY) -m pytest tests/production -p no:cacheprovider \
	  -o addopts="-ra --strict-markers" $(PRODCHECK_ARGS)
