/**
 * ReadReplicaRouter's decisions without a database: round-robin over the replicas in rotation,
 * back-off that doubles per failure in a row, the primary when every replica is out (or a
 * ConnectionError under "fail"), the primary inside transactions, for selectForUpdate and in
 * the read-your-writes window of a scope; its options checked at construction.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ReadReplicaRouter } from "../../runtime/connection/read-replica-router.js";
import type { RouteHints } from "../../runtime/connection/router.js";
import { ConfigurationError, ConnectionError, ValidationError } from "../../runtime/errors.js";
import { modelMeta } from "../../runtime/model/meta.js";

const Book = modelMeta({ name: "Book", fields: [{ name: "id", kind: "int" }] });
const Event = modelMeta({
  name: "Event",
  fields: [{ name: "id", kind: "int" }],
  connection: "analytics",
});
const outside: RouteHints = {
  inTransaction: false,
  transactionConnection: undefined,
  forUpdate: false,
};
const down = new ConnectionError("gone");

describe("ReadReplicaRouter", () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ["performance"] }));
  afterEach(() => vi.useRealTimers());

  it("spreads reads round-robin, the primary last as the fallback", () => {
    const router = new ReadReplicaRouter({ replicas: ["r1", "r2"] });
    expect(router.dbForRead(Book, outside)).toEqual(["r1", "r2", "default"]);
    expect(router.dbForRead(Book, outside)).toEqual(["r2", "r1", "default"]);
    expect(router.dbForRead(Book, outside)).toEqual(["r1", "r2", "default"]);
  });

  it("puts the primary in the read rotation with primaryInRotation", () => {
    const router = new ReadReplicaRouter({ replicas: ["r1"], primaryInRotation: true });
    expect(router.dbForRead(Book, outside)).toEqual(["r1", "default"]);
    expect(router.dbForRead(Book, outside)).toEqual(["default", "r1"]);
    router.connectionFailed("r1", down);
    expect(router.dbForRead(Book, outside)).toBe("default");
  });

  it("sends writes, reads in a transaction and selectForUpdate to the primary", () => {
    const router = new ReadReplicaRouter({ primary: "main", replicas: ["r1"] });
    expect(router.dbForWrite(Book, outside)).toBe("main");
    expect(
      router.dbForRead(Book, {
        inTransaction: true,
        transactionConnection: "main",
        forUpdate: false,
      }),
    ).toBe("main");
    expect(router.dbForRead(Book, { ...outside, forUpdate: true })).toBe("main");
  });

  it("leaves a model bound to another connection to other routers", () => {
    const router = new ReadReplicaRouter({ replicas: ["r1"] });
    expect(router.dbForRead(Event, outside)).toBeUndefined();
    expect(router.dbForWrite(Event, outside)).toBeUndefined();
  });

  it("takes a failed replica out of rotation, doubling its back-off per failure in a row", () => {
    const router = new ReadReplicaRouter({
      replicas: ["r1", "r2"],
      retryAfterMs: 100,
      maxRetryAfterMs: 300,
    });
    router.connectionFailed("r1", down);
    expect(router.replicasInRotation()).toEqual(["r2"]);
    vi.advanceTimersByTime(100);
    expect(router.replicasInRotation()).toEqual(["r1", "r2"]);
    router.connectionFailed("r1", down); // tried again and failed again: 200 ms
    vi.advanceTimersByTime(199);
    expect(router.replicasInRotation()).toEqual(["r2"]);
    vi.advanceTimersByTime(1);
    router.connectionFailed("r1", down); // capped at maxRetryAfterMs
    vi.advanceTimersByTime(300);
    expect(router.replicasInRotation()).toEqual(["r1", "r2"]);
    router.connectionSucceeded("r1");
    router.connectionFailed("r1", down); // a success reset the count: 100 ms again
    vi.advanceTimersByTime(100);
    expect(router.replicasInRotation()).toEqual(["r1", "r2"]);
    router.connectionFailed("default", down); // the primary is never taken out
    expect(router.dbForRead(Book, outside)).toContain("default");
  });

  it('reads from the primary while every replica is out, or fails under "fail"', () => {
    const lenient = new ReadReplicaRouter({ replicas: ["r1"] });
    lenient.connectionFailed("r1", down);
    expect(lenient.dbForRead(Book, outside)).toBe("default");
    const strict = new ReadReplicaRouter({ replicas: ["r1"], whenReplicasDown: "fail" });
    expect(strict.dbForRead(Book, outside)).toEqual(["r1"]);
    strict.connectionFailed("r1", down);
    expect(() => strict.dbForRead(Book, outside)).toThrow(ConnectionError);
  });

  it("reads a scope's own writes from the primary for readYourWritesMs", () => {
    const router = new ReadReplicaRouter({ replicas: ["r1"], readYourWritesMs: 500 });
    router.scope(() => {
      router.dbForWrite(Book, outside);
      expect(router.dbForRead(Book, outside)).toBe("default");
      // Another scope did not write.
      expect(router.scope(() => router.dbForRead(Book, outside))).toEqual(["r1", "default"]);
      vi.advanceTimersByTime(500);
      expect(router.dbForRead(Book, outside)).toEqual(["r1", "default"]);
      router.transactionFinished("default");
      expect(router.dbForRead(Book, outside)).toBe("default");
    });
  });

  it("checks its options", () => {
    expect(() => new ReadReplicaRouter({ replicas: [] })).toThrow(ConfigurationError);
    expect(() => new ReadReplicaRouter({ replicas: ["default"] })).toThrow(
      '"default" cannot be both the primary and a replica',
    );
    expect(
      () => new ReadReplicaRouter({ replicas: ["r1"], whenReplicasDown: "wait" as "fail" }),
    ).toThrow('whenReplicasDown must be "primary" or "fail", got "wait"');
    expect(() => new ReadReplicaRouter({ replicas: ["r1"], retryAfterMs: -1 })).toThrow(
      "retryAfterMs must be a number of milliseconds >= 0, got -1",
    );
    expect(() => new ReadReplicaRouter({ replicas: ["r1"], readYourWrites: 5 } as never)).toThrow(
      ValidationError,
    );
  });
});
