# Entra Setup Wizard — the commands of the README.
#
#   make run      install what is missing, build the UI and the app, open the app
#   make test     install what is missing, then lint, the UI tests, every Rust test, the
#                 end-to-end tests of the real app under Xvfb and Microsoft's own client libraries
#                 (MSAL Python, azure-identity) against the stand-in
#   make python-clients  only the last: the libraries' virtual environment (built when missing or
#                 when tests/python_clients/requirements.txt changed) and their tests
#   make lint     rustfmt, clippy (warnings are errors) and the TypeScript type check
#   make bundle   a .deb of the app in target/release/bundle/deb/
#   make bench    benchmarks (release builds): verification wall time, concurrent against one
#                 request at a time; the app's launch time, memory (PSS) and CPU next to a bare
#                 Tauri window; round trips of a whole verification per profile; the CLI next to
#                 MSAL Python doing the same; a monitor scan
#   make bindings regenerate ui/src/bindings.ts from the Rust commands
#   make fuzz     every fuzz target (fuzz/README.md) in release, a million inputs each
#                 (FUZZ_CASES=N for another number), printing the inputs run and the time per target

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: run test lint bundle bench bindings fuzz deps-run deps-test ui ui-test rust-test e2e python-clients python-clients-test python-venv fmt clean

run: deps-run ui
	$(CARGO) run -p entra-setup-app

test: deps-test ui lint ui-test rust-test e2e python-clients-test
	@echo "make test: all passed"

deps-run:
	scripts/install-deps.sh run

deps-test:
	scripts/install-deps.sh test

# The app embeds ui/dist at compile time, so the UI is built before any Rust build.
ui:
	npm --prefix ui run build

lint: ui
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	npm --prefix ui run typecheck

ui-test:
	npm --prefix ui test

# `cargo test --workspace` builds every binary too (each package with binaries has integration
# tests), so the acceptance tests run the real CLI and the end-to-end tests the real app from one
# build. The end-to-end tests are selected across the workspace, not with -p, so that the same
# feature set is used and nothing is built twice.
rust-test: ui
	$(CARGO) test --workspace

e2e: ui
	$(CARGO) test --workspace --test e2e -- --test-threads=1

# MSAL Python and azure-identity from PyPI, exactly as pinned, in a virtual environment under
# target/ made with the machine's python3. It is made again only when the requirements file
# differs from the copy kept beside it, so a run with nothing changed installs nothing.
PYTHON_CLIENTS_VENV := $(CURDIR)/target/python-clients/venv
PYTHON_CLIENTS_REQUIREMENTS := tests/python_clients/requirements.txt
python-venv:
	@if ! cmp -s $(PYTHON_CLIENTS_REQUIREMENTS) $(PYTHON_CLIENTS_VENV)/requirements.txt; then \
	  echo "Creating $(PYTHON_CLIENTS_VENV) from $(PYTHON_CLIENTS_REQUIREMENTS)"; \
	  rm -rf $(PYTHON_CLIENTS_VENV); \
	  python3 -m venv $(PYTHON_CLIENTS_VENV); \
	  $(PYTHON_CLIENTS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
	    --no-input -r $(PYTHON_CLIENTS_REQUIREMENTS); \
	  cp $(PYTHON_CLIENTS_REQUIREMENTS) $(PYTHON_CLIENTS_VENV)/requirements.txt; \
	fi

# The libraries drive the real entra-fake-tenant program. `make test` runs them after rust-test,
# whose build made it, so it is not built again under another feature set; `make python-clients`
# builds it first. Selected across the workspace, as e2e is, so that the same feature set is used;
# a plain `cargo test` skips these tests, having no virtual environment.
PYTHON_CLIENTS_TESTS := PYTHON_CLIENTS_VENV=$(PYTHON_CLIENTS_VENV) \
  $(CARGO) test --workspace --test python_clients -- --include-ignored
python-clients: python-venv
	$(CARGO) build --workspace --bin entra-fake-tenant
	$(PYTHON_CLIENTS_TESTS)

python-clients-test: python-venv
	$(PYTHON_CLIENTS_TESTS)

# The Tauri CLI from crates.io (its npm package has platform parts the npm registry here lacks).
bundle: deps-run ui
	command -v cargo-tauri >/dev/null || $(CARGO) install tauri-cli --version "^2" --locked
	cd src-tauri && $(CARGO) tauri build --bundles deb

# Every bench measures release builds: the launch bench the app and a bare Tauri window side by
# side, the others the CLI as an administrator or a schedule runs it.
bench: ui python-venv
	$(CARGO) bench --workspace --bench verify_latency
	$(CARGO) build --release -p entra-setup-app --bin entra-setup-app --example minimal_window
	$(CARGO) bench -p entra-setup-tests --bench launch
	$(CARGO) build --release -p entra-setup-cli -p entra-fake-tenant
	$(CARGO) bench -p entra-setup-tests --bench round_trips
	$(CARGO) bench -p entra-setup-tests --bench cli_vs_msal
	$(CARGO) bench -p entra-setup-tests --bench monitor_scan

bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p entra-setup-app --test bindings

# One target at a time, so each one's time is its own. `cargo test` runs the same targets with a
# short pass (FUZZ_CASES unset: 2,000 inputs each, debug build).
fuzz: FUZZ_CASES ?= 1000000
fuzz:
	FUZZ_CASES=$(FUZZ_CASES) $(CARGO) test --release -p entra-setup-core --test fuzz -- --nocapture --test-threads=1
	FUZZ_CASES=$(FUZZ_CASES) $(CARGO) test --release -p entra-fake-tenant --test fuzz_scenario -- --nocapture
	FUZZ_CASES=$(FUZZ_CASES) $(CARGO) test --release -p entra-setup-core --lib diagnose::json_scan -- --nocapture --test-threads=1

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf ui/dist
