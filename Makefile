# Cartwheel — every target here is documented in README.md ("Make targets").
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM ?= npm

.PHONY: help install build start test test-servers test-servers-up chart-tools lint format typecheck bench faults clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

node_modules/.install-stamp: package.json package-lock.json services/*/package.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

install: node_modules/.install-stamp ## Install npm dependencies (npm ci)

build: install ## Compile every workspace (tsc -b)
	$(NPM) run build

start: build ## Run the whole platform on this machine, embedded mode (no servers needed)
	node services/platform/dist/main.js

test-servers: ## Install the real test servers and tools (PostgreSQL, Redis, Kafka, FerretDB, Keycloak, Chromium, Prometheus), cached in ~/.cache/cartwheel
	bash services/testing/scripts/install-servers.sh

typecheck: install ## Type-check sources and tests (Node workspaces, then the storefront's browser code)
	npx tsc -p tsconfig.check.json
	npx tsc -p services/web/app/tsconfig.json

test-servers-up: install test-servers ## Keep the test servers running; prints the TEST_* variables that make mocha reuse them
	node --conditions=development --import=tsx services/testing/src/serve.ts

chart-tools: ## Install the chart test tools (helm, helm-unittest, kubeconform, schemas), cached in ~/.cache/cartwheel
	bash k8s/scripts/install-tools.sh

test: install test-servers chart-tools typecheck ## Unit, contract and integration tests against real servers, with coverage
	npx c8 mocha 'services/*/test/**/*.test.ts' 'charts/test/**/*.test.ts' 'k8s/test/**/*.test.ts'

lint: install ## ESLint and Prettier check
	npx eslint .
	npx prettier --check .

format: install ## Rewrite files with Prettier
	npx prettier --write .

bench: build test-servers ## Print throughput figures (outbox → Kafka relay, embedded bus)
	node --conditions=development --import=tsx bench/run.ts

faults: build test-servers ## Fault scripts (bench/faults): kill -9 order, Kafka/PostgreSQL/Redis outages, slow catalog — PASS/FAIL with evidence
	node --conditions=development --import=tsx bench/faults/run.ts

clean: ## Remove build output, coverage and embedded data
	rm -rf services/*/dist coverage .data node_modules/.install-stamp

include k8s/make-targets.mk
