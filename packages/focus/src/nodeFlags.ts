// The V8 flags and the environment the focus process runs with, wherever it is started:
// packages/focus/bin/matrix-focus (which repeats them; nodeFlags.test.ts keeps the two equal),
// the stack of `npm start` and the tests, and the benchmark's focus host.
// - a 2 MiB young generation: V8 otherwise grows it to 64 MiB under a steady packet rate, all
//   of it resident (docs/decisions/perf-memory.md);
// - garbage collection on the thread whose heap it is: V8's helper threads for concurrent
//   marking and parallel compaction otherwise take the core from the media loop when the
//   focus has one core per loop, holding packets for up to ~100 ms (docs/decisions/perf-gc.md).
export const focusNodeFlags: readonly string[] = [
  "--max-semi-space-size=2",
  "--single-threaded-gc",
];

/**
 * Environment the focus process starts with (an operator's own value wins): glibc's malloc
 * with at most two arenas instead of up to eight per core. Each thread that allocates gets an
 * arena of its own, and freed memory stays with it; V8's compiler threads, which run at a low
 * priority (helperThreads.ts) and so hold their compile jobs' memory longer, left 29-48 MiB of
 * arenas in a call of 25 against 10-13 MiB with two (docs/decisions/perf-helper-threads.md).
 */
export const focusEnv: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2" };
