import { decodeJwt } from 'jose';
export interface Caller {
  readonly email: string;
  readonly password: string;
  readonly accessToken: string;
  /** The caller's user id (the token's subject): the database-alone baseline lists this owner's items. */
  readonly userId: string;
  /** The caller's own items: an item is read by its owner only. */
  readonly itemIds: readonly string[];
}

/** Runs `work` over `inputs` with at most `width` in flight, keeping the order of the inputs. */
async function pooled<T, R>(inputs: readonly T[], width: number, work: (input: T) => Promise<R>) {
  const results: R[] = new Array(inputs.length);
  let next = 0;
  const lane = async () => {
    while (next < inputs.length) {
      const index = next++;
      results[index] = await work(inputs[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, inputs.length) }, lane));
  return results;
}

/**
 * `count` registered callers with `items` items each, created through the service's own API (registration
 * hashes with argon2id, login issues the tokens the service issues), many at a time so a hundred callers take
 * seconds. The service must allow that many registrations from one client (REGISTRATION_MAX_PER_CLIENT).
 */
export async function seedCallers(baseUrl: string, count: number, items: number): Promise<Caller[]> {
  const post = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const run = Date.now();
  const indexes = Array.from({ length: count }, (_, i) => i);
  // Hashing is CPU-bound in the service's thread pool: more in flight than that only queues.
  return pooled(indexes, 8, async (i) => {
    const credentials = { email: `bench.${run}.${i}@example.com`, password: 'benchmark passphrase' };
    await post('/api/v1/users', { ...credentials, fullName: `Bench Caller ${i}` });
    const accessToken = String((await post('/api/v1/auth/token', credentials)).access_token);
    const itemIds = await pooled(
      Array.from({ length: items }, (_, n) => n),
      4,
      async (n) => String((await post('/api/v1/items', { title: `bench item ${n}` }, accessToken)).id),
    );
    return { ...credentials, accessToken, userId: String(decodeJwt(accessToken).sub), itemIds };
  });
}
