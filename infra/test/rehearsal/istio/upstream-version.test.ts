import { describe, expect, it } from 'vitest';
import { chartPins } from '../../../src/cluster/chart-pins.js';
import { istioSource } from './upstream-source.js';

const minor = (version: string) => version.split('.').slice(0, 2).join('.');

describe('istiod rules and the pinned Istio', () => {
  it('were read from the release line the charts pin (a minor bump means re-reading pkg/config/validation)', () => {
    const read = minor(istioSource.split('@')[1]!);
    for (const pin of [chartPins.istioBase, chartPins.istiod, chartPins.istioGateway]) {
      expect(minor(pin.version), `${pin.chart} ${pin.version}`).toBe(read);
    }
  });
});
