/**
 * vitest globalSetup (both projects): build dist/ once before any test
 * file runs, so tests that start the CLI as a subprocess find it current
 * (scripts/test builds first anyway; this covers a bare `npx vitest run`).
 */
import { ensureBuilt } from './cli.js';

export function setup(): void {
  ensureBuilt();
}
