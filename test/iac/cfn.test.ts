// --iac on CloudFormation YAML: the fix lands in the role / a new bucket policy, parses back and re-evaluates as allowed.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnoseIac, exampleFiles, FIXTURES, fixesOf, keepsOldLines, roundTrip } from './helpers.js';

describe('CloudFormation YAML (missing-identity-allow)', () => {
  it('adds the inline policy to the role and a bucket policy resource, both verified by round trip', async () => {
    const { input, snapshot } = await exampleFiles('missing-identity-allow');
    const dir = join(FIXTURES, 'cfn-yaml');
    const { results, evidence, records } = await diagnoseIac(input, snapshot, dir);
    const fixes = fixesOf(results[0]!).filter((f) => f.fix.iac);
    expect(fixes.map((f) => f.fix.patch!.target.type)).toEqual(['identity-policy', 'bucket-policy']);
    const [role, bucket] = fixes.map((f) => f.fix);
    const rp = role!.iac!.patches[0]!;
    expect(rp).toMatchObject({
      file: 'template.yaml',
      line: 30,
      address: 'Resources.ReportsRole',
      verified: true,
      confirmed: true,
      tool: 'cloudformation',
    });
    expect(rp.blastRadius?.newlyAllowed).toEqual([]);
    expect(rp.diff).toContain('+        - PolicyName: s3doctor-reports-bucket');
    expect(rp.diff).toContain("+            Version: '2012-10-17'");
    const bp = bucket!.iac!.patches[0]!;
    expect(bp).toMatchObject({ file: 'template.yaml', address: 'Resources.ReportsBucket', verified: true });
    expect(bp.diff).toContain('+      Bucket: !Ref ReportsBucket');
    for (const f of [role!, bucket!]) {
      const p = f.iac!.patches[0]!;
      const rt = await roundTrip(dir, p, f, records[0]!, evidence, '111122223333', 'us-east-1');
      expect(rt.allowed).toBe(true);
      expect(keepsOldLines(rt.oldText, rt.newText)).toBe(true);
      // Comments, anchors and short-form tags outside the edit stay as they were.
      expect(rt.newText).toContain('- Sid: ListReports   # keep this comment');
      expect(rt.newText).toContain('Tags: &tags');
    }
  });
});
