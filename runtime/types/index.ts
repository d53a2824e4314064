/** Type-level helpers and input schemas used by generated model files. */
export type {
  BasicLookups,
  DateLookups,
  DateOnlyLookups,
  CalendarPart,
  ClockPart,
  DatetimeLookups,
  JsonLookups,
  JsonOnlyLookups,
  JsonPathKeys,
  PartLookups,
  TimeLookups,
  KeyedLookups,
  RelationLookups,
  RelationOnlyLookups,
  Lookups,
  TextLookups,
  TextOnlyLookups,
} from "./lookups.js";
export type { NullablePrefixedFields, PrefixedFields, PrefixedWhere } from "./paths.js";
export type { JsonValue } from "./json.js";
export { inputs, type Input, type ObjectInput } from "./inputs.js";
