import { z } from 'zod';

/**
 * `?fields=id,title`: a sparse fieldset over a response object. The allow-list is the response schema's own
 * keys, so a field added to the contract becomes selectable without a second list to keep in step.
 *
 * `id` is always returned, asked for or not: a client needs it for every follow-up (read, change, delete) and
 * it is half of the list cursor's position, so a trimmed answer must still say which row it is.
 */
export function fieldsParam<Shape extends z.ZodRawShape>(response: z.ZodObject<Shape>) {
  const allowed = Object.keys(response.shape);
  const name = `(?:${allowed.join('|')})`;
  const unknownIn = (raw: unknown) =>
    String(raw)
      .split(',')
      .filter((field) => !allowed.includes(field))
      .map((field) => JSON.stringify(field));
  return (
    z
      .string()
      // Every field at most a few times over: enough for careless duplicates, not for a megabyte of commas.
      .max(allowed.join(',').length * 4)
      // A pattern rather than a refinement, so the document states the allowed values as a machine can read.
      .regex(new RegExp(`^${name}(?:,${name})*$`), {
        error: (issue) => `unknown or empty field ${unknownIn(issue.input).join(', ')}; allowed: ${allowed}`,
      })
      .transform((raw) => new Set(['id', ...raw.split(',')]) as ReadonlySet<string>)
      .optional()
      .meta({
        description: `Comma-separated fields to return, of: ${allowed.join(', ')}. \`id\` is always returned. Without it, every field.`,
        example: allowed.slice(0, 2).join(','),
      })
  );
}

/** The object with only the selected fields; the object itself when nothing was selected. */
export function selectFields<T extends object>(
  value: T,
  fields: ReadonlySet<string> | undefined,
): Partial<T> {
  if (fields === undefined) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => fields.has(key))) as Partial<T>;
}

/** A page with each item trimmed; the envelope (`nextCursor`) untouched. */
export function selectPageFields<T extends object, P extends { readonly items: readonly T[] }>(
  page: P,
  fields: ReadonlySet<string> | undefined,
): P {
  if (fields === undefined) return page;
  return { ...page, items: page.items.map((item) => selectFields(item, fields)) };
}
