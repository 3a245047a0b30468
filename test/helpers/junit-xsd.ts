/**
 * Validate a junit document against the Jenkins JUnit schema
 * (test/fixtures/junit/junit-10.xsd, source in its header) with libxml2's
 * xmllint (Debian libxml2-utils, installed by scripts/setup). Returns
 * xmllint's complaints, '' when the document validates.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const JUNIT_XSD = resolve(import.meta.dirname, '..', 'fixtures', 'junit', 'junit-10.xsd');

export function junitSchemaProblems(xml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'btfparity-junit-'));
  const file = join(dir, 'report.xml');
  try {
    writeFileSync(file, xml);
    execFileSync('xmllint', ['--noout', '--schema', JUNIT_XSD, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    return '';
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    return err.stderr?.toString() || err.message;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
