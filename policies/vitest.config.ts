import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'policies',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
