# OpenDTM — the commands a newcomer needs. See README.md.
#   make          build into build/ (the binary is build/dtm)
#   make test     install dependencies, build, run unit + integration tests, and the
#                 unit tests again under ASan + UBSan
#   make demo     install dependencies, build, run the demo pipeline into demo-out/
#   make bench    build and run the benchmarks; results in bench/results/

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all build deps test test-asan demo bench clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

$(ASAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DOPENDTM_SANITIZE=ON -DOPENDTM_BENCH=OFF $(CMAKE_FLAGS)

test-asan: $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) -L unit --output-on-failure -j $(JOBS)

# The sanitizer run comes first so that the run ends with ctest's summary of the
# whole suite (unit + integration) on the normal build.
test: deps test-asan build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

demo: deps build
	bash scripts/demo.sh $(BUILD)/dtm demo-out

bench: build
	bash bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) demo-out
