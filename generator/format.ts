/** Formats generated files with prettier (printWidth 100), the repository's style. */
import { format } from "prettier";

const PRETTIER_OPTIONS = { parser: "typescript", printWidth: 100 } as const;

function formatSource(source: string): Promise<string> {
  return format(source, PRETTIER_OPTIONS);
}

/** Formats every file of an `emit` result, keeping its order. */
export async function formatFiles(
  files: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const entries = await Promise.all(
    [...files].map(async ([path, source]) => [path, await formatSource(source)] as const),
  );
  return new Map(entries);
}
