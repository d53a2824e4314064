// The samples of docs/scaling.md (docs/samples/scaling), run on every database × driver.
import { runSamplesIn } from "./run-samples.js";

runSamplesIn("scaling");
