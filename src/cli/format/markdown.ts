// The Markdown formatter: a runbook-ready report (request, verdict, evidence table, causes, fixes, unknowns).

import type { Evidence, MalformedRecord, Report, Result, TriageReport } from '../../model/index.js';
import {
  approximateNote,
  contextValue,
  decisionLabel,
  fixFacts,
  iacGroups,
  iacPatchLabel,
  iacPatchNotes,
  isExplained,
  plural,
  policyLabel,
  sourceLabel,
} from './common.js';
import { collectHint } from './hints.js';
import { mdCode as code, mdEscape as md, originalOf } from './safe.js';
import { findPolicyStatement } from '../../evidence/policy-lookup.js';

/** Options of the Markdown formatter. */
export interface MarkdownOptions {
  /** The evidence used: feeds the evidence table and the verbatim statements. */
  evidence?: Evidence;
  /** Report title. */
  title?: string;
}

/** Escapes a table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Fenced block whose fence is longer than any backtick run inside. */
function fence(lang: string, body: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${body.trimEnd()}\n${f}`;
}

type Known = 'unknown' | 'none' | string;

function state(v: unknown, describe: (v: never) => string): Known {
  if (v === undefined) return 'unknown';
  if (v === null) return 'none';
  return describe(v as never);
}

function roleArnOf(principal: string): string | undefined {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(principal);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : undefined;
}

function findPrincipalKey(evidence: Evidence, principal: string): string | undefined {
  if (evidence.principals[principal]) return principal;
  const role = roleArnOf(principal);
  if (!role) return undefined;
  if (evidence.principals[role]) return role;
  const name = role.split('/').pop()!;
  const acct = role.split(':')[4];
  return Object.keys(evidence.principals).find(
    (k) => k.split(':')[4] === acct && k.endsWith(`/${name}`) && k.includes(':role/'),
  );
}

/** Rows of the evidence table: what the evidence knew about each layer this request touches. */
export function evidenceRows(r: Result, evidence: Evidence | undefined): [string, string][] {
  if (!evidence)
    return [
      ['Evidence', r.evidence === 'live' ? 'live AWS (not shown)' : 'none: diagnosed from the logs alone'],
    ];
  const rows: [string, string][] = [['Evidence source', r.evidence ?? 'snapshot']];
  if (evidence.collectedAt) rows.push(['Collected at', evidence.collectedAt]);
  const pKey = findPrincipalKey(evidence, r.request.principal);
  const p = pKey ? evidence.principals[pKey] : undefined;
  const pLabel = pKey ?? r.request.principal;
  rows.push([
    `Identity policies of ${pLabel}`,
    state(p?.policies, (l: unknown[]) => plural(l.length, 'policy', 'policies')),
  ]);
  rows.push([
    `Permissions boundary of ${pLabel}`,
    state(p?.permissionsBoundary, (b: { arn: string }) => b.arn),
  ]);
  const sess = evidence.sessions[r.request.principal];
  if (r.request.principal.includes(':assumed-role/')) {
    rows.push(['Session policy', state(sess?.sessionPolicy, () => 'present')]);
  }
  const bucketMatch = /^arn:aws[a-z-]*:s3:::([^/]+)/.exec(r.request.resource);
  const bucketName = bucketMatch?.[1];
  const b = bucketName ? evidence.buckets[bucketName] : undefined;
  if (bucketName) {
    rows.push([
      `Bucket policy of ${bucketName}`,
      state(b?.policy, (d: { Statement: unknown }) =>
        plural(Array.isArray(d.Statement) ? d.Statement.length : 1, 'statement'),
      ),
    ]);
    rows.push(['Bucket ACL', state(b?.acl, (a: { Grants: unknown[] }) => plural(a.Grants.length, 'grant'))]);
    rows.push(['Object Ownership', state(b?.objectOwnership, (o: string) => o)]);
    rows.push([
      'Block Public Access (bucket)',
      state(b?.publicAccessBlock, (x: Record<string, boolean>) => bpa(x)),
    ]);
    rows.push([
      'Default encryption',
      state(b?.encryption, (e: { SSEAlgorithm: string; KMSMasterKeyID?: string }) =>
        [e.SSEAlgorithm, e.KMSMasterKeyID].filter(Boolean).join(' '),
      ),
    ]);
    rows.push(['Requester Pays', b?.requestPayer ?? 'unknown']);
  }
  const acct = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(r.request.principal)?.[1];
  const accounts = [...new Set([acct, b?.accountId].filter((x): x is string => x !== undefined))];
  for (const a of accounts) {
    const ae = evidence.accounts[a];
    rows.push([
      `SCPs of ${a}`,
      state(ae?.serviceControlPolicies, (l: unknown[]) => plural(l.length, 'level')),
    ]);
    rows.push([
      `RCPs of ${a}`,
      state(ae?.resourceControlPolicies, (l: unknown[]) => plural(l.length, 'level')),
    ]);
    rows.push([
      `Block Public Access (account ${a})`,
      state(ae?.publicAccessBlock, (x: Record<string, boolean>) => bpa(x)),
    ]);
  }
  for (const n of evidence.notes) rows.push([`Not collected: ${n.path}`, n.reason]);
  return rows;
}

function bpa(x: Record<string, boolean>): string {
  const on = Object.entries(x)
    .filter(([, v]) => v)
    .map(([k]) => k);
  return on.length ? on.join(', ') : 'all off';
}

function table(head: [string, string], rows: [string, string][]): string {
  return [
    `| ${head[0]} | ${head[1]} |`,
    '|---|---|',
    ...rows.map(([a, b]) => `| ${cell(a)} | ${cell(b)} |`),
  ].join('\n');
}

/** One result as a Markdown section. */
export function renderResultMarkdown(r: Result, n: number, opts: MarkdownOptions): string {
  const out: string[] = [];
  out.push(
    `## ${n}. ${md(r.request.action || 'unknown action')} on ${r.request.resource ? code(r.request.resource) : 'an unknown resource'}: ${md(r.decision)}`,
  );
  out.push('### Request');
  const req: [string, string][] = [
    ['Source', code(sourceLabel(r.input))],
    ['Principal', code(r.request.principal)],
    ['Action', r.request.action ? code(r.request.action) : 'unknown'],
    ['Resource', r.request.resource ? code(r.request.resource) : 'unknown (the input names no bucket)'],
  ];
  if (r.request.operation) req.push(['Operation', code(r.request.operation)]);
  if (r.request.time) req.push(['Time', md(r.request.time)]);
  if (r.request.errorCode) req.push(['Error code', code(r.request.errorCode)]);
  for (const [k, v] of Object.entries(r.request.context))
    req.push([`Context ${code(k)}`, code(contextValue(v))]);
  for (const p of r.request.provedAbsent ?? []) req.push([`Not sent ${code(p.key)}`, p.proof]);
  if (r.request.unknownKeys?.length)
    req.push(['Not in the input', r.request.unknownKeys.map(code).join(', ')]);
  out.push(table(['Field', 'Value'], req));
  out.push('### Verdict');
  out.push(
    `**${md(decisionLabel(r))}.** ${isExplained(r) ? 'Explained.' : 'Not explained with the evidence at hand (see Unknowns).'}` +
      (r.evidence && r.evidence !== 'none'
        ? ` The evidence ${r.decisionOpen ? 'does not settle' : r.reproduced ? 'reproduces' : 'does not reproduce'} the denial.`
        : ''),
  );
  for (const w of r.notReproducedBecause ?? []) out.push(`- ${md(w)}`);
  out.push('### Evidence');
  out.push(
    table(
      ['Evidence', 'Status'],
      evidenceRows(r, opts.evidence).map(([a, b]) => [md(a), md(b)]),
    ),
  );
  out.push('### Causes');
  if (r.causes.length === 0) out.push('No cause could be shown with the evidence at hand.');
  r.causes.forEach((c, i) => {
    const lines = [
      `${i + 1}. **${code(c.code)}** (${md(c.confidence)}): ${md(c.explanation)}`,
      `   - Rule: ${code(c.rule)}`,
    ];
    if (c.action && c.resource) lines.push(`   - Blocks: ${code(c.action)} on ${code(c.resource)}`);
    if (c.policy) lines.push(`   - Statement: ${md(policyLabel(c.policy))}`);
    if (c.condition) {
      lines.push(
        `   - Condition: ${code(c.condition.operator)} ${code(c.condition.key)} = ${code(contextValue(c.condition.policyValues))}; request value: **${code(contextValue(c.condition.requestValue))}**`,
      );
    }
    out.push(lines.join('\n'));
    const st = c.policy ? findPolicyStatement(opts.evidence, c.policy) : undefined;
    if (st) out.push(fence('json', JSON.stringify(st, null, 2)));
  });
  const fixes = r.causes.flatMap((c, ci) => c.fixes.map((f, fi) => ({ c, f, id: `${ci + 1}.${fi + 1}` })));
  out.push('### Fixes');
  if (fixes.length === 0) out.push('No fix to suggest.');
  for (const { c, f, id } of fixes) {
    out.push(`#### Fix ${id}: ${md(f.summary)}`);
    const { kind, verification: v, blastRadius: br } = fixFacts(f);
    const meta = [`- Kind: ${md(kind)} (for ${code(c.code)})`];
    if (v) meta.push(`- ${md(v[0]!.toUpperCase() + v.slice(1))}`);
    if (br) meta.push(`- Blast radius: ${md(br)}`);
    for (const na of f.blastRadius?.newlyAllowed ?? [])
      meta.push(`  - ${code(na.principal)} ${code(na.action)} ${code(na.resource)}`);
    if (f.patch) meta.push(`- Changes: ${md(f.patch.target.type)} ${code(f.patch.target.id)}`);
    out.push(meta.join('\n'));
    if (f.diff)
      out.push(
        fence(
          'diff',
          f.diff
            .split('\n')
            .filter((l) => !/^=+$/.test(l))
            .join('\n'),
        ),
      );
    else if (f.patch) out.push(fence('json', JSON.stringify(f.patch.after, null, 2)));
    if (f.commands?.length) out.push(fence('sh', f.commands.join('\n')));
    for (const g of iacGroups(f)) {
      // A fix of several documents: each document's patches, or why no source matched it, under its name.
      const head = `- Infrastructure as code${g.heading ? ` (${md(g.heading)})` : ''}:`;
      if (g.unmatched) out.push(`${head} no source matched: ${md(g.unmatched)}`);
      for (const p of g.patches) {
        out.push(
          [
            `${head} ${md(iacPatchLabel(p, g.heading !== undefined))}`,
            ...iacPatchNotes(p).map((l) => `  - ${md(l)}`),
          ].join('\n'),
        );
        out.push(
          fence(
            'diff',
            p.diff
              .split('\n')
              .filter((l) => !/^=+$/.test(l))
              .join('\n'),
          ),
        );
      }
    }
  }
  out.push('### Unknowns and how to collect them');
  if (r.unknowns.length === 0) out.push('None: the evidence settles every layer.');
  else {
    out.push(
      [
        '| Unknown | Could explain | How to collect |',
        '|---|---|---|',
        ...r.unknowns.map(
          (u) =>
            `| ${cell(code(u.path))} | ${cell(u.couldExplain.map(code).join(', '))} | ${cell(md(collectHint(originalOf(u).path)))} |`,
        ),
      ].join('\n'),
    );
  }
  return out.join('\n\n');
}

