// Reads every source under the --iac folder into located policy documents and homes, for one account and region.

import { dirname, posix } from 'node:path';
import type { SourceFile } from './discover.js';
import type { IacContext } from './context.js';
import {
  nestedStacks,
  readTemplate,
  Resolver,
  templateSites,
  type Template,
  type TemplateInputs,
} from './cfn.js';
import { terraformSites } from './terraform.js';
import type { PolicyHome, PolicySite } from './types.js';

/** The located documents and homes of a set of files. */
export interface SourceSet {
  sites: PolicySite[];
  homes: PolicyHome[];
  /** Files that look like sources but do not parse (path: why). */
  broken: { file: string; why: string }[];
}

/** Stack inputs of a template: the parameters its parent passes (nested stacks) and the stack's physical ids. */
function inputsFor(t: Template, ctx: IacContext, parentParams: Record<string, unknown>): TemplateInputs {
  const resources = t.value.Resources as Record<string, { Type?: unknown }>;
  const physical: Record<string, string> = {};
  // Stack resources apply to a template holding the same logical id with the same type.
  const stacks = new Map<string, number>();
  for (const r of ctx.stackResources)
    if (resources[r.logicalId]?.Type === r.type)
      stacks.set(r.stack ?? '', (stacks.get(r.stack ?? '') ?? 0) + 1);
  let best = [...stacks.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (best === undefined) {
    // No stack's resources are known (not given, or not readable): a stack whose parameters are exactly
    // the template's (by name) is its stack, when only one is.
    const names = Object.keys((t.value.Parameters ?? {}) as Record<string, unknown>)
      .sort()
      .join('\n');
    const same = Object.entries(ctx.stackParams).filter(
      ([, ps]) => names !== '' && Object.keys(ps).sort().join('\n') === names,
    );
    if (same.length === 1) best = same[0]![0];
  }
  const params: Record<string, unknown> = { ...parentParams };
  if (best !== undefined) {
    for (const r of ctx.stackResources)
      if ((r.stack ?? '') === best && resources[r.logicalId]?.Type === r.type)
        physical[r.logicalId] = r.physicalId;
    Object.assign(params, ctx.stackParams[best] ?? {});
  }
  return { params, physical };
}

/** Reads the sources: CloudFormation/SAM/CDK templates (nested stacks get their parent's parameters) and Terraform. */
export function readSources(files: SourceFile[], ctx: IacContext): SourceSet {
  const sites: PolicySite[] = [];
  const homes: PolicyHome[] = [];
  const broken: SourceSet['broken'] = [];
  const templates = new Map<string, Template>();
  for (const f of files) {
    if (f.kind !== 'template') continue;
    const t = readTemplate(f);
    if (t) templates.set(f.rel, t);
    else if (/\.(ya?ml|template)$/.test(f.rel) && /AWSTemplateFormatVersion|Resources:/.test(f.text))
      broken.push({ file: f.rel, why: 'not a template that parses' });
  }
  // Parameters nested stacks receive: resolved in the parent (one level at a time, parents first).
  const passed = new Map<string, Record<string, unknown>>();
  const order = [...templates.values()];
  for (const t of order) {
    const parentParams = passed.get(t.file.rel) ?? {};
    const inputs = inputsFor(t, ctx, parentParams);
    const r = templateSites(t, inputs, ctx);
    sites.push(...r.sites);
    homes.push(...r.homes);
    for (const n of nestedStacks(t)) {
      const child = posix.normalize(posix.join(dirname(t.file.rel), n.path));
      const resolver = new Resolver(t, inputs, ctx);
      const params: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(n.params)) {
        const un: string[] = [];
        const val = resolver.resolve(v, un);
        if (un.length === 0) params[k] = val;
      }
      passed.set(child, params);
      // A child read before its parent is read again with the parameters.
      const ct = templates.get(child);
      if (ct && order.indexOf(ct) < order.indexOf(t)) {
        const again = templateSites(ct, inputsFor(ct, ctx, params), ctx);
        const drop = new Set(again.sites.map((s) => s.address));
        for (let i = sites.length - 1; i >= 0; i--)
          if (sites[i]!.file === child && drop.has(sites[i]!.address)) sites.splice(i, 1);
        for (let i = homes.length - 1; i >= 0; i--) if (homes[i]!.file === child) homes.splice(i, 1);
        sites.push(...again.sites);
        homes.push(...again.homes);
      }
    }
  }
  const tf = terraformSites(files, ctx);
  sites.push(...tf.sites);
  homes.push(...tf.homes);
  broken.push(...tf.broken);
  return { sites, homes, broken };
}
