import { defineConfig } from 'vitest/config';

// One test run for the whole repository: each workspace is a project with its own config.
export default defineConfig({
  test: {
    projects: ['app', 'charts', 'infra', 'policies'],
  },
});
