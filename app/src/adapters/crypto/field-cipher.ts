/**
 * Encrypts sensitive columns before they reach the database. Repositories hold one and never see keys.
 * Ciphertexts are self-describing strings (`<scheme>:v<keyVersion>:<payload>`), so rows written under an older
 * key version stay readable and can be found and re-wrapped after a rotation.
 */
export interface FieldCipher {
  encrypt(plaintext: string): Promise<string>;
  decrypt(ciphertext: string): Promise<string>;
  /** Re-encrypts under the newest key version without exposing the plaintext (Vault transit `rewrap`). */
  rewrap(ciphertext: string): Promise<string>;
  /** True when the ciphertext was written under an older key version than the newest one. */
  isStale(ciphertext: string): boolean;
}
