// Small rendering helpers shared by the text and Markdown formatters: labels, never decisions.

import { CAUSE_KIND } from '../../authz/cause-table.js';
import type {
  IacPatch,
  ContextValue,
  Fix,
  InputSource,
  PolicyRef,
  Result,
  TriageApproximation,
} from '../../model/index.js';

/** `access.log:42`, `trail.json#3 (eventID 0c1d…)` for the 3rd element of a JSON array, or `trail.json#eventId`. */
export function sourceLabel(s: InputSource): string {
  if (s.index !== undefined) {
    const id = s.eventId === undefined ? '' : ` (eventID ${s.eventId})`;
    return `${s.source}#${s.index}${id}`;
  }
  if (s.line !== undefined) return `${s.source}:${s.line}`;
  if (s.eventId !== undefined) return `${s.source}#${s.eventId}`;
  return s.source;
}

/** A context value as one string. */
export function contextValue(v: ContextValue | undefined): string {
  if (v === undefined) return '(absent)';
  return Array.isArray(v) ? `[${v.join(', ')}]` : v;
}

/** Human words for a policy type. */
export const POLICY_TYPE_LABEL: Record<PolicyRef['type'], string> = {
  'identity-policy': 'identity policy',
  'permissions-boundary': 'permissions boundary',
  'session-policy': 'session policy',
  scp: 'service control policy',
  rcp: 'resource control policy',
  'vpc-endpoint-policy': 'VPC endpoint policy',
  'bucket-policy': 'bucket policy',
  'access-point-policy': 'access point policy',
  'kms-key-policy': 'KMS key policy',
};

/** `bucket policy reports-bucket, statement 0 "DenyHttp"`. */
export function policyLabel(p: PolicyRef): string {
  const parts = [`${POLICY_TYPE_LABEL[p.type] ?? p.type} ${p.name ?? p.id}`];
  if (p.name !== undefined && p.name !== p.id) parts[0] += ` (${p.id})`;
  if (p.statementIndex !== undefined) parts.push(`statement ${p.statementIndex}`);
  if (p.sid !== undefined) parts.push(`"${p.sid}"`);
  return parts.join(', ');
}

/** Fix kind in words. */
export const FIX_KIND_LABEL: Record<Fix['kind'], string> = {
  'client-change': 'change the client',
  'policy-patch': 'policy change',
  'config-change': 'configuration change',
  'credential-refresh': 'refresh credentials',
};

/** What the verification of a fix says, in words. */
export function verificationLabel(f: Fix): string | undefined {
  if (f.verified === true) return 'verified: the request is allowed after this change';
  if (f.verified === false) {
    const still = f.remainingCauses?.length ? `; still blocked by ${f.remainingCauses.join(', ')}` : '';
    const may = f.mayRemain;
    const maybe =
      may && may.causes.length > 0
        ? `; may still be blocked by ${may.causes.join(', ')} (unknown: ${listed(may.unknowns)})`
        : may && may.unknowns.length > 0
          ? `; unknown evidence may still block it (${listed(may.unknowns)})`
          : '';
    if (still) return `not enough on its own${still}${maybe}`;
    // Nothing is known to block after it: not verified, which is not "not enough".
    const unapplied = [f.patch, ...(f.additionalPatches ?? [])].every((p) => !p || p.beforeUnknown);
    if (f.patch && unapplied && !maybe)
      return 'not verified: the document it changes is not in the evidence (merge the change by hand)';
    return `not verified${maybe}`;
  }
  return undefined;
}

/** At most three items, then "and N more". */
function listed(xs: string[]): string {
  const more = xs.length > 3 ? ` and ${xs.length - 3} more` : '';
  return `${xs.slice(0, 3).join(', ')}${more}`;
}

/** Blast radius in one line. */
export function blastRadiusLabel(f: Fix): string | undefined {
  const b = f.blastRadius;
  if (!b || b.probes === 0) return undefined;
  if (b.newlyAllowed.length === 0)
    return `grants nothing beyond the denied request (${b.probes} probes checked)`;
  return `also newly allows ${b.newlyAllowed.length} of ${b.probes} probes`;
}

