import fc from 'fast-check';

/** Strings that have broken SQL, templates, shells and parsers somewhere: each must stay plain data here. */
export const sqlish = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '" OR ""="',
  '1; SELECT pg_sleep(5)--',
  "1' UNION SELECT password_hash, email FROM users--",
  "admin'--",
  "%' AND 1=1 --",
  '\\x27; DELETE FROM items; --',
  '$1',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '$(id)',
  '`id`',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '\u202Eexe.txt',
  '\uFEFFbom',
  '\uD800',
  'e\u0301\u0301\u0301',
  '😀'.repeat(50),
  '9'.repeat(400),
  '-1',
  'NaN',
  'true',
  'null',
  '[object Object]',
  '__proto__',
] as const;

/** Emails that differ from a real one only by case, width, homoglyphs, invisible or directional characters. */
export const emailTricks = (email: string) => {
  const [local = '', domain = ''] = email.split('@');
  return [
    email.toUpperCase(),
    ` ${email} `,
    `${local}@${domain.replace('e', '\u0435')}`, // Cyrillic e
    `${local}\uFF20${domain}`, // fullwidth @
    `${[...local].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('')}@${domain}`, // fullwidth
    `${local}\u200B@${domain}`, // zero-width space
    `${local}@${domain}\u202E`,
    `${local}\u0000@${domain}`,
    `${local}+tag@${domain}`,
    `"${local}"@${domain}`,
    `${local}@[127.0.0.1]`,
    `${local}@${domain}.`,
    `${local}@xn--${domain}`,
    `${local}\u0301@${domain}`, // combining accent
    `${local}@${domain.toUpperCase()}`,
    `${'a'.repeat(300)}@${domain}`,
  ];
};

/** Lone surrogates replaced, as a UTF-8 encoder would: what can be put in a URL. */
export const wellFormed = (value: string) => value.replace(/\p{Surrogate}/gu, '\uFFFD');

// Characters node:http lets a client put in a header value.
const headerSafe = (value: string) => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '');

export const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...sqlish) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

export const hostileHeaderValue = hostileString.map(headerSafe);

/** Every body field name the API knows, so SQL-ish and odd values reach every field of every route. */
export const bodyFields = [
  'title',
  'description',
  'active',
  'email',
  'username',
  'password',
  'fullName',
  'currentPassword',
  'newPassword',
  'role',
  'refresh_token',
  'grant_type',
  'scope',
] as const;

const fieldValue = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  {
    weight: 1,
    arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, 2 ** 53 + 1, 'ADMIN', 'password'),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

export type HostileBody = { kind: string; contentType: string | undefined; payload: string | Buffer };

const deep = (depth: number, open: string, close: string, middle = '1') =>
  `${open.repeat(depth)}${middle}${close.repeat(depth)}`;

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/vnd.api+json',
  ';;;',
  'application/json, text/html',
  undefined,
);

/** Bodies from nearly valid (every known field, hostile values) to plainly broken. */
export const hostileBody: fc.Arbitrary<HostileBody> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({ fields: fc.dictionary(fc.constantFrom(...bodyFields), fieldValue), type: contentTypes })
      .map(({ fields, type }) => ({ kind: 'fields', contentType: type, payload: JSON.stringify(fields) })),
  },
  {
    weight: 2,
    arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => ({
      kind: 'json',
      contentType: 'application/json',
      payload: JSON.stringify(value) ?? '',
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ depth: fc.integer({ min: 500, max: 20_000 }), array: fc.boolean() })
      .map(({ depth, array }) => ({
        kind: `nested ${depth}`,
        contentType: 'application/json',
        payload: array ? deep(depth, '[', ']') : deep(depth, '{"a":', '}'),
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '{',
        '{"title":',
        '{"title":"x",}',
        "{'title':'x'}",
        'NaN',
        '[1,2',
        '"\\u0000"',
        '{"title":"a\\u0000b"}',
        '{"__proto__":{"role":"ADMIN"},"title":"x"}',
        '{"constructor":{"prototype":{"role":"ADMIN"}}}',
        '{"title":"x","title":"y"}',
        '\uFEFF{"title":"x"}',
      )
      .map((payload) => ({ kind: 'malformed', contentType: 'application/json', payload })),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({
      kind: 'invalid utf-8',
      contentType: 'application/json',
      payload: Buffer.concat([
        Buffer.from('{"title":"'),
        Buffer.from([0xff, 0xfe, 0xc3]),
        bytes,
        Buffer.from('"}'),
      ]),
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        'email=a%00b&password=x',
        'a[b][c][d][e][f][g][h][i][j][k]=1',
        '__proto__[role]=ADMIN&title=x',
        'title=%FF%FE&title=x',
        `${'a='.repeat(2000)}1`,
      )
      .map((payload) => ({ kind: 'form', contentType: 'application/x-www-form-urlencoded', payload })),
  },
);

/** A path parameter: a real id, a random one, or something that tries to leave the route. */
export const hostileSegment = (realIds: readonly string[]) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...realIds) },
    { weight: 1, arbitrary: fc.uuid() },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '..%2F..%2Fusers',
        '..',
        '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
        '....//....//etc/passwd',
        '%252e%252e%252f',
        'me',
        '00000000-0000-0000-0000-000000000000',
        'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
        '%E0%A4%A',
        '%C0%AE%C0%AE%2F',
        '1%20OR%201%3D1',
        encodeURIComponent("'; DROP TABLE items; --"),
        'a'.repeat(3000),
      ),
    },
    { weight: 1, arbitrary: hostileString.map((value) => encodeURIComponent(wellFormed(value))) },
  );

const queryKeys = [
  'limit',
  'cursor',
  'q',
  'ownerId',
  'role',
  'active',
  'from',
  'to',
  'actorId',
  'action',
  '__proto__',
];

/** A query string of known and unknown keys with hostile values, sometimes repeated (arrays). */
export const hostileQuery = fc
  .array(fc.tuple(fc.constantFrom(...queryKeys), hostileString), { maxLength: 4 })
  .map((pairs) => (pairs.length ? `?${new URLSearchParams(pairs).toString()}` : ''));
