# Makefile — the two commands of the README quick start, plus the pieces they are made of.
#   make run  [ARGS="--port 9096 ..."]   install build deps if missing, build release, start the server
#   make test                             install deps, build, run the Swift tests and the end-to-end tests
#   make e2e  [PYTEST_ARGS="-k stream"]   only the end-to-end tests (K8S_MCP_BIN picks the binary)
# Everything here works as root on a fresh Debian 12 machine with the Swift toolchain.

SHELL := /bin/bash
# The toolchain often lives at /opt/swift without being on PATH.
ifneq ($(wildcard /opt/swift/usr/bin/swift),)
export PATH := /opt/swift/usr/bin:$(PATH)
endif

VENV        := .venv-test
PYTEST      := $(VENV)/bin/python -m pytest
K8S_MCP_BIN ?= $(CURDIR)/.build/debug/k8s-mcp-server
ARGS        ?=
PYTEST_ARGS ?=

.PHONY: run test build release bootstrap test-env swift-test e2e clean distclean lint

bootstrap:
	@./scripts/bootstrap.sh

test-env: bootstrap
	@./scripts/bootstrap.sh --test
	@./scripts/test-env.sh

build: bootstrap
	swift build

# Release builds link the Swift runtime statically: fewer mappings, a smaller idle RSS and a
# cheaper fork when `--spawner uv_spawn` is used (libuv 1.44 forks); Benchmarks/README.md.
# libstdc++ (used by the Swift runtime, ICU and CoreFoundation) is linked statically as well:
# <scratch>/static-cxx holds nothing but a link to libstdc++.a, and swiftc's -L puts it ahead of
# gcc's own directory, so the toolchain's `-lstdc++` finds the archive and only the members we
# use are mapped instead of the whole shared library (idle RSS -1.1 MB). Without the archive
# no link is made and the shared library is used as before.
static_cxx = mkdir -p $(1)/static-cxx && a="$$(clang -print-file-name=libstdc++.a)" && \
	if [ -f "$$a" ]; then ln -sfn "$$a" $(1)/static-cxx/libstdc++.a; else rm -f $(1)/static-cxx/libstdc++.a; fi
STATIC_CXX = -Xswiftc -L$(CURDIR)/$(1)/static-cxx

release: bootstrap
	$(call static_cxx,.build)
	swift build -c release --static-swift-stdlib $(call STATIC_CXX,.build)

run: release
	exec ./.build/release/k8s-mcp-server $(ARGS)

# Serial: a few tests count the process's descriptors (leaks), which parallel suites would disturb.
swift-test: build
	swift test --no-parallel

# The end-to-end tests start $(K8S_MCP_BIN) themselves; .tools/bin (kubectl when the machine
# has none, helm) comes first on their PATH.
e2e: test-env
	PATH="$(CURDIR)/.tools/bin:$$PATH" K8S_MCP_BIN="$(K8S_MCP_BIN)" $(PYTEST) -q tests/e2e tests/kubeapi $(PYTEST_ARGS)

test: test-env build swift-test e2e

# Static checks of the deployment artifacts (hadolint, shellcheck, systemd-analyze verify, helm
# lint/template + kubectl dry-run). The e2e suite runs it too (tests/e2e/test_ops_lint.py).
lint: test-env build
	K8S_MCP_BIN="$(K8S_MCP_BIN)" ./scripts/lint-ops.sh

clean:
	rm -rf .build .build-bench .pytest_cache tests/e2e/__pycache__ Benchmarks/.out

# Also the test venv and the downloaded tools (the next `make test` fetches them again).
distclean: clean
	rm -rf .venv-test .venv-compat-mcp1 .venv-compat-fastmcp4 .tools Benchmarks/.venv-client Benchmarks/.venv-seed

