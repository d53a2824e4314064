/**
 * yara-orm: the runtime package. Generated model files and applications import from here.
 */
export { Model, type ModelStatics, type RefreshFields, type SaveOptions } from "./model/model.js";
export type { ModelRecord } from "./model/record.js";
export {
  ModelManager,
  type BulkCreateOptions,
  type BulkUpdateOptions,
  type ManagerOptions,
  type OnConflict,
} from "./model/manager.js";
export {
  RelatedManager,
  type AddArguments,
  type RelatedCreate,
  type RelatedItem,
  type ThroughDefaults,
  type ThroughOptions,
} from "./model/related-manager.js";
export { setRelated, type InstanceData } from "./model/instance-data.js";
export type { ModelEvents, PostSaveEvent, SaveEvent } from "./model/hooks.js";
export { registerValidators, type ValidatorFunction } from "./model/custom-validators.js";
export {
  QuerySet,
  ValuesQuerySet,
  ValuesListQuerySet,
  type Annotated,
  type AnnotationValue,
  type AnnotationValues,
  type AnnotationWhere,
  type AliasedValues,
  type UpdateData,
  type Prefetched,
  type WithPrefetched,
} from "./query/queryset.js";
export type { FieldKey, OrderKey, SchemaLike, ScopedExpression } from "./query/base.js";
export { OrderBy } from "./query/order-by.js";
export {
  registerModel,
  modelByName,
  registeredModels,
  type ModelClass,
  type ModelConstructor,
} from "./registry.js";
export { Q, type QItem } from "./query/q.js";
export { Prefetch, PrefetchLookup, type PrefetchOptions } from "./query/prefetch-lookup.js";
export type { Deferred, DeferredName } from "./query/deferred.js";
export type { ManyKey, ValueKey, ValueOf, ValuesOf, ValueOrderKey } from "./query/values.js";
export { F, Expression, type ExpressionValue } from "./query/f.js";
export {
  Avg,
  Coalesce,
  Count,
  Length,
  Lower,
  Max,
  Min,
  Sum,
  Trim,
  Upper,
  StringAgg,
  ArrayAgg,
  PathExpression,
  type AggregateOptions,
  type PathFunction,
  type PathFunctionValue,
} from "./query/functions.js";
export {
  Case,
  When,
  CaseExpression,
  WhenClause,
  type CaseDefault,
  type CaseValue,
  type CaseValueType,
} from "./query/case.js";
export { Subquery, Exists, OuterRef, type SubqueryOf } from "./query/subquery.js";
export { RawSQL } from "./query/raw-sql.js";
export { Cast, type CastType, type CastValue } from "./query/cast.js";
export {
  Abs,
  Concat,
  Extract,
  Left,
  Now,
  Replace,
  Right,
  Round,
  Substr,
  Value,
  type ExtractPart,
} from "./query/scalar-functions.js";
export { modelMeta } from "./model/meta.js";
export type {
  ModelMeta,
  ModelMetaInput,
  FieldMeta,
  FieldMetaInput,
  RelationMeta,
  RelationMetaInput,
  FieldKind,
  RelationKind,
  LiteralValue,
  OnDelete,
  ThroughIR,
  ThroughModelIR,
} from "./model/meta.js";
export type { ModelTypes } from "./model/types.js";
export type { Dialect, DialectName } from "./dialect/dialect.js";
export type {
  Driver,
  DriverName,
  IsolationLevel,
  Param,
  QueryEvent,
  QueryOptions,
  Result,
  RowReader,
  SqliteBehavior,
  TransactionOptions,
} from "./driver/driver.js";
export type { InTransactionOptions } from "./transaction-mode.js";
export type { QueryHook, QueryStart } from "./driver/logging.js";
export type { CompiledQuery } from "./compiler/compiler.js";
export * from "./errors.js";
export { checkClientVersion } from "./client-version.js";
export { RUNTIME_VERSION } from "./version.js";
export { YaraOrm } from "./orm.js";
export type { SqlRow } from "./raw-sql.js";
export {
  nativeEngineStatus,
  type NativeEngineSource,
  type NativeEngineStatus,
} from "./driver/native/addon.js";
export type { MigrateOptions, MigrateResult, MigrationStatus } from "./migrations/executor.js";
export {
  inTransaction,
  TRANSACTION_OPTION_KEYS,
  type TransactionScopeOptions,
} from "./transaction.js";
export type { Router, RouteHints } from "./connection/router.js";
export {
  ReadReplicaRouter,
  READ_REPLICA_OPTION_KEYS,
  type ReadReplicaOptions,
} from "./connection/read-replica-router.js";
export type { ConnectionSpec } from "./config.js";
export * from "./types/index.js";
