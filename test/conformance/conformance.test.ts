// The conformance suite: every test/conformance/cases/*.json case is evaluated end to end
// (snapshot -> simulate request -> evaluateRequest) and its expected decision checked.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../src/evidence/index.js';
import { evaluateRequest, parseSimulateRequest, SimulateRequestError } from '../../src/authz/index.js';
import type { AuthorizationResult, Decision, LayerName } from '../../src/model/index.js';

/** One case, as written in the JSON files. */
interface Case {
  name: string;
  doc?: string;
  request: unknown;
  evidence?: Record<string, unknown>;
  expect: {
    decision?: Decision;
    certain?: boolean;
    possibleDecisions?: Decision[];
    deciding?: { layer: LayerName; sid?: string; statementIndex?: number; type?: string; id?: string };
    /** Layer outcomes on the deciding authorization (the first required one with the overall decision). */
    layers?: Partial<Record<LayerName, string>>;
    /** Facts expected (partially) on layers of the deciding authorization. */
    facts?: Partial<Record<LayerName, Record<string, unknown>>>;
    /** Every authorization in order: action and decision. */
    authorizations?: { action?: string; decision: Decision; need?: string }[];
    /** Unknown evidence paths that must be listed (with, optionally, a code each). */
    unknowns?: { path: string; couldExplain?: string }[];
    /** The snapshot must be rejected with problems at these paths. */
    snapshotProblems?: string[];
    /** The request must be rejected with problems at these paths. */
    requestProblems?: string[];
  };
}

const dir = join(import.meta.dirname, 'cases');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

function decidingAuth(auths: AuthorizationResult[], decision: Decision): AuthorizationResult | undefined {
  return (
    auths.find((a) => a.request.need === 'required' && a.decision === decision) ??
    auths.find((a) => a.decision === decision) ??
    auths[0]
  );
}

describe('conformance', () => {
  it('has case files', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    const cases = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Case[];
    describe(file, () => {
      const names = new Set<string>();
      for (const c of cases) {
        it(c.name, () => {
          expect(names.has(c.name), `duplicate case name ${c.name}`).toBe(false);
          names.add(c.name);
          const snapshot = { schemaVersion: 1, ...(c.evidence ?? {}) };
          const parsed = parseSnapshot(snapshot, `${file}: ${c.name}`);
          if (c.expect.snapshotProblems) {
            expect(parsed.evidence).toBeUndefined();
            const paths = parsed.problems.map((p) => p.path);
            for (const want of c.expect.snapshotProblems) expect(paths).toContain(want);
            return;
          }
          expect(parsed.problems).toEqual([]);
          if (c.expect.requestProblems) {
            let err: unknown;
            try {
              parseSimulateRequest(c.request);
            } catch (e) {
              err = e;
            }
            expect(err).toBeInstanceOf(SimulateRequestError);
            const paths = (err as SimulateRequestError).problems.map((p) => p.path);
            for (const want of c.expect.requestProblems) expect(paths).toContain(want);
            return;
          }
          const req = parseSimulateRequest(c.request);
          const ev = evaluateRequest(req, parsed.evidence!);
          const e = c.expect;
          if (e.decision) expect(ev.decision, JSON.stringify(ev.possibleDecisions)).toBe(e.decision);
          if (e.certain !== undefined) expect(ev.certain).toBe(e.certain);
          if (e.possibleDecisions)
            expect([...ev.possibleDecisions].sort()).toEqual([...e.possibleDecisions].sort());
          const auth = decidingAuth(ev.authorizations, ev.decision);
          if (e.deciding) {
            const d = auth?.deciding;
            expect(d?.layer, JSON.stringify(auth?.layers.map((l) => [l.layer, l.outcome]))).toBe(
              e.deciding.layer,
            );
            if (e.deciding.statementIndex !== undefined)
              expect(d?.policy?.statementIndex).toBe(e.deciding.statementIndex);
            if (e.deciding.sid !== undefined) expect(d?.policy?.sid).toBe(e.deciding.sid);
            if (e.deciding.type !== undefined) expect(d?.policy?.type).toBe(e.deciding.type);
            if (e.deciding.id !== undefined) expect(d?.policy?.id).toBe(e.deciding.id);
          }
          for (const [layer, outcome] of Object.entries(e.layers ?? {})) {
            const l = auth?.layers.find((x) => x.layer === layer);
            expect(l?.outcome, `layer ${layer}`).toBe(outcome);
          }
          for (const [layer, facts] of Object.entries(e.facts ?? {})) {
            const l = auth?.layers.find((x) => x.layer === layer);
            expect(l?.facts ?? {}, `facts of ${layer}`).toMatchObject(facts as Record<string, unknown>);
          }
          if (e.authorizations) {
            expect(
              ev.authorizations.map((a) => ({ action: a.request.action, decision: a.decision })),
            ).toMatchObject(
              e.authorizations.map((a) => ({
                ...(a.action ? { action: a.action } : {}),
                decision: a.decision,
              })),
            );
          }
          for (const u of e.unknowns ?? []) {
            const hit = ev.unknowns.find((x) => x.path === u.path);
            expect(hit, `unknown ${u.path} in ${JSON.stringify(ev.unknowns)}`).toBeDefined();
            if (u.couldExplain) expect(hit?.couldExplain).toContain(u.couldExplain);
          }
        });
      }
    });
  }
});