# Benchmarks (Benchmarks/README.md): a release build in its own scratch directory, the fake CLI,
# the posix_spawn loop and the client venvs (Benchmarks/scripts/setup.sh), then the driver.
#   make bench           our server on its defaults (as `make run`), the bare spawn loop and the Go
#                        reference server (../shared/peers/goref), interleaved; prints the table
#   make bench-compare   ours and the Python seed, interleaved; also writes the table into
#                        Benchmarks/README.md.  BENCH_SECONDS=3 for a quick trial (default 10).
BENCH_SCRATCH ?= .build-bench
BENCH_BIN     := $(CURDIR)/$(BENCH_SCRATCH)/release/k8s-mcp-server

.PHONY: bench bench-compare bench-build

bench-build: bootstrap
	$(call static_cxx,$(BENCH_SCRATCH))
	swift build -c release --static-swift-stdlib --scratch-path $(BENCH_SCRATCH) $(call STATIC_CXX,$(BENCH_SCRATCH))

# The API proxy rows run real kubectl against the emulator of tests/kubeapi (its venv: test-env).
bench: bench-build test-env
	@Benchmarks/scripts/setup.sh
	BENCH_SERVER_BIN="$(BENCH_BIN)" python3 Benchmarks/bench.py

bench-compare: bench-build test-env
	@Benchmarks/scripts/setup.sh --seed
	BENCH_SERVER_BIN="$(BENCH_BIN)" python3 Benchmarks/bench.py --compare --readme

# Reliability (RELIABILITY.md): fuzzing, sanitizers, soak. None of these is part of `make test`
# (building the eight fuzz targets alone takes ~5-8 minutes on two cores); CI (.ci/run) runs
# `fuzz-ci` (seed 1, 30,000 inputs per target, 60 s cap) before the tests.
#   make fuzz            every fuzz target for FUZZ_SECONDS each (default 300), FUZZ_JOBS at a time
#   make fuzz-ci         the same for FUZZ_CI_SECONDS each (default 60)
#   make test-sanitize   the Swift tests under AddressSanitizer, then under ThreadSanitizer
#   make soak            SOAK_SECONDS (default 600) of mixed traffic against the release binary
FUZZ_SECONDS    ?= 300
FUZZ_CI_SECONDS ?= 60
# CI's fuzz run is reproducible: one seed, a fixed number of inputs per target (the time is
# only a cap); `make fuzz` explores with fresh seeds.
FUZZ_CI_SEED    ?= 1
FUZZ_CI_RUNS    ?= 30000
FUZZ_JOBS       ?= 1
FUZZ_SCRATCH    ?= $(CURDIR)/.build-fuzz
SOAK_SECONDS    ?= 600
SOAK_BIN        := $(CURDIR)/.build/release/k8s-mcp-server

.PHONY: fuzz fuzz-ci fuzz-build test-sanitize soak

fuzz-build: bootstrap
	FUZZ_SCRATCH="$(FUZZ_SCRATCH)" Fuzz/build.sh

fuzz: fuzz-build
	FUZZ_SCRATCH="$(FUZZ_SCRATCH)" FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) Fuzz/run.sh

fuzz-ci: fuzz-build
	FUZZ_SCRATCH="$(FUZZ_SCRATCH)" FUZZ_SECONDS=$(FUZZ_CI_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) \
		FUZZ_SEED=$(FUZZ_CI_SEED) FUZZ_RUNS=$(FUZZ_CI_RUNS) Fuzz/run.sh

# --disable-xctest: the empty XCTest runner leaks a few objects inside libXCTest itself, which
# LeakSanitizer reports as a failure; every Swift Testing suite still runs.
test-sanitize: bootstrap
	swift test --sanitize=address --scratch-path .build-asan --disable-xctest
	swift test --sanitize=thread --scratch-path .build-tsan --disable-xctest

soak: test-env release
	SOAK_SECONDS=$(SOAK_SECONDS) K8S_MCP_BIN="$(SOAK_BIN)" $(VENV)/bin/python tests/soak/soak.py
