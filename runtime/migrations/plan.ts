/**
 * A loaded folder replayed into states (the state before each migration and after the last) and
 * the steps of one migration in either direction: up renders each operation against the states
 * around it; down renders each inverse, last operation first.
 */
import type { Dialect } from "../dialect/dialect.js";
import { MigrationError } from "../errors.js";
import type { LoadedMigration } from "./folder.js";
import { inverseOf } from "./inverse.js";
import { renderOperation, type Step } from "./render.js";
import { applyOperation, EMPTY_STATE, type SchemaState } from "./state.js";

export interface MigrationPlan {
  readonly migrations: readonly LoadedMigration[];
  /** `before[i]`: the state migration i starts from; `before[migrations.length]`: the final one. */
  readonly before: readonly SchemaState[];
}

export function planMigrations(migrations: readonly LoadedMigration[]): MigrationPlan {
  const before: SchemaState[] = [EMPTY_STATE];
  let state = EMPTY_STATE;
  for (const m of migrations) {
    m.operations.forEach((op, i) => {
      try {
        state = applyOperation(state, op);
      } catch (error) {
        throw new MigrationError(
          `${m.file}: operation ${i + 1} (${op.op}): ${(error as Error).message}`,
          {
            file: m.file,
            cause: error,
          },
        );
      }
    });
    before.push(state);
  }
  return { migrations, before };
}

/** The statements (and runCode functions) of migration `index`, up or down. */
export function migrationSteps(
  plan: MigrationPlan,
  index: number,
  dialect: Dialect,
  direction: "up" | "down",
): Step[] {
  const m = plan.migrations[index]!;
  const states: SchemaState[] = [plan.before[index]!];
  for (const op of m.operations) states.push(applyOperation(states.at(-1)!, op));
  const steps: Step[] = [];
  try {
    if (direction === "up") {
      m.operations.forEach((op, i) =>
        steps.push(...renderOperation(op, states[i]!, states[i + 1]!, dialect)),
      );
    } else {
      for (let i = m.operations.length - 1; i >= 0; i--) {
        const inverse = inverseOf(m.operations[i]!, states[i]!);
        steps.push(...renderOperation(inverse, states[i + 1]!, states[i]!, dialect));
      }
    }
  } catch (error) {
    if (error instanceof MigrationError && error.file !== undefined) throw error;
    throw new MigrationError(`${m.file}: ${(error as Error).message}`, {
      file: m.file,
      cause: error,
    });
  }
  return steps;
}

/** The index of `target` (a full name or its four-digit number); -1 for "zero". */
export function targetIndex(plan: MigrationPlan, target: string): number {
  if (target === "zero") return -1;
  const i = plan.migrations.findIndex((m) => m.name === target || m.name.slice(0, 4) === target);
  if (i < 0) {
    const names = plan.migrations.map((m) => m.name).join(", ") || "(none)";
    throw new MigrationError(
      `unknown migration target "${target}"; the folder has: ${names}, or "zero"`,
    );
  }
  return i;
}
