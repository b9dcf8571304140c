import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The most common passwords from public breach corpora: the ranked list @zxcvbn-ts/language-common 4.1.3
 * ships (`passwords-common`, about 49,000 entries; MIT licence). ASVS 4.0.3 2.1.7: a new password found in
 * such a list is refused. Compared lower-cased, so `QWERTY123456` is as common as `qwerty123456`. Built on
 * first use: the service pays for the Set only when someone chooses a password.
 */
let common: ReadonlySet<string> | undefined;

export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map((entry) => entry.toLowerCase()));
  return common.has(password.toLowerCase());
}
