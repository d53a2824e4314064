/**
 * The JavaScript side of a result arena (native/src/napi/arena.rs): an ArrayBuffer the addon
 * writes small results into back to back, with one set of typed-array views for all of them.
 * A call that placed its result returns only the result's text; its offset and row count are in
 * the arena's header (four u32s: offset, rows, full, reserved).
 */
import { ResultMemory } from "./reader.js";

/** 1 MiB: results up to 128 KiB go into the arena; bigger ones come in their own buffer. */
const ARENA_BYTES = 1 << 20;

export class ResultArena {
  readonly memory: ResultMemory;
  readonly #header: Uint32Array;

  constructor(bytes = ARENA_BYTES) {
    this.memory = new ResultMemory(new ArrayBuffer(bytes));
    this.#header = this.memory.u32;
  }

  /** Byte offset of the result the last call placed. */
  get offset(): number {
    return this.#header[0] as number;
  }

  /** Row count of the result the last call placed. */
  get rows(): number {
    return this.#header[1] as number;
  }

  /** A result did not fit: the driver should attach a fresh arena. */
  get full(): boolean {
    return this.#header[2] === 1;
  }
}
