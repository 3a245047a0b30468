/**
 * What the linker did with the objects' `.BTF` sections. A BTF-unaware
 * linker concatenates them byte for byte, in link order (GNU ld 2.40 and
 * 2.47.50 do, test/binary-linker.test.ts); a linker that deduplicates BTF
 * leaves one blob that is not that concatenation, and that blob is the
 * third side of a whole binary (`linker`), compared with pahole's.
 * Anything else (several blobs, but not the inputs' bytes in order) is
 * reported as it is and not compared. Pure.
 */
import { assertNever } from '../lang.js';

export type LinkerBtf =
  /** Byte concatenation of the inputs' sections: a BTF archive of `blobs` blobs. */
  | { readonly kind: 'concatenation'; readonly blobs: number }
  /** One blob that is not the concatenation: the linker deduplicated (or re-encoded) the BTF. */
  | { readonly kind: 'single-blob' }
  /** Several blobs that are not the inputs in order. */
  | { readonly kind: 'rearranged'; readonly blobs: number };

/**
 * Checks the linked section against the inputs' sections one input at a
 * time, so that no input needs to be held once it has been compared.
 */
export class ConcatenationCheck {
  private offset = 0;
  private matches = true;

  constructor(private readonly linked: Uint8Array) {}

  /** The next input's `.BTF` section bytes (an object without one adds nothing, as the linker would). */
  add(section: Uint8Array): void {
    if (!this.matches) return;
    const end = this.offset + section.length;
    if (end > this.linked.length || !sameBytes(this.linked.subarray(this.offset, end), section)) this.matches = false;
    this.offset = end;
  }

  /** The verdict, given how many blobs the linked section decodes to. */
  verdict(linkedBlobs: number): LinkerBtf {
    if (this.matches && this.offset === this.linked.length) return { kind: 'concatenation', blobs: linkedBlobs };
    return linkedBlobs === 1 ? { kind: 'single-blob' } : { kind: 'rearranged', blobs: linkedBlobs };
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One line for the run's summary on stderr and the docs. */
export function linkerBtfText(v: LinkerBtf): string {
  switch (v.kind) {
    case 'concatenation':
      return `linker concatenates .BTF (${v.blobs} blobs)`;
    case 'single-blob':
      return 'linker deduplicates .BTF (one blob, not the concatenation): compared as the linker side';
    case 'rearranged':
      return `linker rearranges .BTF (${v.blobs} blobs, not the inputs in link order): not compared`;
    default:
      return assertNever(v);
  }
}
