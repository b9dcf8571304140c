/** A field ciphertext: `<scheme>:v<keyVersion>:<payload>` (Vault transit's own format, reused for local keys). */
export interface ParsedCiphertext {
  readonly scheme: string;
  readonly keyVersion: number;
  readonly payload: string;
}

const format = /^([a-z]+):v(\d+):(.+)$/s;

export function parseCiphertext(ciphertext: string): ParsedCiphertext | undefined {
  const match = format.exec(ciphertext);
  if (!match) return undefined;
  return { scheme: match[1]!, keyVersion: Number(match[2]), payload: match[3]! };
}

/** Decryption failed: the message never quotes the ciphertext or the plaintext. */
export class FieldCipherError extends Error {
  override name = 'FieldCipherError';
}
