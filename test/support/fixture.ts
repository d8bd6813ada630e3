import { fileURLToPath } from 'node:url';

/** A small billing export in both formats (CSV and JSON Lines), also an example for docs/import-format.md. */
export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/billing/', import.meta.url));

/** «Today» for tests that depend on it: 22 November 2026, noon in Moscow. */
export const NOW = new Date('2026-11-22T09:00:00Z');
