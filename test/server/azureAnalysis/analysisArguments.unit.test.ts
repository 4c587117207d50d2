// The ISO 8601 durations the infrastructure-analysis tools accept as a timespan.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { isoDuration, timespanSchema } from '../../../server/src/azureAnalysis/analysisArguments';

describe('timespans', () => {
  const schema = z.object({
    timespan: timespanSchema({ defaultValue: 'P1D', minMinutes: 1, maxMinutes: 60 * 1440 }),
  });
  const accepted: [given: string | undefined, iso: string, minutes: number][] = [
    [undefined, 'P1D', 1440],
    ['P1D', 'P1D', 1440],
    ['p2w', 'P14D', 20160],
    ['PT36H', 'P1DT12H', 2160],
    ['P1DT12H', 'P1DT12H', 2160],
    ['PT90M', 'PT1H30M', 90],
    ['PT30S', 'PT1M', 1],
    ['30d', 'P30D', 43200],
    ['6h', 'PT6H', 360],
    [' 45m ', 'PT45M', 45],
  ];
  for (const [given, iso, minutes] of accepted) {
    test(`${given === undefined ? 'no timespan' : JSON.stringify(given)} means ${iso} (${minutes} minutes)`, () => {
      assert.deepEqual(schema.parse(given === undefined ? {} : { timespan: given }).timespan, {
        iso,
        minutes,
      });
    });
  }

  test('isoDuration writes the shortest canonical form', () => {
    assert.deepEqual([0, 5, 60, 150, 1440, 1441, 43200].map(isoDuration), [
      'PT0M',
      'PT5M',
      'PT1H',
      'PT2H30M',
      'P1D',
      'P1DT1M',
      'P30D',
    ]);
  });

  for (const bad of ['P', 'PT', 'P1DT', '1 day', 'P-1D', 'PT1.5H', 'P1Y2M']) {
    test(`refuses ${JSON.stringify(bad)}`, () => {
      const parsed = schema.safeParse({ timespan: bad });
      assert.equal(parsed.success, false);
    });
  }
});
