# Two commands on a fresh machine: `make demo` (portal with demo data on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: demo test lint venv lock messages bench clean

# The hashed locks, not requirements*.txt: every machine installs the same files (README "Dependencies").
$(VENV)/.installed: requirements.lock requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock -r requirements-dev.lock
	touch $@

venv: $(VENV)/.installed

demo: venv
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: venv
	$(PY) -m pytest -q

lint: venv
	$(VENV)/bin/ruff check .

messages: venv
	$(PY) manage.py makemessages -l nl --ignore=.venv --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

# Rewrite the locks after editing requirements.txt or requirements-dev.txt (README "Dependencies"). pip-tools
# runs from its own virtualenv so it never enters the portal's. Versions already locked are kept; to move one,
# pass e.g. LOCK_ARGS="--upgrade-package django".
LOCK_TOOLS := .lock-tools
LOCK_ARGS ?=
LOCK_FLAGS := --quiet --generate-hashes --no-reuse-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock:
	test -x $(LOCK_TOOLS)/bin/pip-compile || ($(PYTHON) -m venv $(LOCK_TOOLS) && $(LOCK_TOOLS)/bin/pip install --quiet pip-tools==7.6.2)
	$(LOCK_TOOLS)/bin/pip-compile $(LOCK_FLAGS) $(LOCK_ARGS) -o requirements.lock requirements.txt
	$(LOCK_TOOLS)/bin/pip-compile $(LOCK_FLAGS) $(LOCK_ARGS) -c requirements.lock -o requirements-dev.lock requirements-dev.txt

bench: venv
	$(PY) -m pytest tests/perf -m perf -q -s

clean:
	rm -rf $(VENV) $(LOCK_TOOLS) db.sqlite3 media staticfiles artifacts
