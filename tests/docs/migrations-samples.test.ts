// The samples of docs/migrations.md (docs/samples/migrations), run on every database × driver.
import { runSamplesIn } from "./run-samples.js";

runSamplesIn("migrations");
