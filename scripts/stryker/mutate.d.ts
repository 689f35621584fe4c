/** scripts/stryker/mutate.js (plain CommonJS, run by node directly), typed for TypeScript. */
export interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  statusReason?: string;
  coveredBy?: string[];
  killedBy?: string[];
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}
/** The parts of Stryker's incremental report that canonical() reads. */
export interface IncrementalReport {
  projectRoot?: string;
  files: Record<string, { mutants: ReportMutant[] } & Record<string, unknown>>;
  testFiles?: Record<string, unknown>;
  [key: string]: unknown;
}
/** The report without what depends on the machine or the run: no paths, mutants in source order. */
export declare function canonical(report: IncrementalReport, tracked?: string): IncrementalReport;
/** The counted runs: each config with its tracked incremental report. */
export declare const PARTS: readonly { config: string; report: string }[];
