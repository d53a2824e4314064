// The samples of docs/api.md's "Lookups" (docs/samples/lookups), run on every database × driver.
import { runSamplesIn } from "./run-samples.js";

runSamplesIn("lookups");
