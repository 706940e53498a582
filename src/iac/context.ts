// What resolves the sources' open values: account and region of the evidence, Terraform state and CloudFormation stacks.

/** One Terraform resource instance from state: its address and attributes. */
export interface StateResource {
  /** `aws_iam_role.app`, `module.app.aws_iam_role.app`, `data.aws_iam_policy_document.x`. */
  address: string;
  attributes: Record<string, unknown>;
}

/** One CloudFormation stack resource (describe-stack-resources). */
export interface StackResource {
  stack?: string;
  logicalId: string;
  physicalId: string;
  type: string;
}

/** Inputs that settle values the sources leave open. */
export interface IacContext {
  account?: string;
  region?: string;
  /** CloudFormation exports (list-exports, or stacks' Outputs with ExportName): name -> value. */
  imports: Record<string, string>;
  /** Stack parameters (describe-stacks): stack -> name -> value. */
  stackParams: Record<string, Record<string, string>>;
  stackResources: StackResource[];
  state: StateResource[];
}

/** An empty context. */
export function emptyContext(): IacContext {
  return { imports: {}, stackParams: {}, stackResources: [], state: [] };
}

interface ShowModule {
  address?: string;
  resources?: { address?: string; values?: Record<string, unknown> }[];
  child_modules?: ShowModule[];
}

/**
 * Reads a state or stack document into the context: `terraform.tfstate` (version 4), `terraform show -json`,
 * `aws cloudformation describe-stack-resources`, `describe-stacks` (parameters, exports) or `list-exports`.
 * Returns false when the document is none of these.
 */
export function addStateDocument(ctx: IacContext, doc: unknown): boolean {
  if (!doc || typeof doc !== 'object') return false;
  const d = doc as Record<string, unknown>;
  let known = false;
  if (Array.isArray(d.resources) && typeof d.version === 'number') {
    known = true;
    for (const r of d.resources as Record<string, unknown>[]) {
      const base = `${r.module ? `${String(r.module)}.` : ''}${r.mode === 'data' ? 'data.' : ''}${String(r.type)}.${String(r.name)}`;
      for (const inst of (r.instances ?? []) as {
        index_key?: unknown;
        attributes?: Record<string, unknown>;
      }[]) {
        const key = inst.index_key === undefined ? '' : `[${JSON.stringify(inst.index_key)}]`;
        ctx.state.push({ address: base + key, attributes: inst.attributes ?? {} });
      }
    }
  }
  const values = d.values as { root_module?: ShowModule } | undefined;
  if (values?.root_module) {
    known = true;
    const walk = (m: ShowModule) => {
      for (const r of m.resources ?? [])
        if (r.address) ctx.state.push({ address: r.address, attributes: r.values ?? {} });
      for (const c of m.child_modules ?? []) walk(c);
    };
    walk(values.root_module);
  }
  if (Array.isArray(d.StackResources)) {
    known = true;
    for (const r of d.StackResources as Record<string, unknown>[])
      if (typeof r.LogicalResourceId === 'string' && typeof r.PhysicalResourceId === 'string')
        ctx.stackResources.push({
          ...(typeof r.StackName === 'string' ? { stack: r.StackName } : {}),
          logicalId: r.LogicalResourceId,
          physicalId: r.PhysicalResourceId,
          type: String(r.ResourceType ?? ''),
        });
  }
  if (Array.isArray(d.Stacks)) {
    known = true;
    for (const s of d.Stacks as Record<string, unknown>[]) {
      const name = String(s.StackName ?? '');
      for (const p of (s.Parameters ?? []) as { ParameterKey?: string; ParameterValue?: string }[])
        if (p.ParameterKey && p.ParameterValue !== undefined)
          (ctx.stackParams[name] ??= {})[p.ParameterKey] = p.ParameterValue;
      for (const o of (s.Outputs ?? []) as { ExportName?: string; OutputValue?: string }[])
        if (o.ExportName && o.OutputValue !== undefined) ctx.imports[o.ExportName] = o.OutputValue;
    }
  }
  if (Array.isArray(d.Exports)) {
    known = true;
    for (const e of d.Exports as { Name?: string; Value?: string }[])
      if (e.Name && e.Value !== undefined) ctx.imports[e.Name] = e.Value;
  }
  return known;
}
