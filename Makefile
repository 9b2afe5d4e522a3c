# kick-go build targets. `make test` is the one command that proves a checkout works.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

GO        ?= go
SPEC      := openapi/kick.yaml
SPEC_TOOLS := tools/spec
NPM_BIN   := $(SPEC_TOOLS)/node_modules/.bin

.PHONY: all test lint generate check-generate lint-spec spec-ts spec-tools clean

all: test

## test: go vet and the whole test suite under the race detector.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

GOLANGCI_LINT_VERSION := v2.15.0
BIN := $(CURDIR)/.bin

## lint: golangci-lint (pinned, built from the Go module proxy) with .golangci.yml.
lint: $(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)
	$(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION) run ./...
$(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION):
	mkdir -p $(BIN)
	GOBIN=$(BIN) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv $(BIN)/golangci-lint $@

## generate: regenerate gen/ from the spec with the pinned oapi-codegen.
generate:
	$(GO) generate ./...
	$(GO) mod tidy

## check-generate: fail if regenerating changes gen/, go.mod or go.sum.
check-generate: generate
	@if ! git diff --quiet -- gen go.mod go.sum || [ -n "$$(git status --porcelain -- gen go.mod go.sum)" ]; then \
		echo "check-generate: gen/, go.mod or go.sum are stale; run 'make generate' and commit:"; \
		git status --short -- gen go.mod go.sum; git --no-pager diff --stat -- gen go.mod go.sum; exit 1; \
	fi
	@echo "check-generate: gen/ is up to date"

## spec-tools: install the pinned npm tools (Redocly CLI, openapi-typescript, TypeScript).
spec-tools: $(NPM_BIN)/redocly
$(NPM_BIN)/redocly: $(SPEC_TOOLS)/package.json $(SPEC_TOOLS)/package-lock.json
	npm ci --prefix $(SPEC_TOOLS) --no-audit --no-fund
	@touch $@

## lint-spec: Redocly lint of the spec with redocly.yaml; any error fails.
lint-spec: spec-tools
	$(NPM_BIN)/redocly lint $(SPEC) --config redocly.yaml --format=stylish

## spec-ts: the spec compiles to TypeScript types that tsc accepts, used by tools/spec/check.ts.
spec-ts: spec-tools
	mkdir -p $(SPEC_TOOLS)/out
	$(NPM_BIN)/openapi-typescript $(SPEC) --redocly $(SPEC_TOOLS)/openapi-typescript.redocly.yaml -o $(SPEC_TOOLS)/out/kick.ts
	$(NPM_BIN)/tsc -p $(SPEC_TOOLS)/tsconfig.json
	@echo "spec-ts: TypeScript types from $(SPEC) type-check"

clean:
	rm -rf $(SPEC_TOOLS)/node_modules $(SPEC_TOOLS)/out
