/** Helpers for the fault tests: bounded waits and a transaction that holds its connection. */
import { parseDatabaseUrl } from "../../../runtime/config.js";
import type { Driver } from "../../../runtime/driver/driver.js";
import { pgUrl } from "../../support/targets.js";

/** Settles within `ms`, or resolves to "hang" — a test must never wait forever. */
export function within<T>(p: Promise<T>, ms = 2000): Promise<T | Error | "hang"> {
  return Promise.race([
    p.catch((e: unknown) => e as Error),
    new Promise<"hang">((r) => setTimeout(() => r("hang"), ms).unref()),
  ]);
}

export const sleep = (ms: number): Promise<unknown> => new Promise((r) => setTimeout(r, ms));

export function pgTarget(): URL {
  const target = parseDatabaseUrl(pgUrl());
  if (target.dialect !== "postgres") throw new Error("YARA_PG_URL must be a Postgres URL");
  return target.url;
}

/** A transaction that holds its connection until `release()` is called. */
export function holdConnection(driver: Driver): { done: Promise<void>; release: () => void } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const done = driver.transaction(() => gate);
  return { done, release: () => release() };
}
