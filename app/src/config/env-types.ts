import { z } from 'zod';

/** Shapes of environment-variable values, shared by every part of the configuration schema. */

/** `a, b,,c` -> ['a', 'b', 'c']; unset -> []. */
export const csv = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  );

export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
