# The scim PHP extension: `make test` is what CI runs (.ci/run), `make build`
# builds the extension alone, `make serve` runs the standalone server.
#
# make test:
#   1. scripts/setup.sh  installs missing Debian packages (quiet when present)
#   2. cargo fmt --check, cargo clippy -D warnings (with and without PHP)
#   3. cargo test        the Rust core and its integration tests
#   4. cargo build --release, giving libscim.so
#   5. PHPUnit           tests/php/*Test.php with that library loaded
#   6. stubs_test.php    php-module/scim.stub.php against Reflection
#   7. tests/http        the black-box HTTP suite against the standalone server
#   8. tests/conformance scim2-tester and scim-sanity against it

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

CARGO ?= cargo
PHP ?= php
PHPUNIT ?= /usr/bin/phpunit
TARGET_DIR := $(abspath $(or $(CARGO_TARGET_DIR),target))
EXTENSION := $(TARGET_DIR)/release/libscim.so
# The PHP tests run with the freshly built library and the test hooks on.
PHP_WITH_SCIM := SCIM_EXTENSION=$(EXTENSION) RUST_BACKTRACE=0 \
	$(PHP) -d extension=$(EXTENSION) -d scim.enable_test_hooks=1

.PHONY: test build setup lint rust-test php-test stub-test http-test conformance drupal-test serve bench

test: setup lint rust-test build php-test stub-test http-test conformance drupal-test

# The standalone SCIM server on http://127.0.0.1:8080/scim/v2 (see scripts/serve.sh).
serve:
	@scripts/serve.sh

setup:
	@scripts/setup.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --no-default-features --all-targets -- -D warnings

rust-test:
	$(CARGO) test

build:
	$(CARGO) build --release

php-test: build
	$(PHP_WITH_SCIM) $(PHPUNIT) -c tests/php/phpunit.xml

stub-test: build
	SCIM_EXTENSION=$(EXTENSION) $(PHP) tests/php/stubs_test.php

# The black-box HTTP suite against the standalone server (tests/http).
http-test: build
	SCIM_EXTENSION=$(EXTENSION) tests/http/run.sh

# The third-party conformance tools scim2-tester and scim-sanity (tests/conformance).
conformance: build
	SCIM_EXTENSION=$(EXTENSION) tests/conformance/run.sh

# The Drupal module: unit tests always; Kernel and Functional tests where
# DRUPAL_ROOT names a Drupal site's web root (scripts/drupal-tests.sh).
drupal-test: build
	PHPUNIT=$(PHPUNIT) SCIM_EXTENSION=$(EXTENSION) scripts/drupal-tests.sh

# Microseconds per call of the hot paths from PHP (not part of make test).
bench: build
	$(PHP) -d extension=$(EXTENSION) tests/php/bench.php
