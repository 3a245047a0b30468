/**
 * The rules `btfparity lint` checks, one entry per rejection reason the
 * kernel's BTF verifier (kernel/bpf/btf.c) can give when BPF_BTF_LOAD
 * parses a blob, plus libbpf's where it is stricter. Each rule has a stable
 * id (what reports and the future `rejected` finding carry), the kernel's
 * own log text (what users grep for; values such as `%u` are filled in per
 * rejection) and the kernel function that makes the check.
 *
 * Data only; docs/LINT.md lists the same table for readers.
 */

export interface LintRule {
  readonly id: string;
  /** The kernel's message, with printf-style holes where it prints values. */
  readonly message: string;
  /** The kernel (or libbpf) function that makes the check. */
  readonly source: string;
  /** Which pass finds it: header and sections, the per-type meta pass, resolution, type-tag chains. */
  readonly phase: 'header' | 'meta' | 'resolve' | 'tags' | 'libbpf';
}

const RULE_LIST = [
  // btf_parse / btf_parse_hdr / btf_check_sec_info / btf_parse_str_sec / btf_parse_type_sec
  { id: 'too-large', message: 'BTF larger than BTF_MAX_SIZE (16 MiB): E2BIG, no log', source: 'btf_parse', phase: 'header' },
  { id: 'hdr-len-not-found', message: 'hdr_len not found', source: 'btf_parse_hdr', phase: 'header' },
  { id: 'header-not-found', message: 'btf_header not found', source: 'btf_parse_hdr', phase: 'header' },
  { id: 'header-unsupported', message: 'Unsupported btf_header', source: 'btf_parse_hdr', phase: 'header' },
  { id: 'magic', message: 'Invalid magic', source: 'btf_parse_hdr', phase: 'header' },
  { id: 'version', message: 'Unsupported version', source: 'btf_parse_hdr', phase: 'header' },
  { id: 'flags', message: 'Unsupported flags', source: 'btf_parse_hdr', phase: 'header' },
  { id: 'no-data', message: 'No data', source: 'btf_parse_hdr', phase: 'header' },
  { id: 'section-offset', message: 'Invalid section offset', source: 'btf_check_sec_info', phase: 'header' },
  { id: 'section-unsupported', message: 'Unsupported section found', source: 'btf_check_sec_info', phase: 'header' },
  { id: 'section-overlap', message: 'Section overlap found', source: 'btf_check_sec_info', phase: 'header' },
  { id: 'section-too-long', message: 'Total section length too long', source: 'btf_check_sec_info', phase: 'header' },
  { id: 'strings-not-at-end', message: 'String section is not at the end', source: 'btf_parse_str_sec', phase: 'header' },
  { id: 'strings-invalid', message: 'Invalid string section', source: 'btf_parse_str_sec', phase: 'header' },
  { id: 'type-off-unaligned', message: 'Unaligned type_off', source: 'btf_parse_type_sec', phase: 'header' },
  { id: 'no-type', message: 'No type found', source: 'btf_parse_type_sec', phase: 'header' },
  // btf_check_meta and the per-kind check_meta functions
  { id: 'meta-truncated', message: 'meta_left:%u meta_needed:%u', source: 'btf_check_meta / *_check_meta', phase: 'meta' },
  { id: 'info-invalid', message: 'Invalid btf_info:%x', source: 'btf_check_meta', phase: 'meta' },
  { id: 'kind-invalid', message: 'Invalid kind:%u', source: 'btf_check_meta', phase: 'meta' },
  { id: 'name-offset', message: 'Invalid name_offset:%u', source: 'btf_check_meta', phase: 'meta' },
  { id: 'too-many-types', message: 'Exceeded max num of types', source: 'btf_add_type', phase: 'meta' },
  { id: 'vlen', message: 'vlen != 0', source: '*_check_meta', phase: 'meta' },
  { id: 'kind-flag', message: 'Invalid btf_info kind_flag', source: '*_check_meta', phase: 'meta' },
  { id: 'name', message: 'Invalid name', source: '*_check_meta', phase: 'meta' },
  { id: 'int-data', message: 'Invalid int_data:%x', source: 'btf_int_check_meta', phase: 'meta' },
  { id: 'int-bits', message: 'nr_bits exceeds 128', source: 'btf_int_check_meta', phase: 'meta' },
  { id: 'int-bits-size', message: 'nr_bits exceeds type_size', source: 'btf_int_check_meta', phase: 'meta' },
  { id: 'int-encoding', message: 'Unsupported encoding', source: 'btf_int_check_meta', phase: 'meta' },
  { id: 'type-id', message: 'Invalid type_id', source: 'btf_ref_type_check_meta / btf_var_check_meta / btf_struct_check_meta', phase: 'meta' },
  { id: 'fwd-type', message: 'type != 0', source: 'btf_fwd_check_meta', phase: 'meta' },
  { id: 'array-size', message: 'size != 0', source: 'btf_array_check_meta', phase: 'meta' },
  { id: 'array-elem', message: 'Invalid elem', source: 'btf_array_check_meta / btf_array_resolve', phase: 'meta' },
  { id: 'array-index', message: 'Invalid index', source: 'btf_array_check_meta / btf_array_resolve', phase: 'meta' },
  { id: 'member-name-offset', message: 'Invalid member name_offset:%u', source: 'btf_struct_check_meta', phase: 'meta' },
  { id: 'member-offset', message: 'Invalid member bits_offset', source: 'btf_struct_check_meta', phase: 'meta' },
  { id: 'member-offset-size', message: 'Member bits_offset exceeds its struct size', source: 'btf_struct_check_meta', phase: 'meta' },
  { id: 'enum-size', message: 'Unexpected size', source: 'btf_enum_check_meta / btf_enum64_check_meta', phase: 'meta' },
  { id: 'enum-name-offset', message: 'Invalid name_offset:%u', source: 'btf_enum_check_meta / btf_enum64_check_meta', phase: 'meta' },
  { id: 'func-linkage', message: 'Invalid func linkage', source: 'btf_func_check_meta', phase: 'meta' },
  { id: 'var-linkage', message: 'Linkage not supported', source: 'btf_var_check_meta', phase: 'meta' },
  { id: 'datasec-size', message: 'size == 0', source: 'btf_datasec_check_meta', phase: 'meta' },
  { id: 'datasec-offset', message: 'Invalid offset', source: 'btf_datasec_check_meta', phase: 'meta' },
  { id: 'datasec-var-size', message: 'Invalid size', source: 'btf_datasec_check_meta / btf_datasec_resolve', phase: 'meta' },
  { id: 'datasec-offset-size', message: 'Invalid offset+size', source: 'btf_datasec_check_meta', phase: 'meta' },
  { id: 'datasec-total-size', message: 'Invalid btf_info size', source: 'btf_datasec_check_meta', phase: 'meta' },
  { id: 'float-size', message: 'Invalid type_size', source: 'btf_float_check_meta', phase: 'meta' },
  { id: 'decl-tag-value', message: 'Invalid value', source: 'btf_decl_tag_check_meta', phase: 'meta' },
  { id: 'decl-tag-component', message: 'Invalid component_idx', source: 'btf_decl_tag_check_meta / btf_decl_tag_resolve', phase: 'meta' },
  // resolution (btf_check_all_types → btf_resolve → the kinds' resolve and check_member functions)
  { id: 'resolve-depth', message: 'Exceeded max resolving depth:32', source: 'btf_resolve', phase: 'resolve' },
  { id: 'loop', message: 'Loop detected', source: 'btf_resolve', phase: 'resolve' },
  { id: 'resolve-state', message: 'Invalid resolve state', source: 'btf_resolve_valid', phase: 'resolve' },
  { id: 'array-int', message: 'Invalid array of int', source: 'btf_array_resolve', phase: 'resolve' },
  { id: 'array-overflow', message: 'Array size overflows U32_MAX', source: 'btf_array_resolve', phase: 'resolve' },
  { id: 'member', message: 'Invalid member', source: 'btf_struct_resolve / btf_modifier_check_member', phase: 'resolve' },
  { id: 'member-not-aligned', message: 'Member is not byte aligned', source: '*_check_member', phase: 'resolve' },
  { id: 'member-misaligned', message: 'Member is not properly aligned', source: 'btf_float_check_member', phase: 'resolve' },
  { id: 'member-size', message: 'Member exceeds struct_size', source: '*_check_member', phase: 'resolve' },
  { id: 'member-offset-overflow', message: 'bits_offset exceeds U32_MAX', source: 'btf_int_check_member', phase: 'resolve' },
  { id: 'member-copy-bits', message: 'nr_copy_bits exceeds 128', source: 'btf_int_check_member / btf_int_check_kflag_member', phase: 'resolve' },
  { id: 'member-base-type', message: 'Invalid member base type', source: 'btf_int_check_kflag_member', phase: 'resolve' },
  { id: 'member-bit-offset', message: 'Invalid member offset', source: 'btf_int_check_kflag_member', phase: 'resolve' },
  { id: 'member-bitfield-size', message: 'Invalid member bitfield_size', source: '*_check_kflag_member', phase: 'resolve' },
  { id: 'member-unsupported', message: 'Unsupported check_member', source: 'btf_df_check_member', phase: 'resolve' },
  { id: 'member-kflag-unsupported', message: 'Unsupported check_kflag_member', source: 'btf_df_check_kflag_member', phase: 'resolve' },
  { id: 'datasec-not-var', message: 'Not a VAR kind member', source: 'btf_datasec_resolve', phase: 'resolve' },
  { id: 'datasec-var-type', message: 'Invalid type', source: 'btf_datasec_resolve', phase: 'resolve' },
  { id: 'return-type', message: 'Invalid return type', source: 'btf_func_proto_check', phase: 'resolve' },
  { id: 'arg', message: 'Invalid arg#%u', source: 'btf_func_proto_check / btf_func_check', phase: 'resolve' },
  // btf_check_type_tags
  { id: 'type-tag-order', message: "Type tags don't precede modifiers", source: 'btf_check_type_tags', phase: 'tags' },
  { id: 'modifier-chain', message: 'Max chain length or cycle detected', source: 'btf_check_type_tags', phase: 'tags' },
  { id: 'modifier-target', message: 'EINVAL without a log line: a modifier refers to a missing type', source: 'btf_check_type_tags', phase: 'tags' },
  // libbpf, stricter than the kernel's module-BTF checks (which do not resolve references)
  { id: 'libbpf-type-id', message: 'invalid type id (libbpf: BTF type [%u]: invalid ... type_id)', source: 'libbpf btf_validate_type', phase: 'libbpf' },
] as const satisfies readonly LintRule[];

export type LintRuleId = (typeof RULE_LIST)[number]['id'];

export const RULES: ReadonlyMap<LintRuleId, LintRule> = new Map(RULE_LIST.map((r) => [r.id, r]));

export const ALL_RULES: readonly LintRule[] = RULE_LIST;

/** The rule's message with its printf holes filled, in order. */
export function ruleMessage(id: LintRuleId, ...values: readonly (number | string)[]): string {
  const rule = RULES.get(id);
  if (!rule) throw new Error(`unknown lint rule ${id}`);
  let i = 0;
  return rule.message.replace(/%[ux]/g, (hole) => {
    const v = values[i++];
    if (v === undefined) return hole;
    return hole === '%x' && typeof v === 'number' ? (v >>> 0).toString(16) : String(v);
  });
}
