# vpcprove: the two commands a newcomer needs are `make demo` and `make test`.
# Everything else is CMake (see CMakePresets.json); this file only strings the steps together.

JOBS ?= $(shell nproc)

# The demo asks the headline question of the primer example network (examples/primer/README.md):
# can anything in a private subnet reach the internet? It can, through the NAT gateway, and
# vpcprove prints the counterexample packet with its path and the reply's way back.
DEMO_CMD = ./build/vpcprove reach examples/primer --from private-subnets --to internet

.PHONY: all deps build test test-all test-corpus test-browser demo format format-check clean install package

all: build

deps:
	./scripts/install-deps.sh

build: deps
	cmake --preset default
	cmake --build --preset default -j$(JOBS)

# Every fast test that needs nothing outside the repository; the slow tier, benchmarks and the
# corpus tier are left to test-all and test-corpus.
test: build
	ctest --preset default --output-on-failure -j$(JOBS) -LE "slow|bench|corpus|browser"

test-all: build
	ctest --preset default --output-on-failure -j$(JOBS) -LE "corpus|browser"

# The corpus tier: AWS snapshots another project wrote, with the answers it expects
# (CORPUS, default ../shared/corpus; a clone does not have it).
CORPUS ?= $(abspath ../shared/corpus)
test-corpus: deps
	@if [ ! -f "$(CORPUS)/EXPECTED.md" ]; then \
	  echo "make test-corpus: no corpus at $(CORPUS) (no EXPECTED.md there); give CORPUS=DIR" >&2; exit 2; fi
	cmake --preset default -DVPCPROVE_CORPUS_DIR="$(CORPUS)"
	cmake --build --preset default -j$(JOBS)
	ctest --preset default --output-on-failure -j$(JOBS) -L corpus

# The browser tier: check's HTML report and graph's SVG in headless Chromium (installed here by
# install-deps.sh --browser): pages load, no hop text leaves its box, every anchor resolves.
test-browser:
	./scripts/install-deps.sh --browser
	cmake --preset default
	cmake --build --preset default -j$(JOBS)
	ctest --preset default --output-on-failure -L browser --no-tests=error

demo: build
	$(DEMO_CMD)

# Installs vpcprove, vpcprove-collect and the specs library (share/vpcprove) under PREFIX, staged
# under DESTDIR when given: make install PREFIX=/opt/vpcprove DESTDIR=/tmp/stage
PREFIX ?= /usr/local
install: build
	DESTDIR=$(DESTDIR) cmake --install build --prefix $(PREFIX)

# The Debian package (build/vpcprove_VERSION_ARCH.deb); deploy/Dockerfile installs it.
package: build
	cd build && cpack -G DEB

format:
	git ls-files '*.h' '*.cpp' | xargs -r clang-format -i

format-check:
	git ls-files '*.h' '*.cpp' | xargs -r clang-format --dry-run --Werror

clean:
	rm -rf build

# Benchmarks: a Release build with the benchmark tools in build-bench/, then the suite;
# benchmarks/RESULTS.md gets the numbers. BENCH_ARGS passes options to run.sh (e.g. --runs 3).
.PHONY: bench
bench: deps
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DVPCPROVE_BUILD_BENCHMARKS=ON
	cmake --build build-bench -j$(JOBS) --target vpcprove_cli vpcprove_gen_estate vpcprove_parse_floor
	./benchmarks/run.sh --build build-bench $(BENCH_ARGS)

# Trust. Neither is part of `make test`; both need only what their comment says.
.PHONY: fuzz test-asan

# libFuzzer harnesses (loader, spec, scope) in build-fuzz/, FUZZ_SECONDS each (default 60).
# Needs clang and libclang-rt-14-dev: ./scripts/install-deps.sh --fuzz
FUZZ_SECONDS ?= 60
fuzz:
	./scripts/install-deps.sh --fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) ./fuzz/run.sh

# The make-test suite built with ASan + UBSan (Debug) in build-asan/. The random tiers (the
# differential cases, the exhaustive networks, the random-network reason tests) are left out:
# under ASan they need far longer than their timeouts, and make test runs them on the Release build.
test-asan: deps
	cmake --preset asan
	cmake --build --preset asan -j$(JOBS)
	ctest --preset asan --output-on-failure -j$(JOBS) -LE "slow|bench|differential|corpus|browser|collect|packaging" \
	  -E "exhaustive|random networks"
