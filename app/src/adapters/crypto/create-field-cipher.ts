import type { FieldEncryptionSettings } from '../../config/index.js';
import type { VaultClient } from '../vault/vault-client.js';
import type { FieldCipher } from './field-cipher.js';
import { LocalFieldCipher } from './local-field-cipher.js';
import { TransitFieldCipher } from './transit-field-cipher.js';

/** The cipher the configuration asks for: Vault transit when Vault has a transit key, else the local keys. */
export function createFieldCipher(
  settings: FieldEncryptionSettings,
  vault: VaultClient | undefined,
): FieldCipher {
  if (settings.kind === 'local') return new LocalFieldCipher(settings.keys);
  if (!vault) throw new Error('field encryption is set to Vault transit, but Vault is not configured');
  return new TransitFieldCipher(vault, settings);
}
