# kick-go build targets. `make test` is the one command that proves a checkout works.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

GO        ?= go
SPEC      := openapi/kick.yaml
# The published OpenAPI 3.1 documents, derived from SPEC by tools/specpub (make generate): the whole
# API, and its two hosts apart for code generators, which ignore path-level servers.
DIST      := openapi/dist
DIST_DOCS := $(DIST)/kick.yaml $(DIST)/kick-api.yaml $(DIST)/kick-oauth.yaml
SPEC_TOOLS := tools/spec
NPM_BIN   := $(SPEC_TOOLS)/node_modules/.bin

.PHONY: all test test-redis test-clock soak soak-short lint vuln vuln-local cover bench bench-smoke fuzz-smoke generate check-generate check-artifacts api check-api lint-spec spec-ts spec-client spec-tools check-kick-docs clean

all: test

# REDIS_MOD is the nested module github.com/kick-sdk/kick-go/kickredis (the Redis stores): a module
# of its own, so that this one never requires go-redis. test, lint, vuln, cover and bench-smoke
# cover it too.
REDIS_MOD	:= kickredis
REDIS_SERVER ?= redis-server
export REDIS_SERVER

## test: go vet and the whole test suite under the race detector, of this module and of kickredis.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...
	@$(MAKE) --no-print-directory test-redis

## test-redis: go vet and the tests of the kickredis module under the race detector. They start a
## redis-server of their own on loopback (Debian: apt-get install redis-server); without one they
## skip, and this says so, unless CI is set: then they fail.
test-redis:
	cd $(REDIS_MOD) && $(GO) vet ./... && $(GO) test -race -count=1 ./...
	@if command -v $(REDIS_SERVER) >/dev/null 2>&1; then \
		echo "test-redis: the kickredis tests ran against $$($(REDIS_SERVER) --version | cut -d' ' -f1-3)"; \
	else \
		echo "test-redis: SKIPPED the kickredis Redis tests: $(REDIS_SERVER) is not installed (apt-get install redis-server)"; \
	fi

## test-clock: the tests and examples that use kicktest, of both modules (every test of a package
## whose own code uses it), once for each instant with kicktest's default clock stopped there
## (KICKTEST_NOW, kicktest.EnvNow): a Monday 00:30 UTC, the last second of a Sunday and of a year,
## and a leap day, some past and some future (tools/clocktest; CLOCK_INSTANTS=t1,t2 to choose
## others). No test or example may depend on the day it runs. Each test binary is built once,
## without -race (make test has that), and run at every instant.
CLOCK_INSTANTS ?=
test-clock:
	$(GO) run ./tools/clocktest $(if $(CLOCK_INSTANTS),-instants $(CLOCK_INSTANTS)) . $(REDIS_MOD)

## soak: kickredis/internal/soak for SOAK (10m unless set; SOAK=1h for longer): three webhook
## replicas on a real redis-server behind a round-robin balancer and four token workers, against
## kicktest delivering at a steady rate with duplicates, while a chaos loop pauses, slows, kills and
## restarts Redis empty, kills replicas and makes the token endpoint fail. It prints deliveries
## sent, processed once and twice, lost, tokens refreshed and refreshes lost, and fails on a lost
## delivery, an unexplained double, a lost refresh or a token overwritten by an older one. Not in
## `make test`; soak-short (20 s) runs in CI.
SOAK ?= 10m
soak:
	cd $(REDIS_MOD) && SOAK=$(SOAK) $(GO) run ./internal/soak
soak-short:
	cd $(REDIS_MOD) && $(GO) run ./internal/soak -duration 20s

GOLANGCI_LINT_VERSION := v2.15.0
BIN := $(CURDIR)/.bin

## lint: golangci-lint (pinned, built from the Go module proxy) with .golangci.yml.
lint: $(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)
	$(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION) run ./...
	cd $(REDIS_MOD) && $(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION) run --config ../.golangci.yml ./...
