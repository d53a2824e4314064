// The samples of docs/api.md's "Many-to-many through a model" (docs/samples/through), run on
// every database × driver.
import { runSamplesIn } from "./run-samples.js";

runSamplesIn("through");