/** What every formatter shows about a fix besides its summary: kind, verification, blast radius. */
export interface FixFacts {
  kind: string;
  verification?: string;
  blastRadius?: string;
}

/** The shared facts of a fix, in words (each formatter styles them its own way). */
export function fixFacts(f: Fix): FixFacts {
  const kind = FIX_KIND_LABEL[f.kind] ?? f.kind;
  const out: FixFacts = { kind: f.alternative ? `${kind}, alternative` : kind };
  const v = verificationLabel(f);
  if (v) out.verification = v;
  const br = blastRadiusLabel(f);
  if (br) out.blastRadius = br;
  return out;
}

/** The decision in words (with what leaves it open when the evidence alone could still allow). */
export function decisionLabel(r: Result): string {
  if (!r.decisionOpen) return decisionWords(r);
  const shown = r.decisionOpen.slice(0, 3).join(', ');
  const more = r.decisionOpen.length > 3 ? ` and ${r.decisionOpen.length - 3} more` : '';
  const unknown = shown ? `: unknown ${shown}${more}` : '';
  const kind = r.decision === 'ExplicitDeny' ? 'Explicit deny' : 'Implicit deny';
  return `${kind}: the input reports the denial; the evidence leaves it open${unknown}`;
}

function decisionWords(r: Result): string {
  switch (r.decision) {
    case 'Allowed':
      return `Allowed: the evidence as given would allow this request${deniableStill(r)}`;
    case 'ExplicitDeny':
      return denyMatched(r)
        ? 'Explicit deny: a Deny statement matched'
        : 'Explicit deny: the input reports an explicit deny';
    case 'ImplicitDeny': {
      // Only what is true of this request: an S3 check (Block Public Access, Requester Pays, object
      // ownership, ...) refuses requests the policies allow; a missing Allow may sit beside other Allows.
      const top = r.causes.find((c) => c.confidence !== 'possible');
      if (top && CAUSE_KIND[top.code] === 's3-check')
        return `Implicit deny: refused by an S3 check (${top.code})${alsoPossible(r)}`;
      return `Implicit deny: a required Allow is missing${alsoPossible(r)}`;
    }
    case 'NotAuthenticated':
      return 'Not authenticated: the request was rejected before any policy was evaluated';
    default:
      return String(r.decision);
  }
}

/** Whether a cause cites a Deny statement the evidence shows matching (not only an input's words). */
function denyMatched(r: Result): boolean {
  return r.causes.some(
    (c) =>
      c.code.startsWith('explicit-deny-') &&
      c.confidence === 'certain' &&
      c.policy?.statementIndex !== undefined,
  );
}

/** `; an explicit deny is also possible (unknown: ...)` when unknown evidence could hold a matching Deny. */
/** For an Allowed that unknown evidence leaves open: which unknowns could still refuse it. */
function deniableStill(r: Result): string {
  if (!r.possibleDecisions?.some((d) => d !== 'Allowed')) return '';
  const paths = r.unknowns.filter((u) => u.couldExplain.length > 0);
  return `, unless unknown evidence refuses it${paths.length > 0 ? ` (unknown: ${listed(paths.map((u) => u.path))})` : ''}`;
}

function alsoPossible(r: Result): string {
  if (!r.possibleDecisions?.includes('ExplicitDeny')) return '';
  const paths = r.unknowns.filter((u) => u.couldExplain.some((c) => c.startsWith('explicit-deny-')));
  const which = paths.length > 0 ? ` (unknown: ${listed(paths.map((u) => u.path))})` : '';
  return `; an explicit deny is also possible${which}`;
}

/**
 * Whether a result counts as explained (CONTRACT exit codes): a certain or likely cause, or the
 * request is allowed with nothing left open. An "Allowed" that unknown evidence could still turn
 * into a denial (a possible cause, or an unknown that could explain one) is not explained: exit 1,
 * and the report lists the missing evidence.
 */
