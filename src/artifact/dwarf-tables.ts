/**
 * Numbers of the DWARF 5 standard (and the ELF relocation types of the
 * debug sections) that dwarf-info.ts decodes by. Values are from the DWARF 5
 * specification's tables (7.5.x) and each machine's ELF psABI. Pure data.
 */

/** DW_FORM_* codes (DWARF 5 table 7.6, plus the GNU extensions gcc emits). */
export const FORM = {
  addr: 0x01,
  block2: 0x03,
  block4: 0x04,
  data2: 0x05,
  data4: 0x06,
  data8: 0x07,
  string: 0x08,
  block: 0x09,
  block1: 0x0a,
  data1: 0x0b,
  flag: 0x0c,
  sdata: 0x0d,
  strp: 0x0e,
  udata: 0x0f,
  ref_addr: 0x10,
  ref1: 0x11,
  ref2: 0x12,
  ref4: 0x13,
  ref8: 0x14,
  ref_udata: 0x15,
  indirect: 0x16,
  sec_offset: 0x17,
  exprloc: 0x18,
  flag_present: 0x19,
  strx: 0x1a,
  addrx: 0x1b,
  ref_sup4: 0x1c,
  strp_sup: 0x1d,
  data16: 0x1e,
  line_strp: 0x1f,
  ref_sig8: 0x20,
  implicit_const: 0x21,
  loclistx: 0x22,
  rnglistx: 0x23,
  ref_sup8: 0x24,
  strx1: 0x25,
  strx2: 0x26,
  strx3: 0x27,
  strx4: 0x28,
  addrx1: 0x29,
  addrx2: 0x2a,
  addrx3: 0x2b,
  addrx4: 0x2c,
  GNU_addr_index: 0x1f01,
  GNU_str_index: 0x1f02,
  GNU_ref_alt: 0x1f20,
  GNU_strp_alt: 0x1f21,
} as const;

/** The DW_AT_* codes the facts read, and DW_AT_str_offsets_base (strx forms need it). */
export const AT = {
  location: 0x02,
  name: 0x03,
  byte_size: 0x0b,
  bit_size: 0x0d,
  const_value: 0x1c,
  upper_bound: 0x2f,
  count: 0x37,
  data_member_location: 0x38,
  declaration: 0x3c,
  encoding: 0x3e,
  external: 0x3f,
  type: 0x49,
  data_bit_offset: 0x6b,
  str_offsets_base: 0x72,
} as const;

/** DW_TAG_* names by code: the tags the facts look at, and the unit tags. Others are named by number. */
export const TAG_NAMES: ReadonlyMap<number, string> = new Map([
  [0x01, 'DW_TAG_array_type'],
  [0x04, 'DW_TAG_enumeration_type'],
  [0x05, 'DW_TAG_formal_parameter'],
  [0x0b, 'DW_TAG_lexical_block'],
  [0x0d, 'DW_TAG_member'],
  [0x0f, 'DW_TAG_pointer_type'],
  [0x11, 'DW_TAG_compile_unit'],
  [0x13, 'DW_TAG_structure_type'],
  [0x15, 'DW_TAG_subroutine_type'],
  [0x16, 'DW_TAG_typedef'],
  [0x17, 'DW_TAG_union_type'],
  [0x21, 'DW_TAG_subrange_type'],
  [0x24, 'DW_TAG_base_type'],
  [0x26, 'DW_TAG_const_type'],
  [0x28, 'DW_TAG_enumerator'],
  [0x2e, 'DW_TAG_subprogram'],
  [0x34, 'DW_TAG_variable'],
  [0x35, 'DW_TAG_volatile_type'],
  [0x37, 'DW_TAG_restrict_type'],
  [0x3c, 'DW_TAG_partial_unit'],
  [0x47, 'DW_TAG_atomic_type'],
]);

/** DW_ATE_* names by code (DWARF 5 table 7.11), as llvm-dwarfdump prints DW_AT_encoding. */
export const ATE_NAMES: ReadonlyMap<number, string> = new Map([
  [0x01, 'DW_ATE_address'],
  [0x02, 'DW_ATE_boolean'],
  [0x03, 'DW_ATE_complex_float'],
  [0x04, 'DW_ATE_float'],
  [0x05, 'DW_ATE_signed'],
  [0x06, 'DW_ATE_signed_char'],
  [0x07, 'DW_ATE_unsigned'],
  [0x08, 'DW_ATE_unsigned_char'],
  [0x09, 'DW_ATE_imaginary_float'],
  [0x0a, 'DW_ATE_packed_decimal'],
  [0x0b, 'DW_ATE_numeric_string'],
  [0x0c, 'DW_ATE_edited'],
  [0x0d, 'DW_ATE_signed_fixed'],
  [0x0e, 'DW_ATE_unsigned_fixed'],
  [0x0f, 'DW_ATE_decimal_float'],
  [0x10, 'DW_ATE_UTF'],
  [0x11, 'DW_ATE_UCS'],
  [0x12, 'DW_ATE_ASCII'],
]);

/** DW_UT_* unit types the reader decodes (DWARF 5 table 7.2): full and partial compile units. */
export const UT_COMPILE = 0x01;
export const UT_PARTIAL = 0x03;

/**
 * The absolute relocation types of each machine (ELF e_machine) that debug
 * sections carry, by width in bytes; 0 marks a no-op (R_*_NONE). A type not
 * listed makes the reader decline.
 */
export const ABS_RELOCS: ReadonlyMap<number, ReadonlyMap<number, 0 | 4 | 8>> = new Map([
  // EM_386: R_386_NONE, R_386_32.
  [
    3,
    new Map<number, 0 | 4 | 8>([
      [0, 0],
      [1, 4],
    ]),
  ],
  // EM_X86_64: R_X86_64_NONE, R_X86_64_64, R_X86_64_32.
  [
    62,
    new Map<number, 0 | 4 | 8>([
      [0, 0],
      [1, 8],
      [10, 4],
    ]),
  ],
  // EM_AARCH64: R_AARCH64_NONE (0 and the psABI's 256), R_AARCH64_ABS64, R_AARCH64_ABS32.
  [
    183,
    new Map<number, 0 | 4 | 8>([
      [0, 0],
      [256, 0],
      [257, 8],
      [258, 4],
    ]),
  ],
  // EM_BPF: R_BPF_NONE, R_BPF_64_ABS64, R_BPF_64_ABS32, R_BPF_64_NODYLD32 (what llvm writes in debug sections).
  [
    247,
    new Map<number, 0 | 4 | 8>([
      [0, 0],
      [2, 8],
      [3, 4],
      [4, 4],
    ]),
  ],
]);

/**
 * Relocation types whose value the reader cannot compute but never needs:
 * a thread-local variable's offset inside its DW_AT_location expression
 * (R_X86_64_DTPOFF64, R_X86_64_DTPOFF32, R_386_TLS_LDO_32), by width. The
 * bytes are left as they are and marked: a read of a marked field declines.
 */
export const UNREAD_RELOCS: ReadonlyMap<number, ReadonlyMap<number, 4 | 8>> = new Map([
  [3, new Map<number, 4 | 8>([[32, 4]])],
  [
    62,
    new Map<number, 4 | 8>([
      [17, 8],
      [21, 4],
    ]),
  ],
]);
