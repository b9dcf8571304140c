import { describe, expect, it } from 'vitest';
import { checkIstioObjects } from './check-istio-objects.js';
import { chartIstioObjects, finding, TodaysObjects } from './planting.js';

// AuthorizationPolicy and RequestAuthentication: defects planted into today's policies (charts/dist/local).

const today = new TodaysObjects();
today.objects = chartIstioObjects();
const { plant } = today;

it('starts from copies istiod accepts, so each case fails for its planted defect alone', () => {
  expect(today.objects.map((o) => o.kind)).toEqual(
    expect.arrayContaining(['AuthorizationPolicy', 'RequestAuthentication']),
  );
  expect(checkIstioObjects(today.objects)).toEqual([]);
});

describe('AuthorizationPolicy', () => {
  const prefix = 'invalid policy platform-api.platform-api: ';

  it('rejects DENY without rules (it would never trigger)', () => {
    expect(
      plant(
        'AuthorizationPolicy',
        (spec) => {
          spec.action = 'DENY';
          delete spec.rules;
        },
        'platform-api-worker',
      ),
    ).toEqual([
      finding(
        'spec.rules',
        'invalid policy platform-api-worker.platform-api: DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request',
      ),
    ]);
  });

  it('rejects an empty principal and a path with braces beyond {*} and {**}', () => {
    expect(
      plant(
        'AuthorizationPolicy',
        (spec) => {
          spec.rules[0].from[0].source.principals = [''];
        },
        'platform-api',
      ),
    ).toEqual([
      finding(
        'spec.rules[0].from[0].source.principals',
        `${prefix}empty value not allowed, found in Principals`,
      ),
    ]);
    expect(
      plant(
        'AuthorizationPolicy',
        (spec) => {
          spec.rules[1].to[0].operation.paths = ['/items/{id}'];
        },
        'platform-api',
      ),
    ).toEqual([
      finding(
        'spec.rules[1].to[0].operation.paths',
        `${prefix}invalid or unsupported path items/{id}, found in Paths. Contains '{' or '}' beyond a supported path template`,
      ),
    ]);
    expect(
      plant(
        'AuthorizationPolicy',
        (spec) => {
          spec.rules[1].to[0].operation.paths = ['/{**}/{*}'];
        },
        'platform-api',
      ),
    ).toEqual([
      finding(
        'spec.rules[1].to[0].operation.paths',
        `${prefix}invalid or unsupported path {**}/{*}, found in Paths. {**} is not the last operator`,
      ),
    ]);
  });

  it('rejects empty from/to, an empty source, service accounts beside principals, and unknown when keys', () => {
    const messages = plant(
      'AuthorizationPolicy',
      (spec) => {
        spec.rules[0].from = [];
        spec.rules[1].to = [{ operation: {} }];
        spec.rules.push({ from: [{ source: {} }] });
        spec.rules.push({ from: [{ source: { principals: ['a'], serviceAccounts: ['ns/sa'] } }] });
        spec.rules.push({
          when: [
            { key: 'request.colour', values: ['blue'] },
            { key: 'source.ip', values: ['10.0.0.0/33'] },
          ],
        });
      },
      'platform-api',
    ).map((f) => f.message.replace(prefix, ''));
    expect(messages).toEqual([
      '`from` must not be empty, found at rule 0',
      '`to.operation` must not be empty, found at rule 1',
      '`from.source` must not be empty, found at rule 2',
      'cannot set serviceAccounts with namespaces or principals, found at rule 3',
      // istiod checks the key again for the (empty) notValues: an unknown key is reported twice.
      'invalid `value` for `key` request.colour: unknown attribute: request.colour',
      'invalid `notValue` for `key` request.colour: unknown attribute: request.colour',
      'invalid `value` for `key` source.ip: bad CIDR range (10.0.0.0/33)',
    ]);
  });

  it('rejects the dry-run annotation with a value that is not a boolean', () => {
    expect(
      plant(
        'AuthorizationPolicy',
        (_spec, object) => {
          object.metadata.annotations = { 'istio.io/dry-run': 'maybe' };
        },
        'platform-api',
      ),
    ).toEqual([
      finding(
        'metadata.annotations',
        'platform-api/platform-api has annotation istio.io/dry-run with invalid value (maybe)',
      ),
    ]);
  });
});

describe('RequestAuthentication', () => {
  it('rejects a JWKS URI istiod cannot fetch and an empty audience', () => {
    expect(
      plant('RequestAuthentication', (spec) => {
        spec.jwtRules[0].jwksUri = 'ftp://keys.example.com/jwks.json';
        spec.jwtRules[0].audiences = [''];
      }).map((f) => f.message),
    ).toEqual(['audience must be non-empty string', 'URI scheme "ftp" is not supported']);
  });
});