$(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION):
	mkdir -p $(BIN)
	GOBIN=$(BIN) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv $(BIN)/golangci-lint $@

# PATCHED_GO is the newest Go this environment allows; the go command fetches it from the module
# proxy when GOTOOLCHAIN names it. The build and the tests use the machine's Go (go1.26.8, which the
# module's `go 1.26` line admits); `make vuln` and `make fuzz-smoke` run with PATCHED_GO, for the
# reasons given there.
PATCHED_GO ?= go1.27.3

## vuln: govulncheck (pinned) over every package, with the Go vulnerability database built from the
## golang.org/x/vulndb module on the Go module proxy (vuln.go.dev is out of reach here; see
## tools/vulndb). It runs with PATCHED_GO, so that it checks our code and modules against the
## standard library of a patched Go: the machine's go1.26.8 has ten standard-library advisories fixed
## in go1.26.9 and go1.26.10, which are the toolchain's, not this module's (`make vuln-local` lists
## them). Nothing is excluded.
GOVULNCHECK_VERSION := v1.9.0
VULN_GOTOOLCHAIN    ?= $(PATCHED_GO)
VULNDB_VERSION      ?= latest
GOVULNCHECK := $(BIN)/govulncheck-$(GOVULNCHECK_VERSION)-$(VULN_GOTOOLCHAIN)
vuln: $(GOVULNCHECK) vulndb
	@echo "govulncheck $(GOVULNCHECK_VERSION) with $(VULN_GOTOOLCHAIN)'s standard library (the build uses $$($(GO) env GOVERSION))"
	GOTOOLCHAIN=$(VULN_GOTOOLCHAIN) $(GOVULNCHECK) -db file://$(BIN)/vulndb ./...
	cd $(REDIS_MOD) && GOTOOLCHAIN=$(VULN_GOTOOLCHAIN) $(GOVULNCHECK) -db file://$(BIN)/vulndb ./...
## vuln-local: the same scan with the machine's toolchain; it reports that toolchain's advisories.
vuln-local: $(GOVULNCHECK) vulndb
	$(GOVULNCHECK) -db file://$(BIN)/vulndb ./...
	cd $(REDIS_MOD) && $(GOVULNCHECK) -db file://$(BIN)/vulndb ./...
.PHONY: vulndb
vulndb:
	$(GO) run ./tools/vulndb -version $(VULNDB_VERSION) -out $(BIN)/vulndb
$(GOVULNCHECK):
	mkdir -p $(BIN)/$(VULN_GOTOOLCHAIN)
	GOTOOLCHAIN=$(VULN_GOTOOLCHAIN) GOBIN=$(BIN)/$(VULN_GOTOOLCHAIN) $(GO) install golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION)
	mv $(BIN)/$(VULN_GOTOOLCHAIN)/govulncheck $@

## cover: statement coverage of every package under kick/ (gen/ is not), and of package kickredis,
## printed per package; fails below COVER_MIN. A package's statements count as covered when any
## test of its module runs them (-coverpkg); with COVER_OWN=1, the coverage by the package's own
## tests is printed beside it (a second run of the suite, which CI skips). The kickredis tests need
## redis-server (see test-redis).
COVER_MIN ?= 85
COVER_OWN ?=
MODULE    := github.com/kick-sdk/kick-go
cover:
	mkdir -p $(BIN)
	$(GO) test -count=1 -covermode=atomic -coverpkg=./kick/... -coverprofile=$(BIN)/cover-suite.out ./kick/... \
		> $(BIN)/cover-suite.log 2>&1 || { cat $(BIN)/cover-suite.log; exit 1; }
	$(if $(COVER_OWN),$(GO) test -count=1 -covermode=atomic -coverprofile=$(BIN)/cover-own.out ./kick/... \
		> $(BIN)/cover-own.log 2>&1 || { cat $(BIN)/cover-own.log; exit 1; })
	$(GO) run ./tools/coverage -prefix $(MODULE)/kick -min $(COVER_MIN) $(if $(COVER_OWN),-own $(BIN)/cover-own.out) $(BIN)/cover-suite.out
	cd $(REDIS_MOD) && $(GO) test -count=1 -covermode=atomic -coverpkg=$(MODULE)/$(REDIS_MOD) \
		-coverprofile=$(BIN)/cover-redis-suite.out ./... > $(BIN)/cover-redis.log 2>&1 || { cat $(BIN)/cover-redis.log; exit 1; }
	$(GO) run ./tools/coverage -prefix $(MODULE)/$(REDIS_MOD) -min $(COVER_MIN) $(BIN)/cover-redis-suite.out

