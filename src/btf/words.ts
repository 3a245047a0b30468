/**
 * The words of the format, each in one place: INT encoding flags, linkage,
 * C qualifier keywords, enum signedness and the name of anonymous types.
 * Decoder, encoder, dumps, canonical text and findings all spell them
 * from here; where their outputs differ (bpftool prints only what it
 * knows), the difference is the caller's rule, not a second table.
 */
import type { BtfRef, BtfType, IntEncoding, Linkage } from './types.js';

/** INT encoding flags in bit order (BTF_INT_SIGNED 1, BTF_INT_CHAR 2, BTF_INT_BOOL 4), with their words. */
const INT_FLAGS: readonly (readonly [flag: keyof IntEncoding, bit: number, word: string])[] = [
  ['signed', 1, 'SIGNED'],
  ['char', 2, 'CHAR'],
  ['bool', 4, 'BOOL'],
];

/** The bits the INT encoding flags occupy; anything else set is unknown to the format. */
export const INT_ENCODING_MASK = 7;

/** The flags of encoding bits. */
export function intEncodingOf(bits: number): IntEncoding {
  const [signed, char, bool] = INT_FLAGS;
  return { signed: (bits & signed[1]) !== 0, char: (bits & char[1]) !== 0, bool: (bits & bool[1]) !== 0 };
}

/** `SIGNED`, `SIGNED|CHAR`, ... in bit order; `(none)` when no flag is set. */
export function intEncodingWords(e: IntEncoding): string {
  let out = '';
  for (const [flag, , word] of INT_FLAGS) if (e[flag]) out = out === '' ? word : `${out}|${word}`;
  return out === '' ? '(none)' : out;
}

/** Linkage words by code (FUNC's vlen, VAR's linkage word). */
const LINKAGES = ['static', 'global', 'extern'] as const;

/** The linkage of a code: its word, or the code itself when the format gives it none. */
export function linkageOf(code: number): Linkage {
  return code < LINKAGES.length ? LINKAGES[code] : code;
}

/** The code of a linkage. */
export function linkageCode(l: Linkage): number {
  return typeof l === 'number' ? l : LINKAGES.indexOf(l);
}

/** A linkage's word; a code without one as `unknown` spells it (default `linkage(N)`). */
export function linkageText(l: Linkage, unknown: (code: number) => string = (code) => `linkage(${code})`): string {
  return typeof l === 'number' ? unknown(l) : l;
}

/** The C keyword of each qualifier kind. */
export const QUALIFIER_WORDS = { CONST: 'const', VOLATILE: 'volatile', RESTRICT: 'restrict' } as const;

export type QualifierKind = keyof typeof QUALIFIER_WORDS;
export type QualifierWord = (typeof QUALIFIER_WORDS)[QualifierKind];

/** Whether `t` is CONST, VOLATILE or RESTRICT. */
export function isQualifier(t: BtfType): t is BtfRef & { readonly kind: QualifierKind } {
  return Object.hasOwn(QUALIFIER_WORDS, t.kind);
}

/** How bpftool and the canonical text call an enum's signedness (kind_flag). */
export function enumSignWord(signed: boolean): 'SIGNED' | 'UNSIGNED' {
  return signed ? 'SIGNED' : 'UNSIGNED';
}

/** A name as bpftool shows it: the empty name is `(anon)`. */
export function shownName(name: string): string {
  return name === '' ? '(anon)' : name;
}

/**
 * How C writes a TYPE_TAG or DECL_TAG: with kind_flag set (pahole >= 1.30
 * `attributes`) the tag's name is an attribute's text, `__attribute__((NAME))`;
 * otherwise `plain` writes the btf_type_tag/btf_decl_tag it is. Outputs
 * spell the plain form their own way (the caller's `plain`); the attribute
 * form is this one.
 */
export function tagWords(name: string, kindFlag: boolean | undefined, plain: (name: string) => string): string {
  return kindFlag ? `__attribute__((${name}))` : plain(name);
}
