import { describe, expect, it } from 'vitest';
import { checkIstioObjects } from './check-istio-objects.js';
import { chartIstioObjects, finding, TodaysObjects } from './planting.js';

// DestinationRule: defects planted into today's traffic policy (charts/dist/local), each with istiod's message.

const today = new TodaysObjects();
today.objects = chartIstioObjects();
const { plant } = today;

it('starts from copies istiod accepts, so each case fails for its planted defect alone', () => {
  expect(today.objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['DestinationRule']));
  expect(checkIstioObjects(today.objects)).toEqual([]);
});

describe('DestinationRule', () => {
  it('rejects percentages out of range, bad durations and an empty traffic policy', () => {
    expect(
      plant('DestinationRule', (spec) => {
        spec.trafficPolicy.outlierDetection.maxEjectionPercent = 150;
      }),
    ).toEqual([
      finding(
        'spec.trafficPolicy.outlierDetection.maxEjectionPercent',
        'percentage 150 is not in range 0..100',
      ),
    ]);
    expect(
      plant('DestinationRule', (spec) => {
        spec.trafficPolicy.connectionPool.tcp.connectTimeout = '0.5ms';
      }),
    ).toEqual([
      finding('spec.trafficPolicy.connectionPool.tcp.connectTimeout', 'duration must be greater than 1ms'),
    ]);
    expect(
      plant('DestinationRule', (spec) => {
        spec.trafficPolicy = {};
      }),
    ).toEqual([finding('spec.trafficPolicy', 'traffic policy must have at least one field')]);
    expect(
      plant('DestinationRule', (spec) => {
        spec.trafficPolicy.connectionPool.http.maxRequestsPerConnection = -1;
      }),
    ).toEqual([
      finding(
        'spec.trafficPolicy.connectionPool.http.maxRequestsPerConnection',
        'max requests per connection must be non-negative',
      ),
    ]);
  });

  it('rejects client MUTUAL TLS without certificates, and a maglev table that is not prime', () => {
    expect(
      plant('DestinationRule', (spec) => {
        spec.trafficPolicy.tls = { mode: 'MUTUAL' };
      }).map((f) => f.message),
    ).toEqual(['client certificate required for mutual tls', 'private key required for mutual tls']);
    expect(
      plant('DestinationRule', (spec) => {
        spec.trafficPolicy.loadBalancer = { consistentHash: { maglev: { tableSize: 65536 } } };
      }),
    ).toEqual([
      finding(
        'spec.trafficPolicy.loadBalancer.consistentHash.maglev',
        'tableSize must be a prime number for maglev',
      ),
    ]);
  });
});
