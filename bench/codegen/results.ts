/** What the generator and type-check measurements record, per schema size. */

export interface OutputSize {
  files: number;
  lines: number;
  bytes: number;
}

/** One `tsc --noEmit --extendedDiagnostics` of a usage file. */
export interface TypeCheck {
  wallMs: number;
  totalMs: number;
  checkMs: number;
  instantiations: number;
  memoryKB: number;
  /** Type errors tsc reported (a usage file must check clean for its time to count). */
  errors: string[];
}

export interface CodegenSize {
  models: number;
  yaraGenColdMs: number[];
  /** From the schema edit to the `regenerated` line of `yara-gen --watch` (50 ms debounce included). */
  yaraWatchMs: number[];
  yaraOutput: OutputSize;
  prismaGenerateMs: number[];
  prismaOutput: OutputSize;
  /** The hand-written Drizzle schema of the same tables (Drizzle generates nothing). */
  drizzleSchema: OutputSize;
  typeCheck: { yara: TypeCheck; prisma: TypeCheck; drizzle: TypeCheck };
}

export interface CodegenResults {
  tsc: string;
  sizes: CodegenSize[];
}
