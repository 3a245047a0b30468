/**
 * Debian suites a toolchain root can be made from, as data: the packages a
 * root gets by default (the suite's gcc versions, pahole, bpftool,
 * clang/llvm, the BPF gcc, binutils), the apt options the suite needs, and
 * the archive it comes from. Nothing here runs anything: src/toolchain/build.ts
 * turns an entry into an mmdebstrap command.
 */

export interface Suite {
  readonly name: string;
  /** What `toolchain add --help` says about it. */
  readonly description: string;
  /** Debian packages installed into the root when `--packages` is not given. */
  readonly packages: readonly string[];
  /**
   * apt options (mmdebstrap `--aptopt`). sid's Release file carries a short
   * Valid-Until, so a machine whose clock runs ahead of the archive (or an
   * archive mirror that lags) sees it as expired: sid does without that check.
   */
  readonly aptOptions: readonly string[];
  readonly mirror: string;
}

export const DEFAULT_MIRROR = 'http://deb.debian.org/debian';

/**
 * Packages every root gets: util-linux carries `setarch`, should a step
 * ever need to be run without address randomisation from inside the root
 * (the runner normally sets that from the host, and bwrap passes it on).
 */
const COMMON = ['dwarves', 'bpftool', 'clang', 'llvm', 'gcc-bpf', 'binutils', 'util-linux'] as const;

export const SUITES: Readonly<Record<string, Suite>> = {
  trixie: {
    name: 'trixie',
    description: 'Debian 13 (stable): gcc 14, clang 19',
    packages: ['gcc', 'gcc-14', ...COMMON],
    aptOptions: [],
    mirror: DEFAULT_MIRROR,
  },
  sid: {
    name: 'sid',
    description: 'Debian unstable: the newest gcc (gcc-15 and gcc-16), clang, pahole and bpftool',
    packages: ['gcc', 'gcc-15', 'gcc-16', ...COMMON],
    aptOptions: ['Acquire::Check-Valid-Until "false"'],
    mirror: DEFAULT_MIRROR,
  },
};

export const SUITE_NAMES: readonly string[] = Object.keys(SUITES);

export function findSuite(name: string): Suite | undefined {
  return Object.hasOwn(SUITES, name) ? SUITES[name] : undefined;
}

/**
 * Files no tool needs, left out of every root to save disk (about 70 MB a
 * root): documentation, manual pages and message catalogues (steps run
 * with LC_ALL=C anyway). mmdebstrap `--dpkgopt` lines.
 */
export const DPKG_EXCLUDES: readonly string[] = ['/usr/share/doc/*', '/usr/share/man/*', '/usr/share/info/*', '/usr/share/locale/*'];

/**
 * Programs whose versions a root's manifest records (and `toolchain list`
 * shows), matched against the names in the root's /usr/bin and /usr/sbin.
 */
export const LISTED_TOOLS: readonly RegExp[] = [
  /^gcc(-\d+)?$/,
  /^clang(-\d+)?$/,
  /^pahole$/,
  /^bpftool$/,
  /^bpf-gcc(-\d+)?$/,
  /^bpf-unknown-none-gcc(-\d+)?$/,
  /^ld$/,
  /^llc(-\d+)?$/,
  /^llvm-dwarfdump(-\d+)?$/,
];