## bench: each benchmark of the SDK beside its raw net/http + encoding/json baseline (same process,
## same loopback server, same answer), BENCH_COUNT rounds, each round every benchmark once, so
## that the repetitions of a pair are interleaved with the others; prints benchstat's table and
## every kick/raw ratio, and fails if a target is missed. BenchmarkOps covers every operation of
## the spec: "list" (answers of 25 items or more) and "call" (the others) have the issue's targets.
## BENCHMARKS.md records a run.
BENCH_COUNT ?= 10
BENCH_TIME  ?= 200ms
BENCH_DIR   := $(BIN)/bench
BENCH_PKGS  := kick kick/kickauth kick/webhook
BENCH_RE    := ^Benchmark(Ops|All200x100|UserSource1000Valid|UserSource1000Expired|WebhookVerifyDecode|WebhookHandler|WebhookHandlerNoDeadline)$$
BENCH_TARGETS := \
	-target 'Ops/list/* time<=0.80' -target 'Ops/list/* bytes<=0.5' -target 'Ops/list/* allocs<=1.0' \
	-target 'Ops/call/* time<=1.02' -target 'Ops/call/* extra-allocs<=8' \
	-target 'WebhookVerifyDecode time<=0.95' -target 'WebhookHandler time<=1.0' \
	-target 'All200x100 kick.held-pages<=2' -target 'UserSource1000Expired kick.refreshes/op<=1'
BENCHSTAT_VERSION := v0.0.0-20260908200009-22c9c6c9d4da
BENCHSTAT := $(BIN)/benchstat-$(BENCHSTAT_VERSION)
bench: $(BENCHSTAT)
	mkdir -p $(BENCH_DIR)
	for p in $(BENCH_PKGS); do $(GO) test -c -o $(BENCH_DIR)/$$(basename $$p).test ./$$p; done
	: > $(BENCH_DIR)/bench.txt
	echo "bench: load average at the start: $$(cut -d' ' -f1-3 /proc/loadavg)" | tee $(BENCH_DIR)/load.txt >&2
	for i in $$(seq $(BENCH_COUNT)); do \
		echo "bench: round $$i of $(BENCH_COUNT), load average $$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $(BENCH_DIR)/load.txt >&2; \
		for p in $(BENCH_PKGS); do \
			(cd $$p && $(BENCH_DIR)/$$(basename $$p).test -test.run='^$$' -test.bench='$(BENCH_RE)' \
				-test.benchmem -test.benchtime=$(BENCH_TIME)) >> $(BENCH_DIR)/bench.txt; \
		done; \
	done
	echo "bench: load average at the end: $$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $(BENCH_DIR)/load.txt >&2
	$(BENCHSTAT) -col /impl -filter '/impl:(raw OR kick)' $(BENCH_DIR)/bench.txt
	$(GO) run ./tools/benchratio $(BENCH_TARGETS) $(BENCH_DIR)/bench.txt
$(BENCHSTAT):
	mkdir -p $(BIN)
	GOBIN=$(BIN) $(GO) install golang.org/x/perf/cmd/benchstat@$(BENCHSTAT_VERSION)
	mv $(BIN)/benchstat $@

