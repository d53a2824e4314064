/**
 * Runs a feature test file once per database × driver (tests/support/targets.ts), each on its
 * own isolated database with the schema of ./app.schema.ts created.
 */
import { describe } from "vitest";
import { isolate, targets, useDatabase, type Target } from "../support/targets.js";
import { Author, Book, Item, Tag } from "./generated/index.js";

export { isolate, type Target };

export function forEachTarget(body: (target: Target) => void): void {
  for (const target of targets()) {
    describe(target.name, () => {
      useDatabase(target);
      body(target);
    });
  }
}

/** Deletes every row, children first, so each test starts from empty tables. */
export async function resetData(): Promise<void> {
  await Book.all().delete();
  await Author.all().delete();
  await Tag.all().delete();
  await Item.all().delete();
}
