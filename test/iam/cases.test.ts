// Runs the iam-*.json conformance cases directly against the policy engine (identity-policy layer only):
// each case's first identity policy, same account, no bucket policy. Cases marked "iamOnly": false need
// the whole chain and are left to test/conformance.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluatePolicy, validatePolicy } from '../../src/iam/index.js';
import { principalArn, principalFromString } from '../../src/s3/index.js';
import type { Decision, Tri } from '../../src/model/evaluation.js';
import type { PolicyDocument } from '../../src/model/policy.js';
import type { AuthzRequest, ContextValue, Principal } from '../../src/model/request.js';

interface Case {
  name: string;
  doc: string;
  iamOnly?: boolean;
  request: {
    principal: string;
    action: string;
    resource: string;
    context?: Record<string, ContextValue>;
    unknownKeys?: string[];
  };
  evidence: {
    principals?: Record<string, { policies?: { document: unknown }[]; tags?: Record<string, string> }>;
    buckets?: Record<string, { accountId?: string; policy?: unknown }>;
  };
  expect: {
    decision?: Decision;
    certain?: boolean;
    possibleDecisions?: Decision[];
    deciding?: { layer: string; statementIndex?: number; sid?: string };
  };
}

const dir = join(import.meta.dirname, '..', 'conformance', 'cases');
const files = readdirSync(dir)
  .filter((f) => f.startsWith('iam-') && f.endsWith('.json'))
  .sort();

/** The user or role whose identity policies apply (`principals` key). */
function identityKey(p: Principal): string | undefined {
  if (p.kind === 'iam-user' || p.kind === 'iam-role') return p.arn;
  if (p.kind === 'role-session') return p.roleArn;
  return undefined;
}

function principalType(p: Principal): string | undefined {
  return {
    root: 'Account',
    'iam-user': 'User',
    'role-session': 'AssumedRole',
    'federated-user': 'FederatedUser',
  }[p.kind as string];
}

/** The context keys the chain derives from the principal and the evidence (never overriding the input). */
function enrich(c: Case, principal: Principal, tags: Record<string, string>): Record<string, ContextValue> {
  const ctx: Record<string, ContextValue> = { ...(c.request.context ?? {}) };
  const has = (k: string) => Object.keys(ctx).some((x) => x.toLowerCase() === k.toLowerCase());
  const set = (k: string, v: string | undefined) => {
    if (v !== undefined && !has(k) && !(c.request.unknownKeys ?? []).includes(k)) ctx[k] = v;
  };
  const now = new Date();
  set('aws:CurrentTime', now.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  set('aws:EpochTime', String(Math.floor(now.getTime() / 1000)));
  set('aws:PrincipalArn', principalArn(principal));
  if ('accountId' in principal) set('aws:PrincipalAccount', principal.accountId);
  set('aws:PrincipalType', principalType(principal));
  if (principal.kind === 'iam-user') set('aws:username', principal.name);
  set('aws:PrincipalIsAWSService', 'false');
  for (const [k, v] of Object.entries(tags)) set(`aws:PrincipalTag/${k}`, v);
  const bucket = /^arn:aws:s3:::([^/]+)/.exec(c.request.resource)?.[1];
  const account = bucket ? c.evidence.buckets?.[bucket]?.accountId : undefined;
  set('aws:ResourceAccount', account);
  set('s3:ResourceAccount', account);
  return ctx;
}

function decisions(deny: Tri, allow: Tri): Decision[] {
  if (deny === 'true') return ['ExplicitDeny'];
  const out = new Set<Decision>();
  if (deny === 'unknown') out.add('ExplicitDeny');
  if (allow !== 'false') out.add('Allowed');
  if (allow !== 'true') out.add('ImplicitDeny');
  return [...out];
}

function pick(possible: Decision[]): Decision {
  if (possible.length === 1) return possible[0]!;
  return possible.includes('Allowed') ? 'Allowed' : 'ImplicitDeny';
}

describe('iam conformance cases, evaluated by the policy engine alone', () => {
  it('has at least 150 cases, each with a documentation link', () => {
    const all = files.flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Case[]);
    expect(all.length).toBeGreaterThanOrEqual(150);
    for (const c of all) expect(c.doc, c.name).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });

  for (const file of files) {
    const cases = (JSON.parse(readFileSync(join(dir, file), 'utf8')) as Case[]).filter(
      (c) => c.iamOnly !== false,
    );
    if (cases.length === 0) continue;
    describe(file, () => {
      for (const c of cases) {
        it(c.name, () => {
          const principal = principalFromString(c.request.principal);
          const key = identityKey(principal);
          const entry = key ? c.evidence.principals?.[key] : undefined;
          // iamOnly cases must be decidable by the identity policy alone.
          for (const b of Object.values(c.evidence.buckets ?? {})) expect(b.policy ?? null).toBeNull();
          const req: AuthzRequest = {
            principal,
            action: c.request.action,
            resource: c.request.resource,
            context: enrich(c, principal, entry?.tags ?? {}),
            unknownKeys: c.request.unknownKeys ?? [],
            need: 'required',
          };
          let deny: Tri = 'false';
          let allow: Tri = 'false';
          let decidingIndex: number | undefined;
          let decidingSid: string | undefined;
          const first = entry?.policies?.[0];
          if (first) {
            const v = validatePolicy(first.document, 'document');
            expect(v.problems).toEqual([]);
            const ev = evaluatePolicy(
              compilePolicy(v.document as PolicyDocument, { type: 'identity-policy', id: 'p' }),
              req,
            );
            deny = ev.explicitDeny;
            allow = ev.allow;
            const effect = deny === 'true' ? 'Deny' : 'Allow';
            const st = ev.statements.find((s) => s.effect === effect && s.matched === 'true');
            decidingIndex = st?.policy.statementIndex;
            decidingSid = st?.policy.sid;
          }
          const possible = decisions(deny, allow);
          const e = c.expect;
          if (e.decision) expect(pick(possible), JSON.stringify(possible)).toBe(e.decision);
          if (e.certain !== undefined) expect(possible.length === 1).toBe(e.certain);
          if (e.possibleDecisions) expect([...possible].sort()).toEqual([...e.possibleDecisions].sort());
          if (e.deciding?.layer === 'identity-policy') {
            if (e.deciding.statementIndex !== undefined)
              expect(decidingIndex).toBe(e.deciding.statementIndex);
            if (e.deciding.sid !== undefined) expect(decidingSid).toBe(e.deciding.sid);
          }
        });
      }
    });
  }
});
