/**
 * `yara-orm/internal/codegen`: the part of `yara-orm/internal` (runtime/internal.ts) that
 * yara-gen's code generation — the schema reader and the emitters — reads: how a field value is
 * checked, which fields create input needs, the names every generated class declares, the
 * runtime's version. Its own entry point because it loads a few small modules where the whole of
 * `yara-orm/internal` loads the runtime (YaraOrm, the drivers, migrations): ~110 ms of a cold
 * `yara-gen` run that generates code and never connects. Not public API, like the rest.
 */
export { checkDecimal, checkValue, Rejected } from "./dialect/field-checks.js";
export { requiredOnCreate, type CreateRequirement } from "./model/create-requirement.js";
export { MANAGER_STATICS, QUERY_STATICS } from "./model/statics.js";
export { RUNTIME_VERSION } from "./version.js";
