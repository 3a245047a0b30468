/**
 * Between the diff and classification: each finding gets the DWARF verdict
 * when the same compile's DWARF settles it; a normalisation the DWARF
 * contradicts (a `flattened-array` whose nested side reverses the
 * dimensions) is revoked, so the finding is an `array` difference and not
 * `equivalent`; each side's own defects (`rejected`, `self-inconsistent`)
 * are added. Pure.
 */
import type { Btf } from '../btf/types.js';
import { typeById } from '../btf/types.js';
import { renderCType } from '../canonical/render.js';
import type { Departs, Finding, Side } from '../findings/finding.js';
import { pushAll } from '../lang.js';
import type { LintResult } from '../lint/types.js';
import type { DwarfFacts } from './dwarf-facts.js';
import { arrayAgrees, dimsQuote, dwarfVerdict, type Witness } from './dwarf-verdict.js';
import { lengthFinding, type ObjectFacts, rejectedFindings, selfFindings } from './own-defects.js';

export interface JudgeInput extends Witness, ObjectFacts {
  /** Each side's BTF blob bytes, exactly as the kernel would be handed them (linted); absent: not linted. */
  readonly bytes?: { readonly left?: Uint8Array; readonly right?: Uint8Array };
  /** The verifier's result for a side's `bytes`, when the caller ran it already (own-defects.ts, rejectedFindings). */
  readonly verified?: { readonly left?: LintResult; readonly right?: LintResult };
  /** Which sides to check against the object (a side whose BTF was not made from this object is not). */
  readonly ownObject?: readonly Side[];
  /** Sides whose BTF is a relocatable object's `.BTF` section: it reaches the kernel through libbpf's load-time fix-ups. */
  readonly objectBtf?: readonly Side[];
}

export function judgeFindings(findings: readonly Finding[], btf: { readonly left: Btf; readonly right: Btf }, input: JudgeInput): Finding[] {
  const out: Finding[] = findings.map((f) => {
    const v = dwarfVerdict(f, input);
    if (!v) return f;
    if (f.normalisation !== undefined && v.departs !== 'neither') {
      // "Means the same" does not hold when one side departs from the DWARF.
      const { normalisation: _revoked, ...rest } = f;
      return { ...rest, verdict: v };
    }
    return { ...f, verdict: v };
  });
  if (input.dwarf) pushAll(out, arrayVariables(out, btf, input.dwarf));
  for (const side of ['left', 'right'] as const) {
    const bytes = input.bytes?.[side];
    if (bytes) {
      const bad = lengthFinding(side, bytes);
      if (bad) out.push(bad);
      pushAll(out, rejectedFindings(side, bytes, btf[side], input.objectBtf?.includes(side) ? (input.sections ?? []) : undefined, input.verified?.[side]));
    }
    if (input.ownObject?.includes(side)) pushAll(out, selfFindings(side, btf[side], input));
  }
  return out;
}

/**
 * Variables whose array type one side nests differently from the DWARF,
 * where no finding shows it (pahole 1.24 writes no VAR but per-CPU ones, so
 * the variable is only on one side and its shape is never compared): an
 * `array` finding at the variable, with the verdict.
 */
function arrayVariables(findings: readonly Finding[], btf: { readonly left: Btf; readonly right: Btf }, facts: DwarfFacts): Finding[] {
  const out: Finding[] = [];
  const text = (side: Side, name: string): { text: string; id: number } | undefined => {
    const v = btf[side].types.find((t) => t.kind === 'VAR' && t.name === name);
    return v && v.kind === 'VAR' && typeById(btf[side], v.type) !== undefined ? { text: renderCType(btf[side], v.type), id: v.id } : undefined;
  };
  for (const [name, o] of Object.entries(facts.vars)) {
    if (!o.dims || o.dims.counts.length < 2) continue;
    const entity = `var ${name}`;
    if (findings.some((f) => f.entity === entity && f.category === 'array' && f.verdict && f.verdict.departs !== 'neither')) continue;
    const l = text('left', name);
    const r = text('right', name);
    if (!l && !r) continue;
    const candidate: Finding = {
      entity,
      path: '',
      category: 'array',
      left: l?.text ?? 'absent',
      right: r?.text ?? 'absent',
      ...(l ? { leftId: l.id } : {}),
      ...(r ? { rightId: r.id } : {}),
    };
    const dims = o.dims;
    const bad = (x: { text: string } | undefined): boolean => x !== undefined && arrayAgrees(x.text, dims) === false;
    const departs: Departs | undefined = bad(l) && bad(r) ? 'both' : bad(l) ? 'left' : bad(r) ? 'right' : undefined;
    if (departs) out.push({ ...candidate, verdict: { departs, dwarf: `DW_TAG_variable ${name}: ${dimsQuote(dims)}` } });
  }
  return out;
}
