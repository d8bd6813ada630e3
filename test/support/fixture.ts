import { fileURLToPath } from 'node:url';

/** A small billing export in both formats (CSV and JSON Lines), also an example for src/billing/import/FORMAT.md. */
export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/billing/', import.meta.url));

/** «Today» for tests that depend on it: 22 November 2026, noon in Moscow. */
export const NOW = new Date('2026-11-22T09:00:00Z');

/** An operator serving both branches of the fixture: the actor of service tests that are about an account, not about who may see it. */
export const STAFF = { kind: 'operator', operatorId: 1, branchCodes: ['alpha', 'beta'] } as const satisfies import('../../src/billing/index.ts').OperatorActor;
