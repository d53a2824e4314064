/**
 * What the server sees of a test's connections: `pg_stat_activity` rows by `application_name`
 * (each test tags its driver's URL with its own name, so parallel files never count or kill
 * each other's connections).
 */
import pg from "pg";

async function withClient<T>(url: URL | string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const admin = new URL(url);
  admin.searchParams.delete("application_name");
  admin.searchParams.delete("options");
  const client = new pg.Client({ connectionString: admin.toString() });
  // A restart by another cell may end this connection: its query then fails, never the process.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Backend pids of the connections tagged `applicationName`. */
export function backendPids(url: URL | string, applicationName: string): Promise<number[]> {
  return withClient(url, async (c) => {
    const res = await c.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid",
      [applicationName],
    );
    return res.rows.map((r) => r.pid);
  });
}

/** Terminates one backend, refusing any not tagged `applicationName`. */
export function terminateBackend(
  url: URL | string,
  applicationName: string,
  pid: number,
): Promise<boolean> {
  return withClient(url, async (c) => {
    const res = await c.query<{ ok: boolean }>(
      "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE pid = $1 AND application_name = $2",
      [pid, applicationName],
    );
    return res.rows[0]?.ok === true;
  });
}

/**
 * Connections still open under `applicationName` once they had `ms` to go (a closed socket
 * leaves pg_stat_activity a moment after the client's close() returns).
 */
export async function leakedConnections(
  url: URL | string,
  applicationName: string,
  ms = 2000,
): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const pids = await backendPids(url, applicationName);
    if (pids.length === 0 || Date.now() > deadline) return pids;
    await new Promise((r) => setTimeout(r, 50));
  }
}
