import { createRequire } from 'node:module';
import type { dictionary as Dictionary } from '@zxcvbn-ts/language-common';

/**
 * The most common passwords from public breach corpora: the ranked list @zxcvbn-ts/language-common 4.1.3
 * ships (`passwords-common`, about 49,000 entries; MIT licence). ASVS 4.0.3 2.1.7: a new password found in
 * such a list is refused. Compared lower-cased, so `QWERTY123456` is as common as `qwerty123456`. Loaded and
 * built on first use: importing the package decompresses all its dictionaries, which no start should wait for;
 * the service pays only when someone chooses a password.
 */
let common: ReadonlySet<string> | undefined;

const loadCommon = () => {
  const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as {
    dictionary: typeof Dictionary;
  };
  return new Set(dictionary['passwords-common'].map((entry) => entry.toLowerCase()));
};

export function isCommonPassword(password: string): boolean {
  common ??= loadCommon();
  return common.has(password.toLowerCase());
}
