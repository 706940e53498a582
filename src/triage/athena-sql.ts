// Athena SQL text: CREATE TABLE statements with partition projection for AWS's documented log schemas, and the denied-requests queries.

import { UserError } from '../model/user-error.js';

/** Which logs a table holds. */
export type AthenaLogType = 'access-log' | 'cloudtrail';

/** Options of {@link athenaDdl}. */
export interface DdlOptions {
  type: AthenaLogType;
  /** `s3://bucket/prefix/`: for access logs the date-partitioned prefix up to the source bucket; for CloudTrail `.../AWSLogs/ACCOUNT/CloudTrail/REGION/`. */
  location: string;
  table?: string;
  database?: string;
  /** First projected day, `yyyy/MM/dd`. */
  since?: string;
}

/** Default table name per log type. */
export function defaultTable(type: AthenaLogType): string {
  return type === 'access-log' ? 's3_access_logs' : 'cloudtrail_logs';
}

/**
 * Checks a `--table`/`--database` name: Athena and Glue names are letters, digits and underscores only
 * (https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html), at most 255 characters.
 */
export function checkIdentifier(flag: '--table' | '--database', name: string): string {
  if (!/^[A-Za-z0-9_]{1,255}$/.test(name)) {
    const shown = JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);
    throw new UserError(
      `${flag} must be letters, digits and underscores only (an Athena/Glue name), got ${shown}`,
    );
  }
  return name;
}

/** An identifier in backticks (DDL) or double quotes (queries), so names starting with a digit or `_` parse. */
function qualified(
  table: string | undefined,
  database: string | undefined,
  type: AthenaLogType,
  quote: '`' | '"',
): string {
  const q = (s: string): string => `${quote}${s}${quote}`;
  const t = q(table !== undefined ? checkIdentifier('--table', table) : defaultTable(type));
  return database !== undefined ? `${q(checkIdentifier('--database', database))}.${t}` : t;
}

/** Checks an `s3://bucket/prefix` location and returns it ending in `/`. */
export function normaliseLocation(location: string): string {
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(location))
    throw new UserError(`--location must be an S3 URL like s3://my-log-bucket/prefix/, got "${location}"`);
  return location.endsWith('/') ? location : `${location}/`;
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * The S3 server access log table, columns and regular expression after the schema AWS documents
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-s3-access-logs-to-identify-requests.html),
 * with date partition projection over the date-based key format
 * `[prefix][SourceAccountId]/[SourceRegion]/[SourceBucket]/[YYYY]/[MM]/[DD]/`
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html#server-access-logging-overview,
 * https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html).
 */
function accessLogDdl(o: DdlOptions): string {
  const loc = normaliseLocation(o.location);
  const since = o.since ?? '2024/01/01';
  const regex =
    '([^ ]*) ([^ ]*) \\\\[(.*?)\\\\] ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) (\\"[^\\"]*\\"|-) (-|[0-9]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) (\\"[^\\"]*\\"|-) ([^ ]*)(?: ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*))?.*$';
  return `-- S3 server access logs (schema: https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-s3-access-logs-to-identify-requests.html)
-- Partition projection (https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html) over date-based
-- log object keys: LOCATION is the prefix up to [SourceAccountId]/[SourceRegion]/[SourceBucket]/.
CREATE EXTERNAL TABLE IF NOT EXISTS ${qualified(o.table, o.database, 'access-log', '`')} (
  bucketowner STRING,
  bucket_name STRING,
  requestdatetime STRING,
  remoteip STRING,
  requester STRING,
  requestid STRING,
  operation STRING,
  key STRING,
  request_uri STRING,
  httpstatus STRING,
  errorcode STRING,
  bytessent BIGINT,
  objectsize BIGINT,
  totaltime STRING,
  turnaroundtime STRING,
  referrer STRING,
  useragent STRING,
  versionid STRING,
  hostid STRING,
  sigv STRING,
  ciphersuite STRING,
  authtype STRING,
  endpoint STRING,
  tlsversion STRING,
  accesspointarn STRING,
  aclrequired STRING
)
PARTITIONED BY (\`timestamp\` STRING)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
WITH SERDEPROPERTIES (
  'input.regex' = '${regex}'
)
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION ${sqlString(loc)}
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.timestamp.type' = 'date',
  'projection.timestamp.format' = 'yyyy/MM/dd',
  'projection.timestamp.interval' = '1',
  'projection.timestamp.interval.unit' = 'DAYS',
  'projection.timestamp.range' = ${sqlString(`${since},NOW`)},
  'storage.location.template' = ${sqlString(`${loc}\${timestamp}`)}
);
`;
}

