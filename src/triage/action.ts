// Names a denied record's IAM action for grouping, through the operation table (version actions for versioned reads).

import type { LogRecord } from '../model/index.js';
import { lookupOperation } from '../s3/index.js';

/** The first IAM action the record's operation needs, else the enhanced message's action, else the raw operation name. */
export function actionOfRecord(r: LogRecord): string {
  const op = lookupOperation({
    ...(r.logOperation ? { logOperation: r.logOperation } : {}),
    ...(r.apiName ? { apiName: r.apiName } : {}),
    ...(r.httpMethod ? { method: r.httpMethod } : {}),
    ...(r.query ? { query: r.query } : {}),
    hasKey: r.key !== undefined,
    ...(r.enhanced?.action ? { iamAction: r.enhanced.action } : {}),
  });
  const actions = r.versionId && op?.versionActions?.length ? op.versionActions : op?.actions;
  return (
    actions?.[0] ?? r.enhanced?.action ?? (r.apiName ? `s3:${r.apiName}` : (r.logOperation ?? 'unknown'))
  );
}
