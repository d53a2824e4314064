/**
 * `yara-orm/internal`: what yara-gen (generator/ and the schema reader in schema/) imports from
 * the runtime — the one contract between the two packages. Not public API: it changes with any
 * release, which is why yara-gen asks for exactly its own version of yara-orm (a peer
 * dependency). Everything here is the runtime's own module instance, so `yara-gen migrations`
 * runs migration files against the same `YaraOrm` and builders the app's files import. Code
 * generation imports the few of these it needs from `yara-orm/internal/codegen`
 * (runtime/internal-codegen.ts), which does not load the runtime.
 */
export { MigrationError, NotSupportedError, YaraError } from "./errors.js";
export { YaraOrm } from "./orm.js";
export {
  checkDecimal,
  checkValue,
  MANAGER_STATICS,
  QUERY_STATICS,
  Rejected,
  requiredOnCreate,
  RUNTIME_VERSION,
  type CreateRequirement,
} from "./internal-codegen.js";
export type { Driver, Param } from "./driver/driver.js";
export {
  diagnose,
  type Diagnosis,
  type DriverChoice,
  type SqliteBuild,
} from "./driver/diagnose.js";
export type {
  FieldKind,
  FieldMeta,
  LiteralValue,
  ModelMeta,
  OnDelete,
  RelationMeta,
} from "./model/meta.js";
export type { FieldSpec, JoinTableSpec, ModelSpec, Operation } from "./migrations/operation.js";
export { fieldSpecOf, modelSpecOf } from "./migrations/field-spec.js";
export { applyOperation, joinColumns, type SchemaState } from "./migrations/state.js";
export { needsFill } from "./migrations/existing-rows.js";
export { listMigrationFiles, loadMigrations } from "./migrations/folder.js";
export { setTypeScriptLoader } from "./migrations/import-file.js";
export { planMigrations } from "./migrations/plan.js";
export {
  baselineMigrations,
  migrationSql,
  migrationStatus,
  runMigrations,
} from "./migrations/executor.js";
