// The app of tests/install/packaged-app.test.ts: written as a user writes one against the
// installed packages (no top-level await, so it also compiles to CommonJS). It prints one line
// of JSON the test reads: what it queried, and which driver served it.
import { Author, Book, YaraOrm, nativeEngineStatus } from "./generated/index.js";

async function main(url: string): Promise<void> {
  await YaraOrm.init(url);
  try {
    await YaraOrm.generateSchemas();
    const ada = await Author.create({ name: "Ada" });
    await Book.bulkCreate([
      { title: "Notes", price: "19.99", author: ada },
      { title: "Sketches", price: null, author: ada },
    ]);
    const cheap = await Book.filter({ author__name: "Ada", price__lt: "20" });
    const count = await Book.filter({ author: ada }).count();
    console.log(
      JSON.stringify({
        driver: YaraOrm.driver.name,
        engine: nativeEngineStatus(),
        titles: cheap.map((b) => b.title),
        count,
      }),
    );
  } finally {
    await YaraOrm.close();
  }
}

main(process.argv[2] ?? "sqlite://:memory:").catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
