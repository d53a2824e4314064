/**
 * A primary + replica cluster (pg-cluster.ts) for one test file: started before its tests and
 * stopped after them, `beforeStop` first (closing what the tests opened on it). The getter it
 * returns throws when the cluster did not start, so a test fails rather than skips.
 */
import { afterAll, beforeAll } from "vitest";
import { startPgCluster, type ClusterOptions, type PgCluster } from "./pg-cluster.js";

export function clusterPerFile(
  options: ClusterOptions,
  beforeStop: () => Promise<void>,
): () => PgCluster {
  let cluster: PgCluster | undefined;
  beforeAll(async () => {
    cluster = await startPgCluster(options);
  }, 120_000);
  afterAll(async () => {
    await beforeStop();
    await cluster?.stop();
  });
  return () => {
    if (cluster === undefined) throw new Error("the primary + replica cluster did not start");
    return cluster;
  };
}

/** `url` with a search_path of its own, so tests sharing a server keep their tables apart. */
export function inSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}
