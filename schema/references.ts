/**
 * Resolves the field names `ordering`, `uniqueTogether` and `indexes` use. Each name is a field
 * (including the implicit `id` and key fields such as `authorId`) or a to-one relation, which
 * stands for its key field; the IR lists field names only.
 */
import type { FieldIR, RelationIR } from "./ir.js";
import { closestName } from "./naming.js";
import type { ProblemList } from "./problems.js";
import { option, type RawOptions } from "./raw.js";

export interface ResolvedReferences {
  readonly ordering: readonly string[];
  readonly uniqueTogether: readonly (readonly string[])[];
  readonly indexes: readonly (readonly string[])[];
}

interface Lists {
  readonly ordering?: readonly string[] | undefined;
  readonly uniqueTogether?: readonly (readonly string[])[] | undefined;
  readonly indexes?: readonly (readonly string[])[] | undefined;
}

export function resolveReferences(
  model: string,
  fields: readonly FieldIR[],
  relations: readonly RelationIR[],
  lists: Lists,
  raw: RawOptions,
  problems: ProblemList,
): ResolvedReferences {
  const resolve = (listName: keyof Lists, name: string): string => {
    if (fields.some((f) => f.name === name)) return name;
    const relation = relations.find((r) => r.name === name);
    if (relation?.keyField !== undefined && !relation.kind.startsWith("reverse"))
      return relation.keyField;
    const loc = option(raw, listName)?.loc ?? raw.loc;
    if (relation !== undefined) {
      problems.add(
        loc,
        `${listName} of model \`${model}\` names \`${name}\`, a to-many relation without a column; use a field`,
      );
      return name;
    }
    const close = closestName(name, [
      ...fields.map((f) => f.name),
      ...relations.map((r) => r.name),
    ]);
    const hint =
      close === undefined
        ? `use one of ${fields.map((f) => f.name).join(", ")}`
        : `did you mean \`${close}\`?`;
    problems.add(
      loc,
      `${listName} of model \`${model}\` names \`${name}\`, which is not a field of \`${model}\`; ${hint}`,
    );
    return name;
  };
  const ordering = (lists.ordering ?? []).map((entry) => {
    const descending = entry.startsWith("-");
    const field = resolve("ordering", descending ? entry.slice(1) : entry);
    return descending ? `-${field}` : field;
  });
  const uniqueTogether = (lists.uniqueTogether ?? []).map((entry) =>
    entry.map((n) => resolve("uniqueTogether", n)),
  );
  const indexes = (lists.indexes ?? []).map((entry) => entry.map((n) => resolve("indexes", n)));
  return { ordering, uniqueTogether, indexes };
}
