// Re-export: the triage grouping lives in src/triage/groups.ts (kept here for existing imports).

export * from '../triage/groups.js';
