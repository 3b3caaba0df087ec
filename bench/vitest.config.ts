import { defineConfig } from "vitest/config";

// The benchmark's own unit tests (`npx vitest run --config bench/vitest.config.ts`); the
// benchmark itself never runs under vitest.
export default defineConfig({
  test: {
    name: "bench-unit",
    root: import.meta.dirname,
    include: ["**/*.test.ts"],
    exclude: ["results/**", "**/node_modules/**"],
    testTimeout: 20_000,
  },
});
