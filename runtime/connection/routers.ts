/**
 * Where a model's statement goes: `driverFor(route)` asks, in order, the query's `using()`, the
 * routers `YaraOrm.init({ routers })` installed, the model's schema `connection`; with no answer
 * the statement runs where it always did (the enclosing transaction's connection, else
 * "default"), at the cost of one array-length check when no routers are installed.
 */
import type { Driver } from "../driver/driver.js";
import type { ModelMeta } from "../model/meta.js";
import {
  connectionDriver,
  currentDriver,
  onTransactionEnd,
  transactionConnection,
} from "../transaction.js";
import { FailoverDriver } from "./failover-driver.js";
import type { RouteHints, Router } from "./router.js";

/** One statement to route. */
export interface Route {
  readonly meta: ModelMeta;
  readonly write: boolean;
  /** `using("name")` on the query or manager: wins over everything. */
  readonly using?: string | undefined;
  /** A locking read (selectForUpdate): routed as a write would be among the candidates. */
  readonly forUpdate?: boolean;
}

let routers: readonly Router[] = [];

/** Set by YaraOrm.init / close. */
export function setRouters(list: readonly Router[]): void {
  routers = list;
  onTransactionEnd(list.length > 0 ? transactionFinished : undefined);
}

/** The driver that runs `route`'s statement (a failover driver over read candidates). */
export function driverFor(route: Route): Driver {
  if (route.using !== undefined) return connectionDriver(route.using);
  if (routers.length > 0) {
    const decided = ask(route);
    if (decided !== undefined) return decided;
  }
  const bound = route.meta.connection;
  return bound === undefined ? currentDriver() : connectionDriver(bound);
}

/**
 * The connection name a model's writes go to (for the transactions a manager opens around its
 * own writes), or undefined for the enclosing transaction's / "default".
 */
export function writeConnection(meta: ModelMeta, using: string | undefined): string | undefined {
  if (using !== undefined) return using;
  if (routers.length > 0) {
    const hints = hintsFor(false);
    for (const router of routers) {
      const name = router.dbForWrite?.(meta, hints);
      if (name !== undefined) return name;
    }
  }
  return meta.connection;
}

/** Tells every router that a transaction on `connection` ended. */
export function transactionFinished(connection: string): void {
  for (const router of routers) router.transactionFinished?.(connection);
}

function ask(route: Route): Driver | undefined {
  const hints = hintsFor(route.forUpdate === true);
  for (const router of routers) {
    if (route.write) {
      const name = router.dbForWrite?.(route.meta, hints);
      if (name !== undefined) return connectionDriver(name);
      continue;
    }
    const names = router.dbForRead?.(route.meta, hints);
    if (names === undefined) continue;
    if (typeof names === "string") return connectionDriver(names);
    // One candidate needs no failover unless the router wants to hear of its failures.
    if (
      names.length === 1 &&
      router.readTimeoutMs === undefined &&
      router.connectionFailed === undefined
    )
      return connectionDriver(names[0]!);
    return new FailoverDriver(
      names.map((name) => ({ name, driver: connectionDriver(name) })),
      router,
    );
  }
  return undefined;
}

function hintsFor(forUpdate: boolean): RouteHints {
  const transaction = transactionConnection();
  return {
    inTransaction: transaction !== undefined,
    transactionConnection: transaction,
    forUpdate,
  };
}
