// Fields named `meta`, `objects`, `loaded` and `prototype` (names the model class itself uses
// or once reserved) round-trip like any other field on every database × driver. The client is
// the golden output of tests/generator/fixtures/member-names, which also type-checks it.
import { expect, it } from "vitest";
import { Gadget, GadgetPart } from "../generator/fixtures/member-names/expected/index.js";
import { forEachTarget } from "./harness.js";

forEachTarget(() => {
  it("creates, filters, updates, saves and reloads them", async () => {
    const g = await Gadget.create({
      meta: { tags: ["a"], n: 1 },
      objects: 3,
      loaded: true,
      prototype: "p",
    });
    expect([g.meta, g.objects, g.loaded, g.prototype]).toEqual([
      { tags: ["a"], n: 1 },
      3,
      true,
      "p",
    ]);
    // The class keeps its own metadata and manager beside the fields of the same names.
    expect(Gadget.meta.name).toBe("Gadget");
    expect(Gadget.objects.meta.table).toBe("gadget");

    await GadgetPart.create({ name: "wheel", gadget: g });
    expect(await Gadget.filter({ meta__isnull: false, objects: 3, loaded: true }).count()).toBe(1);
    expect(await GadgetPart.filter({ gadget__loaded: true, gadget__prototype: "p" }).count()).toBe(
      1,
    );
    expect(await Gadget.all().values("meta", "objects", "loaded")).toEqual([
      { meta: { tags: ["a"], n: 1 }, objects: 3, loaded: true },
    ]);

    await Gadget.filter({ id: g.id }).update({ objects: 4, meta: null });
    await g.refreshFromDb();
    g.loaded = false;
    g.prototype = "q";
    await g.save();
    await g.refreshFromDb();
    expect([g.meta, g.objects, g.loaded, g.prototype]).toEqual([null, 4, false, "q"]);

    // A relation loaded onto an instance with a field named `loaded` reads as usual.
    const [part] = await GadgetPart.all().selectRelated("gadget");
    expect(part!.gadget.objects).toBe(4);
    expect(part!.gadget.loaded).toBe(false);
    await g.fetchRelated("parts");
    expect(g.parts.loaded.map((p) => p.name)).toEqual(["wheel"]);
    await g.delete();
    expect(await Gadget.all().count()).toBe(0);
  });
});
