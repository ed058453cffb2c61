import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS (main) and ESM (module) copies. Node loads the CommonJS
    // one for type-graphql and Apollo; our own files must get that same copy, or
    // graphql-js rejects types "from another module or realm".
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['api/test/**/*.test.ts', 'addin/test/**/*.test.ts'],
    globalSetup: ['api/test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // expect.poll waits for what a page or the outbox does in its own time (an autosave after its
    // pause, a focus move): on a loaded machine that takes far longer than vitest's 1 s default.
    // It ends as soon as the expectation holds, so a generous limit costs nothing when all is well.
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
});