export function isExplained(r: Result): boolean {
  if (r.causes.some((c) => c.confidence === 'certain' || c.confidence === 'likely')) return true;
  return (
    r.decision === 'Allowed' &&
    !r.causes.some((c) => c.confidence === 'possible') &&
    r.unknowns.every((u) => u.couldExplain.length === 0)
  );
}

/** The request line: `principal -> action on resource`. */
export function requestLine(r: Result): string {
  return `${r.request.principal} -> ${r.request.action} on ${r.request.resource}`;
}

/** `1 request` / `2 requests`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/**
 * The heading of one IaC patch: tool, file:line, address (construct path), the document it changes
 * (unless `grouped` under that document's heading), and what re-evaluation found.
 */
export function iacPatchLabel(p: IacPatch, grouped = false): string {
  const where = `${p.tool} ${p.file}:${p.line} ${p.address}${p.constructPath ? ` (construct ${p.constructPath})` : ''}${p.document && !grouped ? ` for ${p.document}` : ''}`;
  const n = p.blastRadius?.newlyAllowed.length ?? 0;
  const verdict = p.verified
    ? `verified: the edited source allows the request${p.blastRadius ? (n === 0 ? ', grants nothing beyond it' : `, also allows ${n} more`) : ''}`
    : 'not verified';
  return `${where}: ${verdict}${p.confirmed ? '' : ' (unconfirmed match)'}`;
}

/** The IaC side of a fix for one document it changes: its heading (fixes of several documents), patches or why none. */
export interface IacGroup {
  /** `bucket policy of B`: absent when the fix changes one document. */
  heading?: string;
  patches: IacPatch[];
  /** Why no source matched this document (the JSON patch is its fix). */
  unmatched?: string;
}

/**
 * A fix's IaC patches grouped by the document they change, in the fix's order: one group without a
 * heading when the fix changes one document, else one per document with its patches or why no source matched it.
 */
export function iacGroups(fix: Fix): IacGroup[] {
  const iac = fix.iac;
  if (!iac) return [];
  const docs = [...(fix.patch ? [fix.patch] : []), ...(fix.additionalPatches ?? [])];
  const several =
    docs.length > 1 && (iac.unmatchedDocuments !== undefined || iac.patches.some((p) => p.document));
  if (!several) return [{ patches: iac.patches, ...(iac.unmatched ? { unmatched: iac.unmatched } : {}) }];
  const seen = new Set<string>();
  const groups: IacGroup[] = [];
  for (const d of docs) {
    const id = d.target.id;
    if (seen.has(id)) continue;
    seen.add(id);
    const why = iac.unmatchedDocuments?.filter((u) => u.document === id).map((u) => u.why);
    groups.push({
      heading: `${d.target.type.replace(/-/g, ' ')} of ${id}${d.target.name ? ` (${d.target.name})` : ''}`,
      patches: iac.patches.filter((p) => p.document === id),
      ...(why?.length ? { unmatched: `${why.join('; ')}; the JSON patch above is the fix for it` } : {}),
    });
  }
  return groups;
}

/** Lines under an IaC patch's heading: unresolved values and notes. */
export function iacPatchNotes(p: IacPatch): string[] {
  return [...(p.unresolved?.length ? [`unresolved: ${p.unresolved.join(', ')}`] : []), ...(p.notes ?? [])];
}

/**
 * The sentence that says how triage counts past the group limit may be off (text and Markdown).
 * Space-Saving: Metwally, Agrawal, El Abbadi, "Efficient computation of frequent and top-k elements in data streams" (ICDT 2005).
 */
export function approximateNote(a: TriageApproximation): string {
  return (
    `Counts are approximate: more than ${a.maxGroups} distinct groups came, so ${plural(a.evictions, 'group')} gave up ` +
    `${a.evictions === 1 ? 'its' : 'their'} place to later ones (Space-Saving summary). A count marked "over" may be that much too high` +
    (a.undercountMax > 0 ? ` and any count up to ${a.undercountMax} too low` : '') +
    `; such a group's first/last seen and timeline cover only the denials since it got its place. ` +
    `A group not listed had at most ${a.unlistedMax} denials: every group with more is listed.`
  );
}
