// One main for every Google Benchmark in bench/.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
