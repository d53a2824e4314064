/**
 * The relation paths a model's loading methods accept, as plain literal unions:
 *
 *   BookRelatedPath   selectRelated: to-one relations (forward keys and reverse one-to-ones),
 *                     up to RELATED_DEPTH hops: "author" | "author__profile"
 *   BookPrefetchPath  prefetchRelated and fetchRelated: any relation, up to PREFETCH_DEPTH
 *                     hops: "author" | "tags" | "author__books" | "tags__books"
 *
 * A hop straight back through the inverse relation (`author__books` from Book) is left out.
 * The runtime accepts any depth and such paths too; the bound only keeps the unions small (they are spelt out
 * here, never computed by the type checker, so they cost next to nothing to check).
 */
import type { ModelIR, RelationIR } from "../schema/ir.js";
import { targetOf, type ModelContext } from "./context.js";
import { prefetchPathName, relatedPathName } from "./naming.js";
import { hardline, type Doc } from "./print/doc.js";
import { unionTypeAlias } from "./print/syntax.js";

export const RELATED_DEPTH = 3;
export const PREFETCH_DEPTH = 2;

function isToOne(relation: RelationIR): boolean {
  return (
    relation.kind === "foreignKey" ||
    relation.kind === "oneToOne" ||
    relation.kind === "reverseOneToOne"
  );
}

interface Reached {
  readonly path: string;
  readonly model: ModelIR;
  /** The relation the last hop took. */
  readonly via: RelationIR | undefined;
}

/** `book.author` then `author.books` only leads back to where the path came from. */
function isWayBack(via: RelationIR, relation: RelationIR): boolean {
  return via.inverse === relation.name && via.name === relation.inverse;
}

/** Every path of `depth` hops or fewer through relations `follow` accepts, shortest first. */
function paths(
  ctx: ModelContext,
  follow: (relation: RelationIR) => boolean,
  depth: number,
): string[] {
  const out: string[] = [];
  let level: Reached[] = [{ path: "", model: ctx.model, via: undefined }];
  for (let hop = 0; hop < depth; hop++) {
    const next: Reached[] = [];
    for (const { path, model, via } of level) {
      for (const relation of model.relations.filter(follow)) {
        if (via && isWayBack(via, relation)) continue;
        const joined = path === "" ? relation.name : `${path}__${relation.name}`;
        out.push(joined);
        next.push({ path: joined, model: targetOf(ctx, relation), via: relation });
      }
    }
    level = next;
  }
  return out;
}

function union(items: readonly string[]): string[] {
  return items.length === 0 ? ["never"] : items.map((p) => JSON.stringify(p));
}

export function emitRelationPaths(ctx: ModelContext): Doc {
  const n = ctx.model.name;
  const related = paths(ctx, isToOne, RELATED_DEPTH);
  const prefetch = paths(ctx, () => true, PREFETCH_DEPTH);
  return [
    `/** Relation paths selectRelated loads with JOINs: to-one relations, up to ${RELATED_DEPTH} hops. */`,
    hardline,
    unionTypeAlias(relatedPathName(n), union(related)),
    hardline,
    hardline,
    `/** Relation paths prefetchRelated and fetchRelated load: any relation, up to ${PREFETCH_DEPTH} hops. */`,
    hardline,
    unionTypeAlias(prefetchPathName(n), union(prefetch)),
  ];
}