## bench-smoke: every benchmark once (every operation of BenchmarkOps, every pair), so that CI
## notices a broken one.
bench-smoke:
	$(GO) test -run='^$$' -bench=. -benchtime=1x ./kick/...
	cd $(REDIS_MOD) && $(GO) test -run='^$$' -bench=. -benchtime=1x ./...

## fuzz-smoke: each fuzz target (PACKAGE:Target) for FUZZ_TIME, with PATCHED_GO: go1.26's fuzzing
## coordinator can fail a run that found nothing with "context deadline exceeded" when -fuzztime
## ends while a worker is busy (go.dev/issue/75804, fixed in go1.27; seen here). A new input that
## widens coverage is minimized for at most FUZZ_MINIMIZE (the default, 60s, would spend a short
## run on minimizing).
FUZZ_TIME      ?= 5s
FUZZ_MINIMIZE  ?= 1s
FUZZ_GOTOOLCHAIN ?= $(PATCHED_GO)
FUZZ_TARGETS   := ./kick/webhook:FuzzVerify ./kick/webhook:FuzzDecode ./kick/webhook:FuzzHandler \
	./kick:FuzzResponses ./kick:FuzzDecodeLikeV1 ./kick:FuzzQueryEscape ./kick/internal/pemkey:FuzzParse \
	./kick/internal/tolerant:FuzzLikeV1 ./kick/kickauth:FuzzParseLogins ./kick/internal/identify:FuzzCheck \
	./kick/relay:FuzzConsumerStream ./kick/relay:FuzzDecodeRecord ./kick/relay:FuzzParseID
