import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, login, refresh, type TokenResponse } from '../support/api.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** SESSION_IDLE_TIMEOUT_SECONDS: a session nobody refreshed for that long cannot be refreshed again. */
describe('session idle timeout', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ SESSION_IDLE_TIMEOUT_SECONDS: '600' });
  });
  afterAll(() => app.close());

  /** Moves the session's last use into the past, as if its client had been away that long. */
  const idleFor = async (tokens: TokenResponse, seconds: number) => {
    const { sid } = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString()) as {
      sid: string;
    };
    await app.deps.db.prisma.session.update({
      where: { id: sid },
      data: { lastUsedAt: new Date(Date.now() - seconds * 1000) },
    });
  };

  it('refreshes a session used within the idle limit, and the refresh counts as use', async () => {
    const tokens = await login(app, await createUser(app));
    await idleFor(tokens, 590);
    const first = await refresh(app, tokens.refresh_token);
    expect(first.status).toBe(200);
    const next = (await first.json()) as TokenResponse;
    // The refresh above reset the clock: the same wait again is still within the limit.
    await idleFor(next, 590);
    expect((await refresh(app, next.refresh_token)).status).toBe(200);
  });

  it('ends a session idle past the limit: its refresh token is refused', async () => {
    const tokens = await login(app, await createUser(app));
    await idleFor(tokens, 610);
    await expectProblem(await refresh(app, tokens.refresh_token), 401, 'unauthorized');
  });
});
