# jinsong: the front door. Everything real happens in CMake; these targets chain
# deps -> configure -> build -> run/test so that a fresh Debian 12 machine needs two commands.
BUILD ?= build
JOBS ?= $(shell nproc)
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=
ifeq ($(CI),true)
CMAKE_FLAGS += -DJS_WERROR=ON
endif
SCENARIO ?= configs/jingkang.yaml

.PHONY: all deps configure build run test test-unit bench validate-flee validate-scenarios format check-format asan clean help

all: build

help:
	@echo "make run      build and run the default scenario ($(SCENARIO)) -> results/"
	@echo "make test     build and run every unit and integration test (ctest)"
	@echo "make bench    benchmarks (figures printed, nothing timed in tests)"
	@echo "make validate-flee [SEEDS=10]  FLEE's real-conflict scenarios: ARD and speed"
	@echo "make validate-scenarios [SCENARIO_SEEDS=8]  jingkang: Kaifeng falls in >= half the seeds; scorecards"
	@echo "make asan     build with address+undefined sanitizers and run the unit tests"
	@echo "make format   clang-format the C sources"

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS) > $(BUILD).configure.log 2>&1 \
	  || { cat $(BUILD).configure.log; exit 1; }

build: configure
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/jinsong run $(SCENARIO)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

asan:
	$(MAKE) test-unit BUILD=build-asan BUILD_TYPE=Debug CMAKE_FLAGS="$(CMAKE_FLAGS) -DJS_SANITIZE=address,undefined"

bench: build
	bash bench/run.sh $(BUILD)

SEEDS ?= 10
validate-flee: build
	bash scripts/validate_flee.sh $(BUILD) $(SEEDS)

# jingkang with seeds 1..N (default 8): Kaifeng passes to the Jin by a siege in at least half;
# the scorecards of configs/targets/ on those runs and on southern_song's (docs/SCENARIOS.md)
SCENARIO_SEEDS ?= 8
validate-scenarios: build
	bash scripts/validate_scenarios.sh $(BUILD) $(SCENARIO_SEEDS)

format:
	clang-format -i src/*/*.c src/*/*.h include/jinsong/*.h tests/unit/*.c

check-format:
	clang-format --dry-run --Werror src/*/*.c src/*/*.h include/jinsong/*.h tests/unit/*.c

clean:
	rm -rf $(BUILD) build-asan $(BUILD).configure.log
