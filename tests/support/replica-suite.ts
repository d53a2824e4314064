/**
 * `YARA_REPLICA_SUITE=1 npx vitest run tests/features` (`npm run test:replica-suite`): the
 * feature suite with every Postgres target replaced by a primary + streaming replica of its own
 * behind `ReadReplicaRouter`, so every read a test makes outside a transaction is answered by
 * the replica. Replication is synchronous up to apply (`remote_apply`), so the tests' reads see
 * their writes as on one database. This global setup starts the cluster and tells the workers
 * where it is (`inject("yaraReplicaCluster")`); without the variable it does nothing.
 */
import type { TestProject } from "vitest/node";
import { startPgCluster } from "./pg-cluster.js";

declare module "vitest" {
  export interface ProvidedContext {
    yaraReplicaCluster: { primaryUrl: string; replicaUrl: string } | null;
  }
}

export function replicaSuite(): boolean {
  return process.env.YARA_REPLICA_SUITE === "1";
}

export default async function setup(
  project: TestProject,
): Promise<(() => Promise<void>) | undefined> {
  if (!replicaSuite()) {
    project.provide("yaraReplicaCluster", null);
    return undefined;
  }
  const cluster = await startPgCluster({ synchronous: true });
  project.provide("yaraReplicaCluster", {
    primaryUrl: cluster.primaryUrl,
    replicaUrl: cluster.replicaUrl,
  });
  return () => cluster.stop();
}
