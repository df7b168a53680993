import { defineConfig } from "vitest/config";

// Derivative tests compile and run whole models at orders up to 5; on a loaded
// 2-core machine some take several seconds, so vitest's 5 s default would fail
// them for load, not for a wrong number.
export default defineConfig({ test: { testTimeout: 30_000 } });
