/**
 * What a stage changes on the shared base: any subset of the fields, nested. Arrays and scalars replace the
 * base value whole (a host list is a value, not something to append to); objects merge field by field.
 */
export type StageOverride<T> = {
  readonly [K in keyof T]?: T[K] extends readonly unknown[]
    ? T[K]
    : T[K] extends object
      ? StageOverride<T[K]>
      : T[K];
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The base with each override laid over it in turn; the inputs are left untouched. */
export function withOverrides(base: object, ...overrides: readonly object[]): Record<string, unknown> {
  return overrides.reduce<Record<string, unknown>>((merged, override) => mergeInto(merged, override), {
    ...base,
  });
}

function mergeInto(base: Record<string, unknown>, override: object): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeInto(current, value) : value;
  }
  return merged;
}
