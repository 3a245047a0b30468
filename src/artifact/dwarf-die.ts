/**
 * The DIE tree the DWARF facts are computed from (src/verdict/dwarf-facts.ts),
 * whoever read it: the in-process reader of an object's `.debug_info`
 * (dwarf-info.ts) or the parser of `llvm-dwarfdump --debug-info` text (the
 * fallback). Only the attributes the facts read are kept, each with the
 * meaning that text gives it, so both readers agree on real compilers'
 * output (test/dwarf-info.test.ts checks them against each other). Pure data.
 */

/** A subrange bound (DW_AT_count, DW_AT_upper_bound): present, with a number when it is a constant. */
export interface DieBound {
  readonly value: number | undefined;
}

/** DW_AT_type: the referenced DIE's section offset; the text route also has llvm's name for it. */
export interface DieTypeRef {
  readonly target: number | undefined;
  /** llvm-dwarfdump's name of the referenced type (text route only). */
  readonly text?: string;
}

export interface DieAttrs {
  /** DW_AT_name as llvm-dwarfdump prints it inside its quotes (escaped: see dwarf-info.ts `escapeLikeDwarfdump`). */
  name?: string;
  type?: DieTypeRef;
  /** Flags: present or not (a DW_FORM_flag of 0 counts as present, as the text route sees it). */
  declaration?: boolean;
  external?: boolean;
  /** DW_AT_location given as one expression (not a location list, which the text route cannot see). */
  location?: boolean;
  /** Constants as numbers; undefined when the attribute is absent or not a constant (a location expression). */
  byteSize?: number;
  memberLocation?: number;
  dataBitOffset?: number;
  bitSize?: number;
  count?: DieBound;
  upperBound?: DieBound;
  /** DW_AT_encoding by its name (`DW_ATE_signed`). */
  encoding?: string;
  /**
   * DW_AT_const_value as llvm-dwarfdump prints it: DW_FORM_dataN in hex of
   * the form's width (`0x01`, `0xffffffff`), DW_FORM_sdata / implicit_const
   * in signed decimal, DW_FORM_udata in unsigned decimal.
   */
  constValue?: string;
}

export interface Die {
  /** Offset of the DIE in `.debug_info`: what DW_AT_type refers to. */
  readonly offset: number;
  /** `DW_TAG_structure_type`, ... */
  readonly tag: string;
  readonly attrs: DieAttrs;
  readonly children: Die[];
}

/** Every compile unit's top DIE, and every DIE by offset. */
export interface DieTree {
  readonly roots: readonly Die[];
  readonly byOffset: ReadonlyMap<number, Die>;
}
