/**
 * Models on different named connections (`model(fields, { connection })`) live in different
 * databases: a relation between them could not be joined, nor its foreign key enforced, so it
 * is a problem at the relation.
 */
import type { ModelIR } from "./ir.js";
import type { ProblemList } from "./problems.js";

export function checkConnections(models: readonly ModelIR[], problems: ProblemList): void {
  const byName = new Map(models.map((m) => [m.name, m]));
  for (const model of models) {
    for (const relation of model.relations) {
      if (relation.kind.startsWith("reverse")) continue;
      const target = byName.get(relation.target);
      if (target === undefined || target.connection === model.connection) continue;
      problems.add(
        relation.loc,
        `relation \`${model.name}.${relation.name}\` links models on different connections ` +
          `(${named(model)} and ${relation.target} on ${named(target)}); a relation cannot cross databases`,
      );
    }
  }
}

function named(model: ModelIR): string {
  return model.connection === undefined ? "the default connection" : `"${model.connection}"`;
}
