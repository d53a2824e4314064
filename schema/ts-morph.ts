/**
 * ts-morph for the schema reader, loaded with `require`: an ESM `import` of this CommonJS
 * package first scans its 1 MB entry file for export names (cjs-module-lexer), about 150 ms of
 * CPU in every cold `yara-gen` run. The names and types are ts-morph's own.
 */
import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";

const tsMorph = createRequire(import.meta.url)("ts-morph") as typeof TsMorph;

export const { Node, Project, SyntaxKind, ts } = tsMorph;
export type Node = TsMorph.Node;
export type Project = TsMorph.Project;
export type SyntaxKind = TsMorph.SyntaxKind;
export type {
  CallExpression,
  Expression,
  ObjectLiteralExpression,
  PrefixUnaryExpression,
  SourceFile,
} from "ts-morph";
