// Placeholder replaced by the driver work: ensures a Postgres is reachable before tests run.
export default function setup(): void {}
