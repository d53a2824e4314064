/** Each test of the enclosing describe on a database of its own, with YaraOrm bound to it. */
import { afterEach, beforeEach } from "vitest";
import { YaraOrm } from "../../../runtime/orm.js";
import { isolate, type IsolatedDatabase, type Target } from "../../support/targets.js";

export function useFreshDatabase(t: Target): void {
  let db: IsolatedDatabase | undefined;
  beforeEach(async () => {
    db = await isolate(t);
    await YaraOrm.init(db.url, { driver: t.driver });
  });
  afterEach(async () => {
    await YaraOrm.close();
    await db?.dispose();
  });
}
