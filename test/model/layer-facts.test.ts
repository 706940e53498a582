// LayerResult.facts has a type per layer: narrowing on `layer` gives that layer's facts (checked by
// tsc -p tsconfig.test.json), and the facts the engine records read back through those types.

import { describe, expect, expectTypeOf, it } from 'vitest';
import { evaluateRequest, parseSimulateRequest } from '../../src/authz/index.js';
import type {
  BlockPublicAccessFacts,
  LayerFacts,
  LayerResult,
  RequesterPaysFacts,
  Tri,
} from '../../src/model/evaluation.js';
import { evidenceOf } from '../rules/case-kit.js';

describe('typed layer facts', () => {
  it('narrowing a LayerResult on its layer gives that layer facts type', () => {
    expectTypeOf<Extract<LayerResult, { layer: 'block-public-access' }>['facts']>().toEqualTypeOf<
      BlockPublicAccessFacts | undefined
    >();
    expectTypeOf<LayerFacts<'requester-pays'>>().toEqualTypeOf<RequesterPaysFacts>();
    expectTypeOf<LayerFacts<'bucket-policy'>['crossAccount']>().toEqualTypeOf<Tri | undefined>();
    expectTypeOf<LayerFacts<'resource-policy'>['crossAccount']>().toEqualTypeOf<Tri | undefined>();
  });

  // Requester Pays: a caller from another account must acknowledge the charge.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/RequesterPaysBuckets.html
  it('the requester-pays step records its facts under the typed keys', () => {
    const evidence = evidenceOf({
      principals: {
        'arn:aws:iam::444455556666:role/partner': {
          policies: [
            {
              name: 'p0',
              kind: 'inline',
              document: {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::rp-bucket/*' },
                ],
              },
            },
          ],
          permissionsBoundary: null,
        },
      },
      buckets: { 'rp-bucket': { accountId: '111122223333', region: 'us-east-1', requestPayer: 'Requester' } },
    })!;
    const req = parseSimulateRequest({
      principal: 'arn:aws:iam::444455556666:role/partner',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::rp-bucket/a.csv',
      s3: { requestPayerSent: false },
    });
    const layer = evaluateRequest(req, evidence)
      .authorizations.flatMap((a) => a.layers)
      .find((l) => l.layer === 'requester-pays');
    expect(layer?.layer).toBe('requester-pays');
    if (layer?.layer !== 'requester-pays') return;
    const facts: RequesterPaysFacts | undefined = layer.facts;
    expect(facts).toMatchObject({ check: 'requester-pays', requestPayer: 'Requester', crossAccount: 'true' });
    expect(layer.outcome).toBe('block');
  });
});
