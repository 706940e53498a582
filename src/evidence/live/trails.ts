// CloudTrail evidence for logging readiness: the trails (DescribeTrails, GetEventSelectors, GetTrailStatus) and
// event data stores (ListEventDataStores, GetEventDataStore) visible in the region, and the data events they record.
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html ,
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html ,
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html ,
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListEventDataStores.html ,
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventDataStore.html

import type * as CT from '@aws-sdk/client-cloudtrail';
import type { TrailEvidence } from '../../model/evidence.js';
import type { LiveContext } from './context.js';
import { MissingPackageError } from './optional-package.js';

type Selectors = NonNullable<TrailEvidence['advancedEventSelectors']>;
type Basic = NonNullable<TrailEvidence['eventSelectors']>;

function advanced(x: CT.AdvancedEventSelector[] | undefined): Selectors | undefined {
  if (!x?.length) return undefined;
  return x.map((s) => ({
    ...(s.Name ? { Name: s.Name } : {}),
    FieldSelectors: (s.FieldSelectors ?? []).map((f) => ({
      Field: f.Field ?? '',
      ...(f.Equals ? { Equals: f.Equals } : {}),
      ...(f.StartsWith ? { StartsWith: f.StartsWith } : {}),
      ...(f.NotEquals ? { NotEquals: f.NotEquals } : {}),
      ...(f.NotStartsWith ? { NotStartsWith: f.NotStartsWith } : {}),
      ...(f.EndsWith ? { EndsWith: f.EndsWith } : {}),
      ...(f.NotEndsWith ? { NotEndsWith: f.NotEndsWith } : {}),
    })),
  }));
}

function basic(x: CT.EventSelector[] | undefined): Basic | undefined {
  if (!x?.length) return undefined;
  return x.map((s) => ({
    ...(s.ReadWriteType ? { ReadWriteType: s.ReadWriteType } : {}),
    ...(s.DataResources
      ? {
          DataResources: s.DataResources.map((d) => ({
            Type: d.Type ?? '',
            ...(d.Values ? { Values: d.Values } : {}),
          })),
        }
      : {}),
  }));
}

/**
 * Fills `evidence.trails` with every trail (multi-Region trails of other Regions included) and event data store
 * the caller sees in the default region. When any list or a trail's selectors cannot be read, `trails` stays
 * absent (unknown) and the failure is noted: a partial list could hide the trail that records the bucket.
 */
export function collectTrails(ctx: LiveContext): Promise<void> {
  return ctx.once('trails', async () => {
    let ct: typeof CT;
    try {
      ct = await ctx.module<typeof CT>('cloudtrail');
    } catch (err) {
      // @aws-sdk/client-cloudtrail is optional: without it the trails stay unknown, with a note.
      if (!(err instanceof MissingPackageError)) throw err;
      return ctx.note('trails', `not collected: ${err.message}`);
    }
    const send = <O>(command: object, label: string, region?: string) =>
      ctx.send<O>({
        service: 'cloudtrail',
        account: undefined,
        ...(region ? { region } : {}),
        command,
        label,
      });
    const out: Record<string, TrailEvidence> = {};
    const list = await send<CT.DescribeTrailsCommandOutput>(
      new ct.DescribeTrailsCommand({ includeShadowTrails: true }),
      'CloudTrail trails',
    );
    if (!list.ok) return ctx.noteFailure('trails', list);
    const trails = list.value.trailList ?? [];
    const read = await Promise.all(
      trails.map(async (t) => {
        const arn = t.TrailARN ?? t.Name ?? '';
        const home = t.HomeRegion;
        const [sel, status] = await Promise.all([
          send<CT.GetEventSelectorsCommandOutput>(
            new ct.GetEventSelectorsCommand({ TrailName: arn }),
            `trail ${t.Name ?? arn}`,
            home,
          ),
          send<CT.GetTrailStatusCommandOutput>(
            new ct.GetTrailStatusCommand({ Name: arn }),
            `trail ${t.Name ?? arn}`,
            home,
          ),
        ]);
        if (!sel.ok) {
          ctx.noteFailure(`trails.${arn}.eventSelectors`, sel);
          return false;
        }
        const es = basic(sel.value.EventSelectors);
        const aes = advanced(sel.value.AdvancedEventSelectors);
        out[arn] = {
          kind: 'trail',
          name: t.Name ?? arn,
          ...(home ? { homeRegion: home } : {}),
          ...(t.IsMultiRegionTrail !== undefined ? { isMultiRegion: t.IsMultiRegionTrail } : {}),
          ...(status.ok && status.value.IsLogging !== undefined ? { isLogging: status.value.IsLogging } : {}),
          ...(es ? { eventSelectors: es } : {}),
          ...(aes ? { advancedEventSelectors: aes } : {}),
        };
        if (!status.ok) ctx.noteFailure(`trails.${arn}.isLogging`, status);
        return true;
      }),
    );
    const stores: CT.EventDataStore[] = [];
    let token: string | undefined;
    do {
      const page = await send<CT.ListEventDataStoresCommandOutput>(
        new ct.ListEventDataStoresCommand(token ? { NextToken: token } : {}),
        'CloudTrail Lake event data stores',
      );
      if (!page.ok) return ctx.noteFailure('trails', page);
      stores.push(...(page.value.EventDataStores ?? []));
      token = page.value.NextToken;
    } while (token);
    const edsRead = await Promise.all(
      stores.map(async (s) => {
        const arn = s.EventDataStoreArn ?? s.Name ?? '';
        const r = await send<CT.GetEventDataStoreCommandOutput>(
          new ct.GetEventDataStoreCommand({ EventDataStore: arn }),
          `event data store ${s.Name ?? arn}`,
        );
        if (!r.ok) {
          ctx.noteFailure(`trails.${arn}`, r);
          return false;
        }
        const aes = advanced(r.value.AdvancedEventSelectors);
        out[arn] = {
          kind: 'event-data-store',
          name: r.value.Name ?? s.Name ?? arn,
          ...(r.value.MultiRegionEnabled !== undefined ? { isMultiRegion: r.value.MultiRegionEnabled } : {}),
          ...(r.value.Status ? { isLogging: r.value.Status === 'ENABLED' } : {}),
          ...(aes ? { advancedEventSelectors: aes } : {}),
        };
        return true;
      }),
    );
    if (read.every(Boolean) && edsRead.every(Boolean)) ctx.evidence.trails = out;
  });
}
