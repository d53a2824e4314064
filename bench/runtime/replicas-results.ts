/** What bench/replicas.ts measures, as results.json keeps it. */
export interface ReplicaTimings {
  /** Concurrent workers, each issuing one statement at a time. */
  workers: number;
  /** Point reads per update in the workload. */
  readsPerWrite: number;
  /** Timed window of each measurement. */
  durationMs: number;
  /** Per Postgres driver ("native", "pg"). */
  drivers: Record<
    string,
    {
      /** Operations per second per repetition, the primary alone. */
      primaryAlone: number[];
      /** Operations per second per repetition, through ReadReplicaRouter over both servers. */
      withReplica: number[];
      /** Reads the replica answered in the timed windows (every repetition). */
      readsOnReplica: number;
      /** Reads the primary answered in the timed windows with the replica router. */
      readsOnPrimary: number;
    }
  >;
}