/** The report's title line. */
export function reportTitleMarkdown(opts: MarkdownOptions): string {
  return `# ${md(opts.title ?? 's3doctor report')}`;
}

/** The "Skipped input" section: where each skipped entry was, and why. */
export function skippedInputMarkdown(malformed: readonly MalformedRecord[]): string {
  return [
    '## Skipped input',
    [
      '| Where | Reason |',
      '|---|---|',
      ...malformed.map(
        (m) =>
          `| ${cell(code(m.line !== undefined ? `${m.source}:${m.line}` : m.source))} | ${cell(md(m.reason))} |`,
      ),
    ].join('\n'),
  ].join('\n\n');
}

/**
 * A whole diagnose report as Markdown: the results, the skipped input, then the summary line (last,
 * so that `diagnose` can write each result as it goes; see format/stream.ts).
 */
export function renderReportMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const explained = report.results.filter(isExplained).length;
  const out = [reportTitleMarkdown(opts)];
  report.results.forEach((r, i) => out.push(renderResultMarkdown(r, i + 1, opts)));
  const malformed = report.malformed ?? [];
  if (malformed.length) out.push(skippedInputMarkdown(malformed));
  out.push(
    `${plural(report.results.length, 'denied request')}: ${explained} explained, ${report.results.length - explained} not explained.`,
  );
  return out.join('\n\n') + '\n';
}

