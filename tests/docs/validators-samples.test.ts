// The samples of docs/api.md's "Validators" (docs/samples/validators), run on every
// database × driver.
import { runSamplesIn } from "./run-samples.js";

runSamplesIn("validators");
