/**
 * TEST FAKE of HashiCorp Vault, for tests only: no Vault server can be installed where these tests run.
 *
 * A node:http server that speaks Vault's documented HTTP API (v1, JSON bodies, `X-Vault-Token`, `{ errors: [] }`
 * on failure) for exactly what the service uses, so the production code (node-vault over HTTP) cannot tell it
 * from Vault:
 *   - KV v2:        GET  /v1/<mount>/data/<path>, GET /v1/<mount>/metadata/<path>
 *   - Kubernetes:   POST /v1/auth/<mount>/login { role, jwt }
 *   - Tokens:       GET  /v1/auth/token/lookup-self, POST /v1/auth/token/renew-self { increment? }
 *                   (TTLs and max TTLs run on the real clock; an expired token gets 403 "permission denied")
 *   - Transit:      POST /v1/<mount>/encrypt|decrypt|rewrap/<key>, GET/POST /v1/<mount>/keys/<key>,
 *                   POST /v1/<mount>/keys/<key>/rotate, POST /v1/<mount>/keys/<key>/config
 *                   (real AES-256-GCM per key version; ciphertexts are `vault:v<n>:base64(nonce|ct|tag)`)
 *   - Health:       GET  /v1/sys/health
 * Tests arrange state and failures through methods (putSecret, addKubernetesRole, rotateTransitKey, fault,
 * seal, stop/start), and read what was asked through `requests`.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface TokenEntry {
  readonly id: string;
  readonly accessor: string;
  readonly policies: string[];
  readonly creationTtl: number;
  readonly renewable: boolean;
  readonly meta: Record<string, string> | null;
  readonly path: string;
  readonly issuedAt: number;
  /** 0 = no max TTL. */
  readonly maxExpiresAt: number;
  /** 0 = never expires. */
  expiresAt: number;
}

interface KvVersion {
  readonly data: Record<string, unknown>;
  readonly createdTime: string;
}

interface TransitKey {
  readonly versions: { readonly key: Buffer; readonly createdTime: string }[];
  minDecryptionVersion: number;
}

interface Fault {
  readonly method?: string;
  readonly path: string | RegExp;
  readonly status?: number;
  readonly errors?: string[];
  readonly delayMs?: number;
  times: number;
}

export interface FakeRequest {
  readonly method: string;
  /** API path without `/v1/` and without the query: `secret/data/platform-api/dev`. */
  readonly path: string;
  readonly token: string | undefined;
  /** The HTTP status answered (undefined while the request is still being handled). */
  status?: number;
}

export interface KubernetesRole {
  /** Service-account token the role accepts (the real Vault asks the TokenReview API). */
  readonly jwt: string;
  readonly ttl: number;
  readonly maxTtl?: number;
  readonly policies?: string[];
}

const now = () => Date.now();
const iso = () => new Date().toISOString();

export class VaultFake {
  readonly requests: FakeRequest[] = [];
  readonly #tokens = new Map<string, TokenEntry>();
  readonly #kv = new Map<string, KvVersion[]>();
  readonly #transit = new Map<string, TransitKey>();
  readonly #k8sRoles = new Map<string, KubernetesRole>();
  #faults: Fault[] = [];
  #sealed = false;
  #server: Server | undefined;
  #port = 0;
  readonly #sockets = new Set<import('node:net').Socket>();

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.#handle(req, res));
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(this.#port, '127.0.0.1', resolve));
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Stops answering (connections refused) until `start()` again, on the same port, with the same state. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }

  // --- arrange ---------------------------------------------------------------------------------------------

