/**
 * yara-orm/migrations: what migration files import (the operation builders), and the migration
 * types. Applying migrations: `YaraOrm.migrate` or `yara-gen migrations migrate`.
 */
export * from "./builders.js";
export type * from "./operation.js";
export { applyOperation, replay, EMPTY_STATE, type SchemaState } from "./state.js";
export { inverseOf } from "./inverse.js";
export { renderOperation, type Step } from "./render.js";
