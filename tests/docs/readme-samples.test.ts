// The samples of README.md (docs/samples/readme), run on every database × driver.
import { runSamplesIn } from "./run-samples.js";

runSamplesIn("readme");
