/** TEMPORARY until src/findings/diff.ts lands: no findings. */
import type { Btf } from '../btf/types.js';
import type { Finding } from '../findings/finding.js';
export function diffBtf(_left: Btf, _right: Btf, _options?: unknown): Finding[] {
  return [];
}