  /** A token as `vault token create` makes it. ttl 0 = never expires (like a root token). */
  issueToken(
    options: { ttl?: number; maxTtl?: number; renewable?: boolean; policies?: string[] } = {},
  ): string {
    return this.#issue({
      ttl: options.ttl ?? 0,
      maxTtl: options.maxTtl ?? 0,
      renewable: options.renewable ?? (options.ttl ?? 0) > 0,
      policies: options.policies ?? ['default'],
      meta: null,
      path: 'auth/token/create',
    }).id;
  }

  revokeToken(token: string): void {
    this.#tokens.delete(token);
  }

  /** Every live token, newest last (a Kubernetes login adds one). */
  get tokens(): string[] {
    return [...this.#tokens.keys()];
  }

  /** `vault kv put <mount>/<path> ...`: a new version. */
  putSecret(mount: string, path: string, data: Record<string, unknown>): number {
    const versions = this.#kv.get(`${mount}/${path}`) ?? [];
    versions.push({ data: { ...data }, createdTime: iso() });
    this.#kv.set(`${mount}/${path}`, versions);
    return versions.length;
  }

  addKubernetesRole(mount: string, role: string, config: KubernetesRole): void {
    this.#k8sRoles.set(`${mount}/${role}`, config);
  }

  createTransitKey(mount: string, name: string): void {
    if (!this.#transit.has(`${mount}/${name}`)) {
      this.#transit.set(`${mount}/${name}`, { versions: [newKeyVersion()], minDecryptionVersion: 1 });
    }
  }

  /** `vault write -f <mount>/keys/<name>/rotate`; returns the new latest version. */
  rotateTransitKey(mount: string, name: string): number {
    const key = this.#transitKey(mount, name);
    if (!key) throw new Error(`no transit key ${mount}/${name}`);
    key.versions.push(newKeyVersion());
    return key.versions.length;
  }

  /** Makes matching requests fail with `status` (and/or wait `delayMs`), `times` times (default: until cleared). */
  fault(fault: Omit<Fault, 'times'> & { times?: number }): void {
    this.#faults.push({ ...fault, times: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clearFaults(): void {
    this.#faults = [];
  }

  /** A sealed Vault answers 503 to everything but sys/health (which says it is sealed). */
  seal(): void {
    this.#sealed = true;
  }

  unseal(): void {
    this.#sealed = false;
  }

  count(path: string | RegExp, method?: string): number {
    return this.requests.filter((request) => matches(request, { path, method })).length;
  }

  // --- the HTTP API ----------------------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://vault');
    const path = url.pathname.replace(/^\/v1\//, '');
    const method = req.method ?? 'GET';
    const token = header(req, 'x-vault-token');
    const request: FakeRequest = { method, path, token };
    this.requests.push(request);
    res.once('finish', () => {
      request.status = res.statusCode;
    });
    const body = await readJson(req);

    const fault = this.#faults.find((candidate) => candidate.times > 0 && matches(request, candidate));
    if (fault) {
      fault.times -= 1;
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (res.destroyed) return;
      if (fault.status) return send(res, fault.status, { errors: fault.errors ?? [] });
    }

    if (path === 'sys/health') {
      const health = { initialized: true, sealed: this.#sealed, standby: false, version: '1.17.0' };
      return send(res, this.#sealed ? 503 : 200, health);
    }
    if (this.#sealed) return send(res, 503, { errors: ['Vault is sealed'] });

    const login = /^auth\/(.+)\/login$/.exec(path);
    if (login && method === 'POST' && login[1] !== 'token')
      return this.#kubernetesLogin(res, login[1]!, body);

    const caller = token ? this.#liveToken(token) : undefined;
    if (!caller) return send(res, 403, { errors: ['permission denied'] });

    if (path === 'auth/token/lookup-self' && method === 'GET') return this.#lookupSelf(res, caller);
    if (path === 'auth/token/renew-self' && (method === 'POST' || method === 'PUT')) {
      return this.#renewSelf(res, caller, body);
    }

    const kv = /^([^/]+)\/(data|metadata)\/(.+)$/.exec(path);
    if (kv && method === 'GET' && this.#isKvMount(kv[1]!)) {
      return kv[2] === 'data'
        ? this.#readSecret(res, kv[1]!, kv[3]!, url.searchParams.get('version'))
        : this.#readMetadata(res, kv[1]!, kv[3]!);
    }

    const transit = /^([^/]+)\/(encrypt|decrypt|rewrap|keys)\/([^/]+)(?:\/(rotate|config))?$/.exec(path);
    if (transit)
      return this.#transitCall(res, method, transit[1]!, transit[2]!, transit[3]!, transit[4], body);

    return send(res, 404, { errors: [] });
  }

  #kubernetesLogin(res: ServerResponse, mount: string, body: Record<string, unknown>) {
    const roleName = String(body.role ?? '');
    const role = this.#k8sRoles.get(`${mount}/${roleName}`);
    if (!role) {
      const known = [...this.#k8sRoles.keys()].some((key) => key.startsWith(`${mount}/`));
      return known
        ? send(res, 400, { errors: [`invalid role name "${roleName}"`] })
        : send(res, 404, { errors: [`no handler for route "auth/${mount}/login". route entry not found.`] });
    }
    if (body.jwt !== role.jwt) return send(res, 403, { errors: ['permission denied'] });
    const entry = this.#issue({
      ttl: role.ttl,
      maxTtl: role.maxTtl ?? 0,
      renewable: true,
      policies: ['default', ...(role.policies ?? [])],
      meta: {
        role: roleName,
        service_account_name: 'platform-api',
        service_account_namespace: 'platform-api',
      },
      path: `auth/${mount}/login`,
    });
    return send(res, 200, envelope(null, authBlock(entry)));
  }

  #lookupSelf(res: ServerResponse, entry: TokenEntry) {
    return send(
      res,
      200,
      envelope({
        accessor: entry.accessor,
        creation_time: Math.floor(entry.issuedAt / 1000),
        creation_ttl: entry.creationTtl,
        display_name: entry.path.startsWith('auth/token') ? 'token' : 'kubernetes-platform-api',
        entity_id: '',
        expire_time: entry.expiresAt ? new Date(entry.expiresAt).toISOString() : null,
        explicit_max_ttl: 0,
        id: entry.id,
        issue_time: new Date(entry.issuedAt).toISOString(),
        meta: entry.meta,
        num_uses: 0,
        orphan: true,
        path: entry.path,
        policies: entry.policies,
        renewable: entry.renewable,
        ttl: ttlOf(entry),
        type: 'service',
      }),
    );
  }

  #renewSelf(res: ServerResponse, entry: TokenEntry, body: Record<string, unknown>) {
    if (!entry.renewable || entry.expiresAt === 0)
      return send(res, 400, { errors: ['lease is not renewable'] });
    const wanted = parseDuration(body.increment) ?? entry.creationTtl;
    let ttl = wanted;
    const warnings: string[] = [];
    if (entry.maxExpiresAt) {
      const left = Math.floor((entry.maxExpiresAt - now()) / 1000);
      if (left < wanted) {
        ttl = Math.max(left, 0);
        warnings.push(
          `TTL of "${wanted}s" exceeded the effective max_ttl of "${ttl}s"; TTL value is capped accordingly`,
        );
      }
    }
    entry.expiresAt = now() + ttl * 1000;
    return send(res, 200, {
      ...envelope(null, authBlock(entry)),
      warnings: warnings.length ? warnings : null,
    });
  }

  #readSecret(res: ServerResponse, mount: string, path: string, version: string | null) {
    const versions = this.#kv.get(`${mount}/${path}`);
    const index = version ? Number(version) - 1 : (versions?.length ?? 0) - 1;
    const found = versions?.[index];
    if (!found) return send(res, 404, { errors: [] });
    return send(
      res,
      200,
      envelope({
        data: found.data,
        metadata: {
          created_time: found.createdTime,
          custom_metadata: null,
          deletion_time: '',
          destroyed: false,
          version: index + 1,
        },
      }),
    );
  }

  #readMetadata(res: ServerResponse, mount: string, path: string) {
    const versions = this.#kv.get(`${mount}/${path}`);
    if (!versions) return send(res, 404, { errors: [] });
    return send(
      res,
      200,
      envelope({
        cas_required: false,
        created_time: versions[0]!.createdTime,
        current_version: versions.length,
        custom_metadata: null,
        delete_version_after: '0s',
        max_versions: 0,
        oldest_version: 1,
        updated_time: versions.at(-1)!.createdTime,
        versions: Object.fromEntries(
          versions.map((entry, index) => [
            String(index + 1),
            { created_time: entry.createdTime, deletion_time: '', destroyed: false },
          ]),
        ),
      }),
    );
  }

  #transitCall(
    res: ServerResponse,
    method: string,
    mount: string,
    operation: string,
    name: string,
    action: string | undefined,
    body: Record<string, unknown>,
  ) {
    if (!this.#isTransitMount(mount)) return send(res, 404, { errors: [] });
    const write = method === 'POST' || method === 'PUT';
    if (operation === 'keys') {
      if (action === 'rotate' && write) {
        if (!this.#transitKey(mount, name)) return send(res, 400, { errors: ['encryption key not found'] });
        this.rotateTransitKey(mount, name);
        return send(res, 200, envelope(this.#keyInfo(mount, name)));
      }
      if (action === 'config' && write) {
        const key = this.#transitKey(mount, name);
        if (!key) return send(res, 400, { errors: ['encryption key not found'] });
        if (body.min_decryption_version !== undefined)
          key.minDecryptionVersion = Number(body.min_decryption_version);
        return send(res, 200, envelope(this.#keyInfo(mount, name)));
      }
      if (action === undefined && write) {
        this.createTransitKey(mount, name);
        return send(res, 200, envelope(this.#keyInfo(mount, name)));
      }
      if (action === undefined && method === 'GET') {
        const info = this.#keyInfo(mount, name);
        return info ? send(res, 200, envelope(info)) : send(res, 404, { errors: [] });
      }
      return send(res, 405, { errors: ['unsupported operation'] });
    }
    if (!write) return send(res, 405, { errors: ['unsupported operation'] });

    if (operation === 'encrypt') {
      // Like Vault with `create` capability: the first encrypt creates the key (upsert).
      this.createTransitKey(mount, name);
      const plaintext = decodeBase64(body.plaintext);
      if (plaintext === undefined) return send(res, 400, { errors: ['failed to base64-decode plaintext'] });
      return send(res, 200, envelope(this.#encrypt(this.#transitKey(mount, name)!, plaintext)));
    }
    const key = this.#transitKey(mount, name);
    if (!key) return send(res, 400, { errors: ['encryption key not found'] });
    const decrypted = this.#decrypt(key, body.ciphertext);
    if ('error' in decrypted) return send(res, 400, { errors: [decrypted.error] });
    if (operation === 'decrypt')
      return send(res, 200, envelope({ plaintext: decrypted.plaintext.toString('base64') }));
    return send(res, 200, envelope(this.#encrypt(key, decrypted.plaintext)));
  }

  #encrypt(key: TransitKey, plaintext: Buffer) {
    const version = key.versions.length;
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.versions[version - 1]!.key, nonce);
    const sealed = Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return { ciphertext: `vault:v${version}:${sealed.toString('base64')}`, key_version: version };
  }

  #decrypt(key: TransitKey, ciphertext: unknown): { plaintext: Buffer } | { error: string } {
    const match = /^vault:v(\d+):(.+)$/.exec(String(ciphertext ?? ''));
    if (!match) return { error: 'invalid ciphertext: no prefix' };
    const version = Number(match[1]);
    if (version < key.minDecryptionVersion) {
      return { error: 'ciphertext or signature version is disallowed by policy (too old)' };
    }
    const entry = key.versions[version - 1];
    if (!entry) return { error: 'invalid ciphertext: version is too new' };
    const raw = Buffer.from(match[2]!, 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', entry.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      return {
        plaintext: Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]),
      };
    } catch {
      return { error: 'cipher: message authentication failed' };
    }
  }

  #keyInfo(mount: string, name: string) {
    const key = this.#transitKey(mount, name);
    if (!key) return undefined;
    return {
      name,
      type: 'aes256-gcm96',
      latest_version: key.versions.length,
      min_available_version: 0,
      min_decryption_version: key.minDecryptionVersion,
      min_encryption_version: 0,
      deletion_allowed: false,
      exportable: false,
      supports_encryption: true,
      supports_decryption: true,
      keys: Object.fromEntries(
        key.versions.map((entry, index) => [
          String(index + 1),
          Math.floor(Date.parse(entry.createdTime) / 1000),
        ]),
      ),
    };
  }

  #transitKey(mount: string, name: string): TransitKey | undefined {
    return this.#transit.get(`${mount}/${name}`);
  }

  #isKvMount(mount: string): boolean {
    return [...this.#kv.keys()].some((key) => key.startsWith(`${mount}/`)) || mount === 'secret';
  }

  #isTransitMount(mount: string): boolean {
    return [...this.#transit.keys()].some((key) => key.startsWith(`${mount}/`)) || mount === 'transit';
  }

  #issue(options: {
    ttl: number;
    maxTtl: number;
    renewable: boolean;
    policies: string[];
    meta: Record<string, string> | null;
    path: string;
  }): TokenEntry {
    const issuedAt = now();
    const entry: TokenEntry = {
      id: `hvs.${randomBytes(18).toString('base64url')}`,
      accessor: randomBytes(12).toString('base64url'),
      policies: options.policies,
      creationTtl: options.ttl,
      renewable: options.renewable,
      meta: options.meta,
      path: options.path,
      issuedAt,
      maxExpiresAt: options.maxTtl ? issuedAt + options.maxTtl * 1000 : 0,
      expiresAt: options.ttl ? issuedAt + options.ttl * 1000 : 0,
    };
    this.#tokens.set(entry.id, entry);
    return entry;
  }

  #liveToken(token: string): TokenEntry | undefined {
    const entry = this.#tokens.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt && entry.expiresAt <= now()) {
      this.#tokens.delete(token);
      return undefined;
    }
    return entry;
  }
}

