// The samples of docs/api.md's "Generated values and defaults" (docs/samples/defaults), run on
// every database × driver.
import { runSamplesIn } from "./run-samples.js";

runSamplesIn("defaults");
