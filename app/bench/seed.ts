/** A registered caller with one item, created through the service's own API, for authenticated scenarios. */
export async function seedCaller(baseUrl: string): Promise<{ accessToken: string; itemId: string }> {
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
  const itemId = String((await post('/api/v1/items', { title: 'bench item' }, accessToken)).id);
  return { accessToken, itemId };
}
