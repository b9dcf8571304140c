import { isIP } from 'node:net';
import { type CountryResponse, open } from 'maxmind';
import { ConfigError } from '../../config/index.js';

/** A client address's country (ISO 3166-1 alpha-2), or undefined when the database has none for it. */
export interface CountryLookup {
  countryOf(address: string): string | undefined;
  /** What the operator needs to know the right file is loaded; never sent to clients. */
  readonly description: { readonly type: string; readonly builtAt: Date };
}

/**
 * Opens the MaxMind database once, at start: a path that is unreadable or not an mmdb file stops the
 * service with one line naming the variable, as any other configuration mistake does, instead of a
 * service that silently serves every country. Not reloaded when the file changes (see http/README.md).
 */
export async function openCountryDatabase(path: string): Promise<CountryLookup> {
  let reader: Awaited<ReturnType<typeof open<CountryResponse>>>;
  try {
    reader = await open<CountryResponse>(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([`GEOIP_DATABASE_PATH: cannot open "${path}" as a MaxMind database: ${reason}`]);
  }
  return {
    description: { type: reader.metadata.databaseType, builtAt: reader.metadata.buildEpoch },
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
  };
}
