export interface Caller {
  readonly email: string;
  readonly password: string;
  readonly accessToken: string;
  /** The first of the caller's items. */
  readonly itemId: string;
}

/** A registered caller with `items` items, created through the service's own API, for authenticated scenarios. */
export async function seedCaller(baseUrl: string, items = 1): Promise<Caller> {
  const post = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const credentials = { email: `bench.${Date.now()}@example.com`, password: 'benchmark passphrase' };
  await post('/api/v1/users', { ...credentials, fullName: 'Bench Caller' });
  const accessToken = String((await post('/api/v1/auth/token', credentials)).access_token);
  const ids: string[] = [];
  for (let i = 0; i < items; i += 1) {
    ids.push(String((await post('/api/v1/items', { title: `bench item ${i}` }, accessToken)).id));
  }
  return { ...credentials, accessToken, itemId: ids[0]! };
}
