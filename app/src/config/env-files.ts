import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import type { RawEnv } from './load-config.js';

/** `.env` fills what the real environment leaves unset: real variables always win. */
export function withDotEnv(env: RawEnv, file: string): RawEnv {
  if (!existsSync(file)) return env;
  return { ...parse(readFileSync(file)), ...env };
}
