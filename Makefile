# ketnap — two commands on a fresh machine: `make run` and `make test`.
GO      ?= go
BIN     := bin/ketnap
PKGS    := ./...

.PHONY: run build test test-short deps generate lint bench fuzz cover clean

## run: build and serve on http://localhost:8080 (a private PostgreSQL under ./data when DATABASE_URL is unset)
run: build
	./$(BIN) serve

## build: the one binary, templates, migrations and assets embedded
build:
	$(GO) build -o $(BIN) ./cmd/ketnap

## test: every test — unit, store tests on a real PostgreSQL, handler tests, browser tests
test: deps
	$(GO) test -race -count=1 -timeout 30m $(PKGS)

## test-short: everything but the browser tests
test-short:
	$(GO) test -race -count=1 -short $(PKGS)

## deps: install what the tests need where possible (PostgreSQL, Chromium)
deps:
	@./.ci/deps

## generate: templ templates to Go
generate:
	$(GO) tool templ generate

## lint: gofmt, go vet, and generated templates unchanged by templ generate
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) tool templ generate
	@git diff --exit-code -- '*_templ.go' || (echo "templ generate changed the generated files: run make generate and commit"; exit 1)
	@if [ -n "$$(git ls-files --others --exclude-standard -- '*_templ.go')" ]; then echo "untracked generated templates: commit them"; exit 1; fi

## fuzz: the native fuzz targets, FUZZTIME each (their seed corpora also run in make test)
FUZZTIME ?= 2m
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParseDate$$' -fuzztime $(FUZZTIME) ./internal/admission
	$(GO) test -run '^$$' -fuzz '^FuzzPersonName$$' -fuzztime $(FUZZTIME) ./internal/admission
	$(GO) test -run '^$$' -fuzz '^FuzzReadStepForm$$' -fuzztime $(FUZZTIME) ./internal/web
	$(GO) test -run '^$$' -fuzz '^FuzzGate$$' -fuzztime $(FUZZTIME) ./internal/web

## bench: Go benchmarks with their figures
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./internal/...

## cover: coverage of the admission engine
cover:
	$(GO) test -count=1 -coverprofile=coverage.out ./internal/admission/... && $(GO) tool cover -func=coverage.out | tail -1

clean:
	rm -rf bin test-artifacts coverage.out
