// The samples of docs/api.md (docs/samples/api), run on every database × driver.
import { runSamplesIn } from "./run-samples.js";

runSamplesIn("api");
