// The V8 flags the focus process runs with, wherever it is started: packages/focus/bin/
// matrix-focus (which repeats them; nodeFlags.test.ts keeps the two equal), the stack of
// `npm start` and the tests, and the benchmark's focus host.
// - a 2 MiB young generation: V8 otherwise grows it to 64 MiB under a steady packet rate, all
//   of it resident (docs/decisions/perf-memory.md);
// - garbage collection on the thread whose heap it is: V8's helper threads for concurrent
//   marking and parallel compaction otherwise take the core from the media loop when the
//   focus has one core per loop, holding packets for up to ~100 ms (docs/decisions/perf-gc.md).
export const focusNodeFlags: readonly string[] = [
  "--max-semi-space-size=2",
  "--single-threaded-gc",
];
