/**
 * `YaraOrm.init({ connections, routers })` input: each named connection is a URL or
 * `{ url, driver?, pool?, connectTimeoutMs?, pgbouncer?, optional? }` (these override the top-level
 * options for that connection; `optional` lets init go on when it cannot be reached),
 * "default" is required, routers are objects with dbForRead / dbForWrite. Checked
 * up front, so a typo fails at start-up with a ConfigurationError naming it.
 */
import type { InitOptions } from "../config.js";
import { ConfigurationError } from "../errors.js";
import { DEFAULT_CONNECTION } from "./connections.js";
import type { Router } from "./router.js";

/** The options a connection object may carry besides `url`. */
export const CONNECTION_OPTION_KEYS: readonly string[] = [
  "url",
  "driver",
  "pool",
  "connectTimeoutMs",
  "pgbouncer",
  "optional",
];

/** One connection to open: its name, URL and the init options that apply to it. */
export interface ConnectionPlan {
  readonly name: string;
  readonly url: string;
  readonly options: InitOptions;
  /** `optional: true`: init goes on when it cannot be reached. */
  readonly optional: boolean;
}

/**
 * The connections to open, "default" first: `{ default: url }` for the single-URL form, else
 * the `connections` option, each merged over the shared options.
 */
export function connectionPlans(
  url: string | undefined,
  options: InitOptions,
): readonly ConnectionPlan[] {
  const { connections, routers: _routers, ...shared } = options;
  if (url !== undefined) {
    if (connections !== undefined)
      throw new ConfigurationError(
        "YaraOrm.init got a URL and connections: pass either init(url, options) or " +
          "init({ connections: { default: url, … }, … })",
      );
    return [{ name: DEFAULT_CONNECTION, url, options: shared, optional: false }];
  }
  if (typeof connections !== "object" || connections === null || Array.isArray(connections))
    throw new ConfigurationError(
      'YaraOrm.init needs a database URL, or { connections: { default: "postgres://…", … } }',
    );
  const names = Object.keys(connections);
  if (!names.includes(DEFAULT_CONNECTION))
    throw new ConfigurationError(
      `YaraOrm.init connections must include "default" (got ${names.map((n) => `"${n}"`).join(", ") || "none"}): ` +
        "it runs every statement no using(), schema connection or router sends elsewhere",
    );
  const ordered = [DEFAULT_CONNECTION, ...names.filter((n) => n !== DEFAULT_CONNECTION)];
  return ordered.map((name) => plan(name, connections[name], shared));
}

function plan(name: string, spec: unknown, shared: InitOptions): ConnectionPlan {
  if (typeof spec === "string") return { name, url: spec, options: shared, optional: false };
  if (typeof spec !== "object" || spec === null || Array.isArray(spec))
    throw new ConfigurationError(
      `connection "${name}" must be a URL or { url, driver?, pool?, connectTimeoutMs?, pgbouncer?, optional? }`,
    );
  const o = spec as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!CONNECTION_OPTION_KEYS.includes(key))
      throw new ConfigurationError(
        `connection "${name}" has no option "${key}"; its options are ${CONNECTION_OPTION_KEYS.join(", ")}`,
      );
  }
  if (typeof o.url !== "string")
    throw new ConfigurationError(`connection "${name}" needs a url string`);
  if (o.optional !== undefined && typeof o.optional !== "boolean")
    throw new ConfigurationError(`connection "${name}": optional must be true or false`);
  if (o.optional === true && name === DEFAULT_CONNECTION)
    throw new ConfigurationError(
      'connection "default" cannot be optional: it runs every statement nothing sends elsewhere',
    );
  const own = Object.fromEntries(
    Object.entries(o).filter(([k, v]) => k !== "url" && k !== "optional" && v !== undefined),
  );
  return { name, url: o.url, options: { ...shared, ...own }, optional: o.optional === true };
}

/** The routers option: a list of objects with dbForRead and/or dbForWrite. */
export function checkRouters(routers: unknown): readonly Router[] {
  if (routers === undefined) return [];
  if (!Array.isArray(routers))
    throw new ConfigurationError("the routers option must be a list of routers");
  routers.forEach((r: unknown, i) => {
    const router = r as Router | null;
    if (
      typeof router !== "object" ||
      router === null ||
      (typeof router.dbForRead !== "function" && typeof router.dbForWrite !== "function")
    )
      throw new ConfigurationError(
        `routers[${i}] is not a router: give an object with dbForRead(model, hints) and/or dbForWrite(model, hints)`,
      );
  });
  return routers as readonly Router[];
}