/**
 * The CloudTrail table after AWS's partition-projection example
 * (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html).
 */
function cloudTrailDdl(o: DdlOptions): string {
  const loc = normaliseLocation(o.location);
  const since = o.since ?? '2024/01/01';
  return `-- CloudTrail logs (schema and projection: https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html)
-- LOCATION is s3://BUCKET/[prefix/]AWSLogs/ACCOUNT-ID/CloudTrail/REGION/ (one table per account and Region).
CREATE EXTERNAL TABLE IF NOT EXISTS ${qualified(o.table, o.database, 'cloudtrail', '`')} (
  eventversion STRING,
  useridentity STRUCT<
    type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING,
    accesskeyid: STRING, username: STRING,
    onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>,
    sessioncontext: STRUCT<
      attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
      sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
      ec2roledelivery: STRING,
      webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING, STRING>>,
      sourceidentity: STRING>>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  sourceipaddress STRING,
  useragent STRING,
  errorcode STRING,
  errormessage STRING,
  requestparameters STRING,
  responseelements STRING,
  additionaleventdata STRING,
  requestid STRING,
  eventid STRING,
  readonly STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
  eventtype STRING,
  apiversion STRING,
  recipientaccountid STRING,
  serviceeventdetails STRING,
  sharedeventid STRING,
  vpcendpointid STRING,
  vpcendpointaccountid STRING,
  eventcategory STRING,
  addendum STRUCT<reason: STRING, updatedfields: STRING, originalrequestid: STRING, originaleventid: STRING>,
  sessioncredentialfromconsole STRING,
  edgedevicedetails STRING,
  tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>
)
PARTITIONED BY (\`timestamp\` STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION ${sqlString(loc)}
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.timestamp.type' = 'date',
  'projection.timestamp.format' = 'yyyy/MM/dd',
  'projection.timestamp.interval' = '1',
  'projection.timestamp.interval.unit' = 'DAYS',
  'projection.timestamp.range' = ${sqlString(`${since},NOW`)},
  'storage.location.template' = ${sqlString(`${loc}\${timestamp}`)}
);
`;
}

/** The CREATE TABLE statement for a log type. */
export function athenaDdl(o: DdlOptions): string {
  return o.type === 'access-log' ? accessLogDdl(o) : cloudTrailDdl(o);
}

/** Options of {@link athenaQuery}. */
export interface QueryOptions {
  type: AthenaLogType;
  /** `7d`, `24h`, or a date `yyyy-mm-dd`. */
  since: string;
  buckets?: string[];
  table?: string;
  database?: string;
  /** One row per group with `denials`, `first_seen`, `last_seen` (what `athena run` reads). */
  grouped?: boolean;
  limit?: number;
  /** Reference time for relative `since` (tests). */
  now?: Date;
}

/** The first day a `--since` value covers (UTC). */
export function sinceDate(since: string, now = new Date()): Date {
  const m = /^(\d+)\s*([dhw])$/i.exec(since.trim());
  if (m) {
    const n = Number(m[1]);
    const unit = m[2]!.toLowerCase();
    const hours = unit === 'h' ? n : unit === 'd' ? n * 24 : n * 24 * 7;
    return new Date(now.getTime() - hours * 3600_000);
  }
  const d = /^\d{4}-\d{2}-\d{2}$/.test(since.trim()) ? new Date(`${since.trim()}T00:00:00Z`) : new Date(NaN);
  if (Number.isNaN(d.getTime()))
    throw new UserError(`--since must look like 7d, 24h, 2w or 2026-11-01, got "${since}"`);
  return d;
}

function ymd(d: Date, sep: string): string {
  return d.toISOString().slice(0, 10).replace(/-/g, sep);
}

/** Error codes that mean refused (the same family the log readers treat as denied). */
const DENIAL_CODES_SQL = [
  'AccessDenied',
  'AllAccessDisabled',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'RequestTimeTooSkewed',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'AccountProblem',
  'AccessControlListNotSupported',
  'InvalidObjectState',
  'VpceAccessDenied',
];

/**
 * The SQL that finds denied requests since a time, with the columns the log readers (and so
 * `triage`) understand in an Athena result CSV; `grouped` folds them into one row per group.
 */
