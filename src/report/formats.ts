/**
 * The report formats, in `--help` order, and what the text and email
 * formats may be asked to list (`--only`). Data and one parser only: the
 * CLI registers its options with these at start-up without loading a
 * renderer.
 */
import { InputError } from '../errors.js';
import { STATUSES, type Status } from '../findings/finding.js';

export const REPORT_FORMATS = ['text', 'json', 'markdown', 'junit', 'sarif', 'email'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The formats of `btfparity matrix` (report/matrix-render.ts). */
export const MATRIX_FORMATS = ['markdown', 'json', 'html'] as const;
export type MatrixFormat = (typeof MATRIX_FORMATS)[number];

/** The order the text and email formats list statuses in: what needs a look first. */
export const LISTED_ORDER: readonly Status[] = ['unexplained', 'known', 'equivalent'];

/** `--only unexplained,known`: the statuses to list, in LISTED_ORDER; an unknown one is exit 2. */
export function parseOnly(text: string): Status[] {
  const want = text.split(',').map((s) => s.trim());
  for (const s of want) {
    if (!(STATUSES as readonly string[]).includes(s))
      throw new InputError(`unknown status '${s}' (expected ${LISTED_ORDER.join(', ')}, comma-separated)`, { option: '--only' });
  }
  return LISTED_ORDER.filter((s) => want.includes(s));
}
