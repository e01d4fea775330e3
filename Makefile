# vpcprove: the two commands a newcomer needs are `make demo` and `make test`.
# Everything else is CMake (see CMakePresets.json); this file only strings the steps together.

JOBS ?= $(shell nproc)

# The demo: the primer example network (examples/primer/README.md lists its IDs).
# eni-02d8722b580a174f6 is the private app server's interface.
DEMO_CMD = ./build/vpcprove --version && \
	./build/vpcprove trace examples/primer --from eni-02d8722b580a174f6 --to 8.8.8.8 --protocol tcp --dst-port 443

.PHONY: all deps build test test-all demo format format-check clean

all: build

deps:
	./scripts/install-deps.sh

build: deps
	cmake --preset default
	cmake --build --preset default -j$(JOBS)

# Every fast test; slow tiers and benchmarks are left to test-all.
test: build
	ctest --preset default --output-on-failure -j$(JOBS) -LE "slow|bench"

test-all: build
	ctest --preset default --output-on-failure -j$(JOBS)

demo: build
	$(DEMO_CMD)

format:
	git ls-files '*.h' '*.cpp' | xargs -r clang-format -i

format-check:
	git ls-files '*.h' '*.cpp' | xargs -r clang-format --dry-run --Werror

clean:
	rm -rf build
