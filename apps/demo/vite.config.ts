import { defineConfig } from "vite";

// The demo is built into dist/ and served by harness/stack (see docs/demo.md).
export default defineConfig({
  build: {
    target: "es2022",
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
  },
});