fuzz-smoke:
	for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; f=$${t##*:}; \
		GOTOOLCHAIN=$(FUZZ_GOTOOLCHAIN) $(GO) test -run='^$$' -fuzz="^$$f\$$" -fuzztime=$(FUZZ_TIME) \
			-fuzzminimizetime=$(FUZZ_MINIMIZE) $$pkg/ || exit 1; \
	done

## generate: everything derived from the spec, by every go:generate directive: gen/, the tests'
## operation table, kicktest's handler set and README's coverage table (tools/kickgen); the event
## registry of kick, kick/kicktypes and kick/webhook and the acceptance table
## kick/webhook/fields_gen.go (tools/eventgen); the published documents in openapi/dist
## (tools/specpub).
generate:
	$(GO) generate ./...
	$(GO) mod tidy

## check-generate: fail if regenerating changes any file of the checkout, wherever a generator
## writes it (gen/, openapi/dist, ...). The working tree's state (git status, the diff, untracked
## files) before is compared with the state after, so uncommitted edits of your own do not count.
TREE_STATE = { git status --porcelain=v1 -uall; git diff --binary; git ls-files --others --exclude-standard -z | xargs -0 -r sha256sum; }
check-generate:
	@mkdir -p $(BIN)
	@$(TREE_STATE) > $(BIN)/generate.before
	$(MAKE) --no-print-directory generate
	@$(TREE_STATE) > $(BIN)/generate.after
	@if ! cmp -s $(BIN)/generate.before $(BIN)/generate.after; then \
		echo "check-generate: generated files are stale; run 'make generate' and commit:"; \
		git status --short; exit 1; \
	fi
	@echo "check-generate: every generated file is up to date"

## api: write api/*.txt, the exported API of every library package (kick and its sub-packages,
## openapi, kickredis; not gen/, internal or main packages), one file per package, with
## tools/apicheck. Run it after a change to the exported API, and say what changed in CHANGELOG.md.
API_MODULES := . $(REDIS_MOD)
api:
	$(GO) run ./tools/apicheck -w $(API_MODULES)

## check-api: fail, naming what differs, when the exported API is not the one of api/*.txt.
check-api:
	$(GO) run ./tools/apicheck $(API_MODULES)

## check-artifacts: fail when git tracks an executable binary, or a file over 1 MiB outside a
## testdata directory (tools/artifactcheck reads git's index).
check-artifacts:
	$(GO) run ./tools/artifactcheck

## spec-tools: install the pinned npm tools (Redocly CLI, openapi-typescript, @hey-api/openapi-ts,
## openapi-fetch, TypeScript 5, @types/node) from tools/spec/package-lock.json.
spec-tools: $(NPM_BIN)/redocly
$(NPM_BIN)/redocly: $(SPEC_TOOLS)/package.json $(SPEC_TOOLS)/package-lock.json
	npm ci --prefix $(SPEC_TOOLS) --no-audit --no-fund
	@touch $@

## lint-spec: Redocly lint of the source and of the published documents with redocly.yaml; any
## error fails.
lint-spec: spec-tools
	$(NPM_BIN)/redocly lint $(SPEC) $(DIST_DOCS) --config redocly.yaml --format=stylish

## spec-ts: the published documents compile to TypeScript types (openapi-typescript) that tsc
## accepts, used by tools/spec/check.ts.
spec-ts: spec-tools
	mkdir -p $(SPEC_TOOLS)/out
	$(NPM_BIN)/openapi-typescript $(DIST)/kick-api.yaml --redocly $(SPEC_TOOLS)/openapi-typescript.redocly.yaml -o $(SPEC_TOOLS)/out/kick-api.ts
	$(NPM_BIN)/openapi-typescript $(DIST)/kick-oauth.yaml --redocly $(SPEC_TOOLS)/openapi-typescript.redocly.yaml -o $(SPEC_TOOLS)/out/kick-oauth.ts
	$(NPM_BIN)/tsc -p $(SPEC_TOOLS)/tsconfig.json
	@echo "spec-ts: TypeScript types from $(DIST) type-check"

## spec-client: a TypeScript client generated from the published documents (@hey-api/openapi-ts
## SDKs, and openapi-typescript types with openapi-fetch), compiled and run under Node against
## kicktest by tools/specclient: an app token from the OAuth host, livestreams by cursor, a user
## token, chat messages. Fails on a client error, on any spec violation kicktest records, or when
## an expected operation was not called.
SPEC_CLIENT_EXPECT := requestToken=2,listLivestreams=2,listCategories=2,sendChatMessage=2
spec-client: spec-ts
	rm -rf $(SPEC_TOOLS)/out/hey-api $(SPEC_TOOLS)/out/js
	$(NPM_BIN)/openapi-ts -i $(DIST)/kick-api.yaml -o $(SPEC_TOOLS)/out/hey-api/api -c @hey-api/client-fetch --no-log-file -s
	$(NPM_BIN)/openapi-ts -i $(DIST)/kick-oauth.yaml -o $(SPEC_TOOLS)/out/hey-api/oauth -c @hey-api/client-fetch --no-log-file -s
	$(NPM_BIN)/tsc -p $(SPEC_TOOLS)/tsconfig.client.json
	$(GO) run ./tools/specclient -expect $(SPEC_CLIENT_EXPECT) -- node $(SPEC_TOOLS)/out/js/client/main.js

## check-kick-docs: compare the spec with a copy of Kick's docs, DOCS=<dir> (markdown pages, as
## KickEngineering/KickDevDocs has them) or DOCS=<file> (docs.kick.com's llms-full.txt), and list
## the operations, parameters, scopes, event types and stated limits that differ; exits 1 when
## anything does. CI runs tools/kickdocs on its own fixtures (make test); CONTRIBUTING.md says how
## to run it against the live site.
check-kick-docs:
	@if [ -z "$(DOCS)" ]; then echo "usage: make check-kick-docs DOCS=<dir or file>" >&2; exit 2; fi
	$(GO) run ./tools/kickdocs $(DOCS)

clean:
	rm -rf $(SPEC_TOOLS)/node_modules $(SPEC_TOOLS)/out
