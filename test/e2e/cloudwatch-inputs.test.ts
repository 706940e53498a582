// The built CLI diagnoses CloudWatch Logs output (filter-log-events, Logs Insights) as it does the CloudTrail event inside.

import { mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, ROOT, runCli } from './helpers.js';

interface JsonReport {
  results: { input: { source: string; eventId?: string }; causes: { code: string; confidence: string }[] }[];
}

const examples = readdirSync(join(ROOT, 'examples')).filter((d) =>
  existsSync(join(ROOT, 'examples', d, 'event.json')),
);

function causes(stdout: string): unknown[] {
  const r = JSON.parse(stdout) as JsonReport;
  return r.results.map((x) => ({
    eventId: x.input.eventId,
    causes: x.causes.map((c) => [c.code, c.confidence]),
  }));
}

describe('CloudWatch Logs output of a CloudTrail log group', () => {
  beforeAll(assertBuilt);
  const dir = mkdtempSync(join(tmpdir(), 's3doctor-cwl-e2e-'));

  it.each(examples)(
    '%s: the same causes from the event, filter-log-events and Logs Insights',
    async (name) => {
      expect(examples.length).toBeGreaterThanOrEqual(5);
      const ex = join(ROOT, 'examples', name);
      const event = JSON.parse(readFileSync(join(ex, 'event.json'), 'utf8')) as Record<string, unknown>;
      const message = JSON.stringify(event);
      const fle = join(dir, `${name}-fle.json`);
      writeFileSync(
        fle,
        JSON.stringify({
          events: [
            { logStreamName: '111122223333_CloudTrail_us-east-1', timestamp: 1, message, eventId: '1' },
          ],
          searchedLogStreams: [],
        }),
      );
      const insights = join(dir, `${name}-insights.json`);
      writeFileSync(
        insights,
        JSON.stringify({
          results: [
            [
              { field: '@timestamp', value: '2026-11-24 09:14:02.000' },
              { field: '@message', value: message },
            ],
          ],
          status: 'Complete',
        }),
      );
      const snap = ['--snapshot', join(ex, 'snapshot.json'), '--format', 'json'];
      const direct = await runCli(['diagnose', join(ex, 'event.json'), ...snap]);
      const viaFle = await runCli(['diagnose', fle, ...snap]);
      const viaInsights = await runCli(['diagnose', insights, ...snap]);
      expect(direct.stderr).not.toContain('internal error');
      const want = causes(direct.stdout);
      expect(want.length).toBe(1);
      expect(causes(viaFle.stdout)).toEqual(want);
      expect(causes(viaInsights.stdout)).toEqual(want);
      expect([viaFle.code, viaInsights.code]).toEqual([direct.code, direct.code]);
    },
  );
});
