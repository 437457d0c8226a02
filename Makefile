# PlexSync. `make demo` sets everything up and runs the demo; `make test`
# runs the whole test suite. Both build what they need first.

GO          ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# -p 1: one package at a time; the end-to-end packages each run a Temporal
# server and workers, and timing-based scenarios need the 2 cores to themselves.
TEST_FLAGS  ?= -count=1 -timeout 40m -p 1
# package:FuzzTarget:executions. Budgets are execution counts, not durations:
# with a duration, Go 1.26's fuzz coordinator can fail a clean run with
# "context deadline exceeded" at the deadline (golang/go#75804, fixed in 1.27).
# Each count is a few seconds of fuzzing here; a real finding writes a
# reproducer under testdata/fuzz and fails the run.
FUZZ_TARGETS := internal/stash:FuzzParsePluginInput:60000x internal/scene:FuzzBuild:120000x internal/match:FuzzMap:300000x

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

## fuzz: run each fuzz target for its execution budget beyond its committed corpus
fuzz:
	@for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; rest=$${t#*:}; target=$${rest%%:*}; budget=$${rest#*:}; \
	  echo "fuzz $$target ($$budget)"; \
	  $(GO) test -run='^$$' -fuzz="^$$target$$" -fuzztime=$$budget -timeout=5m ./$$pkg || exit 1; \
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
