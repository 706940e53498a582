// Scenarios written from AWS documentation pages (test/scenarios/cases), run through the built CLI: each one's decision,
// first cause and confidence come from the page it cites. Role sessions whose session policy the snapshot leaves
// unknown (as `collect` leaves it) run twice: as written, and with `--session-policy none`.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realisticSnapshot } from '../helpers/realistic-evidence.js';
import { assertBuilt, runCli } from './helpers.js';
import {
  callerAccountOf,
  inputFile,
  loadScenarios,
  unknownSessionOf,
  type LoadedScenario,
  type ScenarioExpect,
} from './scenario-kit.js';

const cases = loadScenarios('cases');
const pending = loadScenarios('pending');
// S3D_SCENARIOS_PENDING=1 runs the scenarios waiting for an engine fix (test/scenarios/pending) instead: a case that
// passes there moves to test/scenarios/cases.
const runnable = process.env.S3D_SCENARIOS_PENDING === '1' ? pending : cases;
let dir = '';
// S3D_SCENARIO_MODES=written,no-session-policy,collect-shaped runs only those runs of each case (to measure each).
const modes = new Set(
  (process.env.S3D_SCENARIO_MODES ?? 'written,no-session-policy,collect-shaped').split(','),
);

// S3D_SCENARIO_DIR=DIR keeps each scenario's snapshot and input there (to rerun one by hand).
const keep = process.env.S3D_SCENARIO_DIR;
beforeAll(async () => {
  assertBuilt();
  dir = keep ?? (await mkdtemp(join(tmpdir(), 's3d-scenarios-')));
});
afterAll(async () => {
  if (dir && !keep) await rm(dir, { recursive: true, force: true });
});

interface JsonResult {
  decision: string;
  reproduced: boolean;
  causes: {
    code: string;
    confidence: string;
    resource?: string;
    fixes: { patch?: { target: { type: string; id: string } } }[];
  }[];
  unknowns: { path: string; couldExplain: string[] }[];
  decisionOpen?: string[];
  possibleDecisions?: string[];
}

async function diagnose(s: LoadedScenario, extra: string[], format: 'json' | 'text', how: string) {
  const d = join(dir, `${s.id.replace(/[^\w-]/g, '_')}${how === 'collect-shaped' ? '.collect' : ''}`);
  const { name, text } = inputFile(s.input);
  const { mkdir } = await import('node:fs/promises');
  await mkdir(d, { recursive: true });
  const snapshot = how === 'collect-shaped' ? collectShaped(s).snapshot : s.fullSnapshot;
  await writeFile(join(d, 'snapshot.json'), JSON.stringify(snapshot, null, 2));
  await writeFile(join(d, name), text);
  const r = await runCli(
    ['diagnose', join(d, name), '--snapshot', join(d, 'snapshot.json'), '--format', format, ...extra],
    { timeoutMs: 60000 },
  );
  expect(r.code, `${s.id}: ${r.stderr}`).not.toBe(2);
  return r;
}

function check(s: LoadedScenario, x: JsonResult | undefined, want: ScenarioExpect, how: string): void {
  const where = `${s.id} (${how}; ${s.doc})`;
  expect(x, `${where}: no result`).toBeDefined();
  const r = x as JsonResult;
  const first = r.causes[0];
  const summary = `${where}: got ${r.decision} / ${first ? `${first.code} (${first.confidence})` : '(no cause)'}`;
  expect(Array.isArray(want.decision) ? want.decision : [want.decision], summary).toContain(r.decision);
  if (want.cause !== undefined) expect(first?.code, summary).toBe(want.cause);
  if (want.confidence !== undefined) {
    const ok = Array.isArray(want.confidence) ? want.confidence : [want.confidence];
    expect(ok, summary).toContain(first?.confidence);
  }
  if (want.reproduced !== undefined) expect(r.reproduced, summary).toBe(want.reproduced);
  if (want.resource !== undefined) expect(first?.resource, summary).toBe(want.resource);
  if (want.fixTarget !== undefined) {
    const t = first?.fixes.find((f) => f.patch)?.patch?.target;
    expect(t ? `${t.type}:${t.id}` : '(no patch)', summary).toBe(want.fixTarget);
  }
  for (const u of want.unknowns ?? [])
    expect([...r.unknowns.map((k) => k.path), ...(r.decisionOpen ?? [])], `${summary}: unknowns`).toContain(
      u,
    );
}

