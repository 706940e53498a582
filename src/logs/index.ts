// Public entry of the log readers: format detection, streaming readers, the triage scan, denial test and redaction.

export { readInputs, scanDenied, newStats } from './read.js';
export { readText } from './text.js';
export { isDenied } from './denied.js';
export { InputError } from './errors.js';
export { redactSecrets } from './redact.js';
export { parseAccessLogLine, tokenizeAccessLogLine, MONTHS } from './access-log.js';
