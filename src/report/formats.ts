/** The report formats, in `--help` order (data only: the CLI lists them without loading a renderer). */
export const REPORT_FORMATS = ['text', 'json', 'markdown', 'junit', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
