import { isIP } from 'node:net';
import { type CountryResponse, open, type Reader } from 'maxmind';
import { ConfigError } from '../../config/index.js';
import type { Logger } from '../../observability/logger.js';
import { watchForReplacement } from './watch-file.js';

/** A client address's country (ISO 3166-1 alpha-2), or undefined when the database has none for it. */
export interface CountryLookup {
  countryOf(address: string): string | undefined;
  /** What the operator needs to know the right file is loaded; never sent to clients. */
  readonly description: DatabaseDescription;
  /** Stops watching the file. */
  close(): void;
}

interface DatabaseDescription {
  readonly type: string;
  readonly builtAt: Date;
}

const describe = (reader: Reader<CountryResponse>): DatabaseDescription => ({
  type: reader.metadata.databaseType,
  builtAt: reader.metadata.buildEpoch,
});

/**
 * Opens the MaxMind database at start: a path that is unreadable or not an mmdb file stops the service with
 * one line naming the variable, as any other configuration mistake does, instead of a service that silently
 * serves every country. With `reloadCheckMs` above 0 a replaced file is opened in the background and takes
 * over once it has opened whole; one that does not open (half written, removed, not mmdb) is logged and the
 * database in use stays. (The `maxmind` reader's own watcher cannot be stopped and throws outside any caller
 * on a bad file, hence this one.)
 */
export async function openCountryDatabase(
  path: string,
  options: { readonly reloadCheckMs: number; readonly log: Pick<Logger, 'info' | 'warn'> },
): Promise<CountryLookup> {
  let reader: Reader<CountryResponse>;
  try {
    reader = await open<CountryResponse>(path);
  } catch (error) {
    throw new ConfigError([
      `GEOIP_DATABASE_PATH: cannot open "${path}" as a MaxMind database: ${reason(error)}`,
    ]);
  }
  const stop =
    options.reloadCheckMs > 0
      ? watchForReplacement(path, options.reloadCheckMs, async (present) => {
          if (!present) return options.log.warn({ path }, 'geoip database removed; keeping the one loaded');
          try {
            reader = await open<CountryResponse>(path);
            options.log.info(describe(reader), 'geoip database reloaded');
          } catch (error) {
            options.log.warn(
              { path, reason: reason(error) },
              'geoip database not reloaded; keeping the one loaded',
            );
          }
        })
      : () => {};
  return {
    get description() {
      return describe(reader);
    },
    countryOf(address) {
      // A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; the database keys them as IPv4.
      const plain =
        address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
      if (isIP(plain) === 0) return undefined;
      const record = reader.get(plain);
      // `country` is where the address is used; some ranges (anycast, EU-wide) have only where it is registered.
      const code = record?.country?.iso_code ?? record?.registered_country?.iso_code;
      // Only two capital letters leave this function: the metric's country label stays bounded whatever the file holds.
      return code && /^[A-Z]{2}$/.test(code) ? code : undefined;
    },
    close: stop,
  };
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));
