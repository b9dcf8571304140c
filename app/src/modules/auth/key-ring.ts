import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

export const signingAlgorithms = ['ES256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof signingAlgorithms)[number];

export interface SigningKeySet {
  /** The key that signs new tokens. */
  readonly activeKid: string;
  /** Private JWKs with `kid` and `alg`. Every key verifies; only the active one signs. */
  readonly keys: readonly (JsonWebKey & { kid: string; alg: SigningAlgorithm })[];
}

interface LoadedKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicJwk: JsonWebKey & { kid: string; alg: string; use: 'sig' };
}

/**
 * The token signing keys, replaceable while running: when a new key set arrives (from Vault), a new kid signs
 * and the previous keys keep verifying the tokens they signed until those expire.
 */
export class KeyRing {
  #active!: LoadedKey;
  #byKid = new Map<string, LoadedKey>();
  #set!: SigningKeySet;
  #version = 0;

  constructor(set: SigningKeySet) {
    this.replace(set);
  }

  static parse(json: string, activeKid: string | undefined): KeyRing {
    const keys = JSON.parse(json) as SigningKeySet['keys'];
    return new KeyRing({ activeKid: activeKid ?? keys[0]!.kid, keys });
  }

  replace(set: SigningKeySet): void {
    const loaded = new Map(set.keys.map((jwk) => [jwk.kid, load(jwk)]));
    const active = loaded.get(set.activeKid);
    if (!active) throw new Error(`signing key set has no key with kid ${set.activeKid}`);
    this.#byKid = loaded;
    this.#active = active;
    this.#set = set;
    this.#version += 1;
  }

  /** Changes with every replace(): whatever was verified against an older ring must be verified again. */
  get version(): number {
    return this.#version;
  }

  get keySet(): SigningKeySet {
    return this.#set;
  }

  get signing(): Pick<LoadedKey, 'kid' | 'alg' | 'privateKey'> {
    return this.#active;
  }

  verificationKey(kid: unknown): KeyObject | undefined {
    return this.verifier(kid)?.publicKey;
  }

  /** The public key of a kid with the one algorithm it signs with: a token may not name another. */
  verifier(kid: unknown): Pick<LoadedKey, 'alg' | 'publicKey'> | undefined {
    return typeof kid === 'string' ? this.#byKid.get(kid) : undefined;
  }

  /** The public half of every key, as served at /.well-known/jwks.json. */
  jwks(): { keys: LoadedKey['publicJwk'][] } {
    return { keys: [...this.#byKid.values()].map((key) => key.publicJwk) };
  }
}

function load(jwk: SigningKeySet['keys'][number]): LoadedKey {
  if (!signingAlgorithms.includes(jwk.alg)) throw new Error(`kid ${jwk.kid}: unsupported alg ${jwk.alg}`);
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  return {
    kid: jwk.kid,
    alg: jwk.alg,
    privateKey,
    publicKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid: jwk.kid, alg: jwk.alg, use: 'sig' },
  };
}