export function athenaQuery(o: QueryOptions): string {
  const from = sinceDate(o.since, o.now);
  const table = qualified(o.table, o.database, o.type, '"');
  const codes = DENIAL_CODES_SQL.map(sqlString).join(', ');
  const limit = o.limit ? `\nLIMIT ${o.limit}` : '';
  const bucketsSql = (col: string): string =>
    o.buckets?.length ? `\n  AND ${col} IN (${o.buckets.map(sqlString).join(', ')})` : '';
  if (o.type === 'access-log') {
    const where = `WHERE "timestamp" >= ${sqlString(ymd(from, '/'))}
  AND parse_datetime(requestdatetime, 'dd/MMM/yyyy:HH:mm:ss Z') >= from_iso8601_timestamp(${sqlString(from.toISOString())})
  AND (httpstatus = '403' OR errorcode IN (${codes}))${bucketsSql('bucket_name')}`;
    if (!o.grouped) {
      return `-- Denied requests from S3 server access logs since ${from.toISOString()} (read the result CSV with: s3doctor triage RESULT.csv)
SELECT bucketowner, bucket_name, requestdatetime, remoteip, requester, requestid, operation, key, request_uri,
  httpstatus, errorcode, bytessent, objectsize, totaltime, turnaroundtime, referrer, useragent, versionid, hostid,
  sigv, ciphersuite, authtype, endpoint, tlsversion, accesspointarn, aclrequired
FROM ${table}
${where}
ORDER BY parse_datetime(requestdatetime, 'dd/MMM/yyyy:HH:mm:ss Z')${limit};
`;
    }
    const sample = (cols: string[]): string => cols.map((c) => `min_by(${c}, t) AS ${c}`).join(', ');
    return `-- Denied requests from S3 server access logs since ${from.toISOString()}, one row per group
-- (requester, operation, bucket, first key segment, error code): the group's earliest request as its
-- sample (min_by keeps every sample column from that one row) and the counts.
WITH denied AS (
  SELECT *, parse_datetime(requestdatetime, 'dd/MMM/yyyy:HH:mm:ss Z') AS t
  FROM ${table}
  ${where.replace(/\n/g, '\n  ')}
)
SELECT ${sample(['bucketowner', 'requestdatetime', 'remoteip', 'requestid', 'key', 'request_uri', 'httpstatus'])},
  bucket_name, requester, operation, errorcode,
  ${sample(['useragent', 'versionid', 'sigv', 'ciphersuite', 'authtype', 'endpoint', 'tlsversion', 'accesspointarn', 'aclrequired'])},
  count(*) AS denials, to_iso8601(min(t)) AS first_seen, to_iso8601(max(t)) AS last_seen
FROM denied
GROUP BY requester, operation, bucket_name, split_part(key, '/', 1), errorcode
ORDER BY denials DESC${limit};
`;
  }
  const where = `WHERE "timestamp" >= ${sqlString(ymd(from, '/'))}
  AND from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp(${sqlString(from.toISOString())})
  AND eventsource IN ('s3.amazonaws.com', 's3express.amazonaws.com')
  AND (errorcode IN (${codes}) OR errorcode LIKE '%AccessDenied%')${bucketsSql("json_extract_scalar(requestparameters, '$.bucketName')")}`;
  if (!o.grouped) {
    return `-- Denied S3 requests from CloudTrail since ${from.toISOString()} (read the result CSV with: s3doctor triage RESULT.csv)
SELECT eventversion, useridentity, eventtime, eventsource, eventname, awsregion, sourceipaddress, useragent,
  errorcode, errormessage, requestparameters, additionaleventdata, requestid, eventid, resources, eventtype,
  recipientaccountid, vpcendpointid, eventcategory, tlsdetails
FROM ${table}
${where}
ORDER BY eventtime${limit};
`;
  }
  const sample = (cols: string[]): string => cols.map((c) => `min_by(${c}, eventtime) AS ${c}`).join(', ');
  return `-- Denied S3 requests from CloudTrail since ${from.toISOString()}, one row per group
-- (caller, API, bucket, first key segment, error code): the group's earliest event as its sample
-- (min_by keeps every sample column from that one event) and the counts.
SELECT ${sample(['eventversion', 'useridentity', 'eventtime', 'awsregion', 'sourceipaddress', 'useragent', 'errormessage'])},
  eventsource, eventname, errorcode,
  ${sample(['requestparameters', 'additionaleventdata', 'eventid', 'resources', 'eventtype', 'recipientaccountid', 'vpcendpointid', 'tlsdetails'])},
  count(*) AS denials, min(eventtime) AS first_seen, max(eventtime) AS last_seen
FROM ${table}
${where}
GROUP BY useridentity.arn, eventsource, eventname, json_extract_scalar(requestparameters, '$.bucketName'),
  split_part(json_extract_scalar(requestparameters, '$.key'), '/', 1), errorcode
ORDER BY denials DESC${limit};
`;
}
