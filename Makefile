# matomo-etl: the two commands of the quick start, and a few more.
#   make run    install dependencies if missing, build, and run the demo (simulator -> DuckDB)
#   make test   install, build, and run the whole test suite (what CI runs)
#   make fuzz   long fuzz run of every target (FUZZ_SECONDS each, default 600; docs/fuzzing.md)
#   make bench  benchmarks (bench/), results in bench/results/latest.md
#   make install  install into PREFIX (default /usr/local; DESTDIR honoured): docs/deployment.md
#   make deb    the Debian package, in BUILD (docs/deployment.md)

JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
CMAKE_FLAGS ?=
PREFIX ?= /usr/local
# `make install INSTALL_STRIP=` keeps the debug information.
INSTALL_STRIP ?= --strip

.PHONY: all deps build build-asan run test fuzz test-unit test-e2e test-asan bench docs install deb clean

all: build

deps:
	@./scripts/install-deps.sh

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMETL_WERROR=ON $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

$(ASAN_BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMETL_SANITIZE=ON -DMETL_E2E=ON -DMETL_BENCH=OFF

# The unit tests, and the end-to-end tests driving sanitized matomo-etl and matomo-sim.
build-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target metl_unit_tests metl_e2e_tests matomo-etl matomo-sim google-fake

run: build
	./$(BUILD)/matomo-etl demo

test: build build-asan
	@./scripts/run-tests.sh $(BUILD) $(ASAN_BUILD)

test-unit: build
	cd $(BUILD) && ctest -L unit --output-on-failure -j $(JOBS)

test-e2e: build
	cd $(BUILD) && ctest -L e2e --output-on-failure

test-asan: build-asan
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ./$(ASAN_BUILD)/metl_unit_tests
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest -R '^(e2e|fixture)[.]' --output-on-failure --timeout 900

FUZZ_SECONDS ?= 600
fuzz: deps
	./scripts/fuzz.sh $(FUZZ_SECONDS) build-fuzz

bench: build
	./bench/run.sh $(BUILD)

docs: build
	./$(BUILD)/matomo-etl options > docs/configuration.md
	./$(BUILD)/matomo-etl schema > docs/schema.md

# bin/matomo-etl, bin/matomo-sim, lib/matomo-etl/libduckdb.so (found through an $ORIGIN-relative RUNPATH, so the
# tree can be moved), the systemd units (not enabled), docs and examples: packaging/install.cmake.
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)" $(INSTALL_STRIP)

# The same tree under /usr as BUILD/matomo-etl_VERSION_ARCH.deb (Depends computed by dpkg-shlibdeps).
deb: build
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
