/**
 * The Node-API layer of the native addon (native/src/napi), through the test-only exports of the
 * test addon (native-testing-addon.ts): panics become JS errors, structured errors keep their
 * fields, parameters convert (or fail naming their position), and promises settle from other
 * threads. The production addon has none of those exports.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { loadNativeAddon } from "../../../runtime/driver/native/addon.js";
import { loadTestingAddon, TESTING_ADDON_PATH } from "./native-testing-addon.js";

const addon = loadNativeAddon();

// Only where the addon is built (always under CI, where YARA_REQUIRE_NATIVE=1 makes a missing
// addon fail the run), as the native entries of the feature matrix.
for (const native of addon === undefined ? [] : [loadTestingAddon()]) {
  describe("the production addon", () => {
    it("has no test-only exports", () => {
      expect(Object.keys(addon!).filter((name) => name.startsWith("test"))).toEqual([]);
      expect(Object.keys(addon!)).toEqual(expect.arrayContaining(["sqliteOpen", "pgOpen"]));
    });
  });

  describe("the native addon's Node-API layer", () => {
    it("turns a panic into a JS error of kind internal, and keeps working", () => {
      let caught: unknown;
      try {
        native.testPanic();
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(Error);
      expect(caught).toMatchObject({ kind: "internal" });
      expect((caught as Error).message).toMatch(
        /native engine panicked: test panic requested from JavaScript at src\/napi\/testing\.rs:\d+/,
      );
      expect(native.testParams([1])).toEqual(["number:1"]);
    });

    it("throws structured errors carrying kind, code, constraint, table, column and detail", () => {
      let caught: unknown;
      try {
        native.testError();
      } catch (err) {
        caught = err;
      }
      expect(caught).toMatchObject({
        message: "duplicate key",
        kind: "database",
        code: "23505",
        constraint: "books_title_key",
        table: "books",
        column: "title",
        detail: "Key (title) already exists.",
      });
    });

    it("converts every parameter type", () => {
      const long = "é".repeat(300);
      expect(
        native.testParams([
          null,
          1.5,
          -(2n ** 63n),
          "text",
          long,
          true,
          new Uint8Array([1, 2]),
          Buffer.from("ab"),
          [1, "x", null],
        ]),
      ).toEqual([
        "null",
        "number:1.5",
        "bigint:-9223372036854775808",
        "text:text",
        `text:${long}`,
        "bool:true",
        "bytes:[1, 2]",
        "bytes:[97, 98]",
        "array:[number:1,text:x,null]",
      ]);
    });

    it("refuses parameters it cannot bind, naming the position and never the value", () => {
      const bindError = (params: unknown[]): unknown => {
        try {
          native.testParams(params);
        } catch (err) {
          return err;
        }
        throw new Error("no error");
      };
      expect(bindError([1, 2n ** 64n + 7n])).toMatchObject({
        kind: "bind",
        message: "parameter 2 is a bigint wider than 64 bits; SQL integers hold at most 64 bits",
      });
      expect(bindError([undefined])).toMatchObject({
        kind: "bind",
        message: "parameter 1 is undefined, which cannot be bound",
      });
      expect(bindError(["a", { secret: "hunter2" }])).toMatchObject({ kind: "bind" });
      expect((bindError(["a", { secret: "hunter2" }]) as Error).message).not.toContain("hunter2");
      expect(bindError([[[1]]])).toMatchObject({
        message: "parameter 1 is an array inside an array; arrays bind one level deep",
      });
    });

    it("settles promises from another thread: resolve, reject, and reject when dropped", async () => {
      await expect(native.testResolveLater(5, 42)).resolves.toBe(42);
      await expect(native.testResolveLater(1, 0, true)).rejects.toMatchObject({
        kind: "cancelled",
        message: "rejected on request",
      });
      await expect(native.testResolveLater(1, 0, false, true)).rejects.toMatchObject({
        kind: "internal",
        message: expect.stringMatching(/dropped an operation without a result/),
      });
    });

    it("settles a burst of completions, each with its own value", async () => {
      const values = Array.from({ length: 2000 }, (_, i) => i);
      const settled = await Promise.all(values.map((v) => native.testResolveLater(0, v)));
      expect(settled).toEqual(values);
    });

    it("lets an idle process exit (the completion callback is unref'd when nothing is pending)", () => {
      const script =
        `const m = { exports: {} }; process.dlopen(m, ${JSON.stringify(TESTING_ADDON_PATH)});` +
        "m.exports.testResolveLater(20, 7).then((v) => console.log('settled', v));";
      const run = spawnSync(process.execPath, ["-e", script], {
        encoding: "utf8",
        timeout: 10_000,
        env: { ...process.env },
      });
      expect(run.error).toBeUndefined();
      expect(run.status).toBe(0);
      expect(run.stdout.trim()).toBe("settled 7");
    });
  });
}
