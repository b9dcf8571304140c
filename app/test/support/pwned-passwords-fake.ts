/**
 * TEST FAKE of a Pwned Passwords range API, for tests only: these tests run without internet access.
 *
 * A node:http server that answers as https://api.pwnedpasswords.com does (https://haveibeenpwned.com/API/v3,
 * "Searching by range"): `GET /range/<5 hex>` → 200 text/plain, one `SUFFIX:COUNT` line per known SHA-1
 * suffix under that prefix (35 upper-case hex characters), CRLF between lines; with `Add-Padding: true` it
 * adds decoy lines with count 0. Anything else → 400 (a malformed prefix) or 404.
 * Tests list breached passwords (`breach`), plant a decoy (`pad`), make it slow or failing (`mode`), and read
 * what was asked through `requests`.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export const sha1Hex = (password: string) =>
  createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();

export interface RangeRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

export type FakeMode = 'answer' | 'hang' | 'error';

export async function startPwnedPasswordsFake() {
  const seen = new Map<string, number>();
  const requests: RangeRequest[] = [];
  let mode: FakeMode = 'answer';
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    if (mode === 'hang') return; // never answers; the client's timeout must end it
    if (mode === 'error') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
      return;
    }
    const match = /^\/range\/([0-9A-Fa-f]+)$/.exec(req.url ?? '');
    if (!match?.[1]) return void res.writeHead(404).end();
    if (match[1].length !== 5) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('The hash prefix was not in a valid format');
      return;
    }
    const prefix = match[1].toUpperCase();
    const padding = req.headers['add-padding'] === 'true';
    const lines = [...seen]
      .filter(([hash, count]) => hash.startsWith(prefix) && (count > 0 || padding))
      .map(([hash, count]) => `${hash.slice(5)}:${count}`);
    if (padding) lines.push(`${'0'.repeat(35)}:0`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** The password appears in breaches `count` times. */
    breach(password: string, count = 42) {
      seen.set(sha1Hex(password), count);
    },
    /** The password's suffix appears only as a padding decoy (count 0). */
    pad(password: string) {
      seen.set(sha1Hex(password), 0);
    },
    mode(next: FakeMode) {
      mode = next;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
