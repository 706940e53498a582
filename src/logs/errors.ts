// The error readInputs throws when no input at all could be read, with a message that names the fix.

import { UserError } from '../model/user-error.js';

/** The input formats s3doctor reads, for messages. */
export const ACCEPTED_FORMATS =
  'S3 server access log lines, CloudTrail (a single event, a {"Records": [...]} file, `aws cloudtrail lookup-events` output, ' +
  'the console event-history JSON or CSV export, CloudTrail Lake / Athena CSV results), CloudWatch Logs filter-log-events or ' +
  'Logs Insights get-query-results output of a CloudTrail log group, Athena CSV results over S3 access logs, ' +
  'or text holding an AWS error message (AWS CLI, SDK for JavaScript/Java/Go/.NET/boto3, the S3 XML error body, ' +
  'with the CI log, S3A trace, aws s3 command line or get-caller-identity output around it); ' +
  'files may be gzipped, folders are read recursively, `-` reads stdin';

/**
 * Thrown (once, at the end of a read, or up front for a missing path) when nothing at all could be
 * read from any input: every input was missing, empty, binary, unrecognised or fully malformed.
 * `.message` says what was found and which formats are accepted; the CLI exits 2 with it.
 */
export class InputError extends UserError {
  /** One line per input saying what was wrong with it. */
  declare readonly problems: string[];
  constructor(message: string, problems: string[] = []) {
    super(message, { problems });
  }
}
