// The samples of docs/api.md's "Abstract models (mixins)" (docs/samples/mixins), run on every
// database × driver.
import { runSamplesIn } from "./run-samples.js";

runSamplesIn("mixins");
