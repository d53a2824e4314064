/**
 * selectRelated: to-one relations loaded in the same SELECT. Each relation's columns follow the
 * root's, in field order, from its LEFT JOIN alias; the target's generated decoder reads them
 * at their offset, and the instance is attached as a loaded relation of its parent.
 */
import type { ExpressionNode } from "../ast/node.js";
import type { RowReader } from "../driver/driver.js";
import type { ModelMeta } from "../model/meta.js";
import { type ModelRecord, setLoadedRelation } from "../model/record.js";
import { modelByName } from "../registry.js";
import { columnOf, type Scope } from "./scope.js";
import { needsBigints } from "./decode.js";
import { type Step, toOneSteps } from "./path.js";

/** `paths` plus every prefix, parents first, validated. */
export function relatedPaths(
  meta: ModelMeta,
  existing: readonly string[],
  paths: readonly string[],
): string[] {
  const out = [...existing];
  for (const path of paths) {
    toOneSteps(meta, path);
    const segments = path.split("__");
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i).join("__");
      if (!out.includes(prefix)) out.push(prefix);
    }
  }
  return out;
}

export function relatedColumns(scope: Scope, paths: readonly string[]): ExpressionNode[] {
  const columns: ExpressionNode[] = [];
  for (const path of paths) {
    const steps = toOneSteps(scope.model, path);
    const alias = scope.aliasOf(steps);
    for (const field of steps[steps.length - 1]!.to.fields) columns.push(columnOf(alias, field));
  }
  return columns;
}

export function relatedNeedBigints(meta: ModelMeta, paths: readonly string[]): boolean {
  return paths.some((p) => needsBigints(lastStep(toOneSteps(meta, p)).to.fields));
}

function lastStep(steps: readonly Step[]): Step {
  return steps[steps.length - 1]!;
}

/** How to read one selectRelated path from a row: where its columns start and whom it hangs on. */
export interface RelatedRead {
  readonly path: string;
  readonly parentPath: string;
  readonly relation: string;
  /** Offset of the target's primary key among its columns. */
  readonly pkIndex: number;
  readonly width: number;
  readonly decode: (r: RowReader, i: number, c?: number) => unknown;
}

/** The reads for `paths`, resolved once per result rather than once per row. */
export function relatedReads(meta: ModelMeta, paths: readonly string[]): RelatedRead[] {
  return paths.map((path) => {
    const step = lastStep(toOneSteps(meta, path));
    const target = step.to;
    return {
      path,
      parentPath: path.includes("__") ? path.slice(0, path.lastIndexOf("__")) : "",
      relation: step.relation.name,
      pkIndex: target.fields.findIndex((f) => f.name === target.pk),
      width: target.fields.length,
      decode: modelByName(target.name).objects.decode,
    };
  });
}

/** Attaches the related instances of row `i` (columns from `offset` on) to `root`; returns the next column. */
export function attachRelated(
  root: ModelRecord,
  reads: readonly RelatedRead[],
  r: RowReader,
  i: number,
  offset: number,
): number {
  const byPath = new Map<string, ModelRecord | null>([["", root]]);
  let c = offset;
  for (const read of reads) {
    const value = r.isNull(c + read.pkIndex, i) ? null : (read.decode(r, i, c) as ModelRecord);
    const parent = byPath.get(read.parentPath);
    if (parent) setLoadedRelation(parent, read.relation, value);
    byPath.set(read.path, value);
    c += read.width;
  }
  return c;
}
