import { createHash } from 'node:crypto';
import type { Logger } from '../../observability/logger.js';
import { Invalid } from '../../shared/errors.js';

/** Where the opt-in breach lookup asks, and how long it may take. */
export interface BreachLookupSettings {
  /** Base URL of a Pwned Passwords range API, e.g. https://api.pwnedpasswords.com (`/range/<prefix>` is added). */
  readonly url: string;
  readonly timeoutMs: number;
}

export interface BreachedPasswords {
  /** True only when the lookup answered and listed the password; false when it did not, or could not answer. */
  isBreached(password: string): Promise<boolean>;
}

/** The default: no lookup leaves the process (the bundled common-password list still applies). */
export const noBreachLookup: BreachedPasswords = { isBreached: async () => false };

/**
 * k-anonymity lookup against a Pwned Passwords range API (https://haveibeenpwned.com/API/v3, "Searching by
 * range"): only the first five hex characters of the password's SHA-1 leave the process; the answer lists
 * every known hash suffix under that prefix as `SUFFIX:COUNT` lines. `Add-Padding: true` makes the answer
 * carry decoy suffixes with count 0, so its size does not give the prefix away either; those are not breaches.
 *
 * Fails open: a lookup that errs, answers anything but 200, or takes longer than the timeout lets the password
 * through, with a warning in the log. An outside service must not be able to stop registrations.
 */
export function rangeApiLookup(settings: BreachLookupSettings, log: Pick<Logger, 'warn'>): BreachedPasswords {
  const base = settings.url.replace(/\/+$/, '');
  return {
    async isBreached(password) {
      const hash = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
      const prefix = hash.slice(0, 5);
      const suffix = hash.slice(5);
      try {
        const response = await fetch(`${base}/range/${prefix}`, {
          headers: { 'add-padding': 'true', 'user-agent': 'platform-api' },
          signal: AbortSignal.timeout(settings.timeoutMs),
        });
        if (response.status !== 200) throw new Error(`range API answered ${response.status}`);
        return timesSeen(await response.text(), suffix) > 0;
      } catch (error) {
        // The prefix is not logged: with the time of a registration it would narrow the password down.
        log.warn({ err: error }, 'breached-password lookup failed; password accepted (fail-open)');
        return false;
      }
    },
  };
}

/** How often the range answer says `suffix` was seen (0 when absent, or listed only as padding). */
function timesSeen(body: string, suffix: string): number {
  for (const line of body.split(/\r?\n/)) {
    const [candidate, count] = line.trim().split(':');
    if (candidate?.toUpperCase() === suffix) return Number(count) || 0;
  }
  return 0;
}

/** Refuses, as a field error, a new password the lookup lists as breached. */
export async function refuseBreachedPassword(
  lookup: BreachedPasswords | undefined,
  password: string,
  field: string,
): Promise<void> {
  if (await lookup?.isBreached(password)) {
    throw new Invalid('This password appears in a known data breach; choose another.', [
      { field, message: 'appears in a known data breach' },
    ]);
  }
}
