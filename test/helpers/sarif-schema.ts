/**
 * The official SARIF 2.1.0 schema (sarif-2.1.0-rtm.5.json, as shipped by
 * the devDependency @microsoft/jest-sarif in lib/schemas/) as an Ajv
 * validator.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

export const SARIF_SCHEMA_FILE = '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';

/** The official schema is draft-04 (`id`, `$schema` draft-04); Ajv 8 speaks draft-07, which reads it the same once `id` is `$id`. */
export function sarifValidator(): ValidateFunction {
  const pkg = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/package.json');
  const raw = JSON.parse(readFileSync(join(dirname(pkg), 'lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  delete raw.$schema;
  raw.$id = raw.id;
  delete raw.id;
  // unicodeRegExp off: the schema's language pattern has a stray `]` that is an error only under the `u` flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s));
  ajv.addFormat('uri-reference', (s: string) => !/[\s<>"{}|\\^`]/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(raw);
}
