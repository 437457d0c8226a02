# PlexSync. `make demo` sets everything up and runs the demo; `make test`
# runs the whole test suite. Both build what they need first.

GO          ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# -p 1: one package at a time; the end-to-end packages each run a Temporal
# server and workers, and timing-based scenarios need the 2 cores to themselves.
TEST_FLAGS  ?= -count=1 -timeout 40m -p 1
FUZZTIME    ?= 10s
# package:FuzzTarget pairs; `go test -fuzz` takes one target at a time.
FUZZ_TARGETS := internal/stash:FuzzParsePluginInput internal/scene:FuzzBuild internal/match:FuzzMap

.PHONY: setup build demo test bench fuzz lint compose-check dev-server clean

BENCH_SCENES  ?= 1000,10000
BENCH_HOOKS   ?= 200
BENCH_LATENCY ?= 3ms

## setup: build the pinned Temporal CLI (dev server) and plexsync into ./bin
setup: build
	./temporal/install.sh

## build: build bin/plexsync
build:
	$(GO) build -o bin/plexsync ./cmd/plexsync

## demo: run the whole pipeline against simulated Stash and Plex servers
demo: setup
	./bin/plexsync demo

## test: lint, every test (unit, workflow, replay, end-to-end on a real dev server), then brief fuzzing
test: setup lint
	@mkdir -p .data && rm -f .data/figures.txt
	PLEXSYNC_FIGURES=$(CURDIR)/.data/figures.txt $(GO) test $(TEST_FLAGS) ./...
	@echo "Figures measured by the tests (fault suite, rate cap, benchmark smoke run):" && cat .data/figures.txt
	@$(MAKE) --no-print-directory fuzz

## bench: measure reconciliations (1,000 and 10,000 scenes) and hook latency; prints figures
bench: setup
	@mkdir -p .data && rm -f .data/bench.txt
	PLEXSYNC_FIGURES=$(CURDIR)/.data/bench.txt PLEXSYNC_BENCH_SCENES=$(BENCH_SCENES) PLEXSYNC_BENCH_HOOKS=$(BENCH_HOOKS) \
	  PLEXSYNC_BENCH_LATENCY=$(BENCH_LATENCY) $(GO) test -count=1 -timeout 90m ./tests/bench
	@echo "Benchmark ($$(nproc) cores, latency $(BENCH_LATENCY) per Stash/Plex request):" && cat .data/bench.txt

## fuzz: run each fuzz target for FUZZTIME (default 10s) beyond its committed corpus
fuzz:
	@for t in $(FUZZ_TARGETS); do \
	  echo "fuzz $${t#*:} ($(FUZZTIME))"; \
	  $(GO) test -run='^$$' -fuzz="^$${t#*:}$$" -fuzztime=$(FUZZTIME) ./$${t%%:*} || exit 1; \
	done

## lint: gofmt, go vet and staticcheck
lint:
	@unformatted="$$(gofmt -l $$(git ls-files '*.go'))"; \
	  if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	GOBIN=$(CURDIR)/bin $(GO) install $(STATICCHECK)
	./bin/staticcheck ./...
	@$(MAKE) --no-print-directory compose-check

## compose-check: validate docker-compose.yml when a compose tool is installed
compose-check:
	@if docker compose version >/dev/null 2>&1; then docker compose config -q && echo "docker-compose.yml: valid (docker compose)"; \
	elif command -v docker-compose >/dev/null; then docker-compose config -q && echo "docker-compose.yml: valid (docker-compose)"; \
	else echo "compose-check: no docker compose here; tests/compose_test.go still checks the file's structure"; fi

## dev-server: run the Temporal dev server in the foreground (UI on :8233)
dev-server: setup
	./temporal/start-dev.sh

clean:
	rm -rf bin .data