/** A started fake with the service's usual mounts: KV v2 at `secret`, transit at `transit`. */
export async function startVaultFake(): Promise<VaultFake> {
  const fake = new VaultFake();
  await fake.start();
  return fake;
}

function newKeyVersion() {
  return { key: randomBytes(32), createdTime: iso() };
}

function ttlOf(entry: TokenEntry): number {
  return entry.expiresAt ? Math.max(0, Math.round((entry.expiresAt - now()) / 1000)) : 0;
}

function authBlock(entry: TokenEntry) {
  return {
    client_token: entry.id,
    accessor: entry.accessor,
    policies: entry.policies,
    token_policies: entry.policies,
    metadata: entry.meta,
    lease_duration: ttlOf(entry),
    renewable: entry.renewable,
    entity_id: '',
    token_type: 'service',
    orphan: true,
  };
}

function envelope(data: unknown, auth: unknown = null) {
  return {
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth,
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

function matches(
  request: { method: string; path: string },
  rule: { method?: string; path: string | RegExp },
) {
  if (rule.method && rule.method !== request.method) return false;
  return typeof rule.path === 'string' ? request.path === rule.path : rule.path.test(request.path);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

function decodeBase64(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return undefined;
  return Buffer.from(value, 'base64');
}

/** Vault durations: seconds as a number or "30s", "5m", "1h". */
function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  const match = /^(\d+)([smh]?)$/.exec(String(value ?? ''));
  if (!match) return undefined;
  return Number(match[1]) * ({ '': 1, s: 1, m: 60, h: 3600 } as const)[match[2] as '' | 's' | 'm' | 'h'];
}
