/**
 * The tool settings as data: one row per tool role, and from each row the
 * option, environment variable and config-file key for both sides and for
 * each side alone (`--cc`, `--left-cc`, `--right-cc`; BTFPARITY_CC,
 * BTFPARITY_LEFT_CC, ...; `cc`, `leftCc`, `rightCc`). settings.ts (the
 * options and their resolution) and config-file.ts (the keys a file may
 * set) both read it, so a new tool is one row.
 */
import type { ToolRole } from '../recipe/recipes.js';

export interface ToolSetting {
  readonly role: ToolRole;
  /** The option without `--`, for both sides. */
  readonly flag: string;
  /** The default command. */
  readonly default: string;
  /** What the tool is for, in `--help`. */
  readonly what: string;
}

export const TOOL_SETTINGS: readonly ToolSetting[] = [
  { role: 'cc', flag: 'cc', default: 'gcc', what: 'C compiler for $CC recipes (pahole, gcc-btf), looked up on PATH or ROOT:TOOL' },
  { role: 'clang', flag: 'clang', default: 'clang-16', what: 'clang for the BPF recipes (clang-bpf, clang-bpf-pahole)' },
  { role: 'bpf-gcc', flag: 'bpf-gcc', default: 'bpf-gcc', what: 'gcc for the BPF target, for bpf-gcc-btf' },
  { role: 'pahole', flag: 'pahole', default: 'pahole', what: 'pahole, for the pahole recipes' },
];

/** `both`: the unprefixed setting; `left`/`right`: that side's override. */
export type SettingScope = 'both' | 'left' | 'right';

export interface ToolSettingNames {
  /** `--left-cc` */
  readonly option: string;
  /** commander's attribute and the config-file key: `leftCc` */
  readonly key: string;
  /** `BTFPARITY_LEFT_CC` */
  readonly env: string;
}

/** The names of one tool setting in one scope. */
export function toolSettingNames(setting: ToolSetting, scope: SettingScope): ToolSettingNames {
  const words = [...(scope === 'both' ? [] : [scope]), ...setting.flag.split('-')];
  return {
    option: `--${words.join('-')}`,
    key: words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join(''),
    env: `BTFPARITY_${words.join('_').toUpperCase()}`,
  };
}