/** The scenario's snapshot as `collect` would have written it, and the evidence that made unknown. */
function collectShaped(s: LoadedScenario): { snapshot: Record<string, unknown>; unknown: string[] } {
  return realisticSnapshot(s.fullSnapshot, callerAccountOf(s.input));
}

/**
 * With collect's evidence and no expectation of its own, a case keeps its decision and first cause, or the report
 * names the evidence collect could not read as what leaves them open: an unknown made so that could explain the
 * expected cause, the expected decision still possible, and no Deny proven that the case does not prove.
 */
function checkOpenOrSame(s: LoadedScenario, x: JsonResult | undefined, want: ScenarioExpect): void {
  const r = x as JsonResult;
  const first = r.causes[0];
  const decisions = Array.isArray(want.decision) ? want.decision : [want.decision];
  if (decisions.includes(r.decision as never) && (want.cause === undefined || first?.code === want.cause))
    return;
  const made = collectShaped(s).unknown;
  const madeUnknown = (p: string) =>
    made.some((u) => p === u || p.startsWith(`${u}.`) || p.startsWith(`${u}[`));
  const summary = `${s.id} (collect-shaped; ${s.doc}): got ${r.decision} / ${first ? `${first.code} (${first.confidence})` : '(no cause)'}; made unknown: ${made.join(', ')}`;
  const naming = r.unknowns.filter(
    (u) => madeUnknown(u.path) && (want.cause === undefined || u.couldExplain.includes(want.cause)),
  );
  expect(
    naming.map((u) => u.path),
    `${summary}: no unknown it made is said to explain ${want.cause}`,
  ).not.toEqual([]);
  expect(
    decisions.some((d) => (r.possibleDecisions ?? [r.decision]).includes(d)),
    summary,
  ).toBe(true);
  if (!decisions.includes('ExplicitDeny')) expect(r.decision, summary).not.toBe('ExplicitDeny');
}

async function run(s: LoadedScenario, want: ScenarioExpect, extra: string[], how: string): Promise<void> {
  const r = await diagnose(s, [...(s.args ?? []), ...extra], 'json', how);
  const report = JSON.parse(r.stdout) as { results: JsonResult[] };
  if (how === 'collect-shaped' && !s.expectCollectShaped) checkOpenOrSame(s, report.results[0], want);
  else check(s, report.results[0], want, how);
  if (want.inText?.length || want.notInText?.length) {
    const t = await diagnose(s, [...(s.args ?? []), ...extra], 'text', how);
    for (const txt of want.inText ?? []) expect(t.stdout, `${s.id}: text report`).toContain(txt);
    for (const txt of want.notInText ?? []) expect(t.stdout, `${s.id}: text report`).not.toContain(txt);
  }
}

describe('scenario data', () => {
  const all = [...cases, ...pending];
  it('has at least 60 scenarios, half of them role sessions whose session policy is unknown', () => {
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(all.filter((s) => unknownSessionOf(s)).length * 2).toBeGreaterThanOrEqual(all.length);
  });
  it.each(all.map((s) => [s.id, s] as const))('%s cites an AWS documentation page', (_id, s) => {
    expect(s.doc).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(s.says.length).toBeGreaterThan(20);
  });
  it('no scenario is both enabled and pending', () => {
    const ids = new Set(cases.map((s) => s.id));
    expect(pending.filter((s) => ids.has(s.id)).map((s) => s.id)).toEqual([]);
  });
});

describe.concurrent('scenarios from the AWS documentation', () => {
  it.each(runnable.map((s) => [s.id, s] as const))('%s', async (_id, s) => {
    if (modes.has('written')) await run(s, s.expect, [], 'as written');
    if (modes.has('no-session-policy') && unknownSessionOf(s) && s.expectWithNoSessionPolicy !== 'skip')
      await run(
        s,
        s.expectWithNoSessionPolicy ?? s.expect,
        ['--session-policy', 'none'],
        '--session-policy none',
      );
    if (
      modes.has('collect-shaped') &&
      s.expectCollectShaped !== 'skip' &&
      collectShaped(s).unknown.length > 0
    )
      await run(s, s.expectCollectShaped ?? s.expect, [], 'collect-shaped');
  });
});
