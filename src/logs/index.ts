// Public entry of the log readers: format detection, streaming readers, the triage scan, denial test and redaction.

export { readInputs, scanDenied, newStats } from './read.js';
export type { ReadOptions } from './read.js';
export { readText } from './text.js';
export { isDenied } from './denied.js';
export { InputError, ACCEPTED_FORMATS } from './errors.js';
export { redactSecrets, redactUri, maskAccessKeyId } from './redact.js';
export { parseAccessLogLine, tokenizeAccessLogLine, MONTHS } from './access-log.js';
export { parseErrorText } from './error-text.js';
export { parseEnhancedMessage } from './enhanced.js';
export { cloudTrailEventToRecord } from './cloudtrail.js';
export { isDenialCode, DENIAL_CODES } from './codes.js';
