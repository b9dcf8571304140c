import { ConfigError, loadConfig } from '../../src/config/index.js';

/** The lines loadConfig refuses this environment with; empty when it starts. */
export function configProblems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
