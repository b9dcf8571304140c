import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../../src/config/schema.js';

const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8').split('\n');

describe('.env.example', () => {
  const variable = /^([A-Z][A-Z0-9_]*)=/;
  // A variable's comment is the line above its block (closely related variables share one comment).
  const commentAbove = (index: number) => {
    let line = index - 1;
    while (line >= 0 && variable.test(example[line]!)) line -= 1;
    return example[line] ?? '';
  };
  const documented = new Map<string, string>();
  example.forEach((line, index) => {
    const match = variable.exec(line);
    if (match) documented.set(match[1]!, commentAbove(index));
  });

  it('lists every variable the configuration schema reads, and nothing else', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it('gives every variable (or its block of related ones) a comment above it', () => {
    for (const [name, previous] of documented) expect(previous.startsWith('#'), name).toBe(true);
  });
});
