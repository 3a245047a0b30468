/** `btfparity triage`: its options and help; the implementation is imported when the command runs (start-up loads only registrations). */
import type { Command } from 'commander';
import { addRulesOptions, addToolchainOptions } from '../options.js';
import type { TriageOptions } from '../triage.js';

export function registerTriage(program: Command): void {
  const cmd = program
    .command('triage')
    .description('check C sources and write a report for maintainers: report.md, report.html and minimal reproducers')
    .argument('<src...>', 'C sources')
    .requiredOption('--output <dir>', 'directory for report.md, report.txt, report.html, repro-N.c and repro-N.sh (created if missing)')
    .option('--max-reduce <n>', 'reduce at most N distinct (entity, category) findings: unexplained first, then known; 0 = none', '3')
    .option('-j, --jobs <n>', 'candidate checks run concurrently while reducing', '2')
    .option('-q, --quiet', 'no progress lines on stderr');
  addToolchainOptions(cmd);
  addRulesOptions(cmd);
  cmd.addHelpText(
    'after',
    `
report.md: summary and classification, toolchain versions, the exact commands,
each reproducer with the commands that show it, every entity with findings as
both sides encode it (bpftool-style records and a layout), and, where the
compiler's DWARF settles it (array shape, enum signedness, enumerators), which
side departs from DWARF. Mail-ready markdown: no HTML, no tabs, prose within
100 columns, code in fenced blocks.
report.txt: the same run as --format email (plain ASCII, at most 78 columns,
tools and commands first) with the reproducers as indented code blocks: for a
mailing list.
report.html: the same findings with side-by-side layouts, differing cells
highlighted, filterable by status and category (also via the URL hash,
e.g. report.html#status=unexplained&category=array). No network access needed.

Exit status: as for check without --baseline (0 no unexplained findings, 1 unexplained
findings, 2 bad input, 3 toolchain failure).`,
  );
  cmd.action(async (srcs: string[], opts: TriageOptions) => (await import('../triage.js')).runTriageCommand(srcs, opts));
}