/** The triage summary as Markdown. */
export function renderTriageMarkdown(t: TriageReport): string {
  const s = t.scanned;
  const out = [
    '# s3doctor triage',
    `Scanned ${plural(s.files, 'file')}, ${plural(s.lines, 'line')}, ${s.bytes} bytes: **${s.denied} denied**, ${s.malformed} malformed.`,
    ...(t.approximate ? [`> ${md(approximateNote(t.approximate))}`] : []),
    [
      '| # | Count | Error | Action | Bucket / prefix | Principal | First seen | Last seen | Cause |',
      '|---|---|---|---|---|---|---|---|---|',
      ...t.groups.map(
        (g, i) =>
          `| ${i + 1} | ${g.count}${g.countError ? ` (up to ${g.countError} over)` : ''} | ${cell(md(g.errorCode))} | ${cell(code(g.action))} | ${cell(code(`${g.bucket}/${g.keyPrefix}`))} | ${cell(
            code(g.principal),
          )} | ${md(g.firstSeen ?? '')} | ${md(g.lastSeen ?? '')} | ${cell(g.diagnosis?.causes.map((c) => code(c.code)).join(', ') ?? '')} |`,
      ),
    ].join('\n'),
  ];
  if (t.malformed.length) {
    out.push('## Skipped input');
    out.push(
      t.malformed
        .map((m) => `- ${code(m.line !== undefined ? `${m.source}:${m.line}` : m.source)}: ${md(m.reason)}`)
        .join('\n'),
    );
  }
  return out.join('\n\n') + '\n';
}
