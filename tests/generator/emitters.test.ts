/** Each emitter on a small hand-written IR, laid out as it is printed, as inline snapshots. */
import { describe, expect, it } from "vitest";
import { modelContexts, type ModelContext } from "../../generator/context.js";
import { emitClass, emitTypes } from "../../generator/emit-class.js";
import { emitDecoder } from "../../generator/emit-decoder.js";
import { emitEnums } from "../../generator/emit-enums.js";
import { emitFieldTypes } from "../../generator/emit-field-types.js";
import { emitCreate, emitUpdate } from "../../generator/emit-inputs.js";
import { emitColumns, emitMeta } from "../../generator/emit-meta.js";
import { emitModelFile } from "../../generator/emit-model-file.js";
import { emitCreateSchema, emitUpdateSchema } from "../../generator/emit-schemas.js";
import { emitRelationPaths } from "../../generator/emit-relation-paths.js";
import { emitWhere } from "../../generator/emit-where.js";
import type { Doc } from "../../generator/print/doc.js";
import { printDoc } from "../../generator/print/printer.js";
import { readSchema } from "../../schema/compile.js";
import { bookstore, field, model, pk, relation, schema } from "./ir-builders.js";
import { stressSchema } from "./support/stress-schema.js";

/** A section as it is printed in its file (without the file's final newline). */
const show = (doc: Doc | null): string => (doc === null ? "" : printDoc(doc));

function contextOf(name: string, ir = bookstore()): ModelContext {
  const ctx = modelContexts(ir).find((c) => c.model.name === name);
  if (!ctx) throw new Error(`no model ${name}`);
  return ctx;
}

/** A model with a nullable FK, an enum, JSON and a bigint. */
function tickets() {
  return schema(
    model(
      "User",
      [pk(), field("name", "text")],
      [relation("tickets", "reverseForeignKey", "Ticket", "assignee", { keyField: "assigneeId" })],
    ),
    model(
      "Ticket",
      [
        pk(),
        field("status", "charEnum", {
          maxLength: 8,
          enumValues: ["open", "closed"],
          default: "open",
        }),
        field("priority", "intEnum", { enumValues: [1, 2, 3], nullable: true }),
        field("payload", "json", { nullable: true }),
        field("views", "bigint", { default: 0 }),
        field("openedOn", "date"),
        field("assigneeId", "int", { nullable: true, relation: "assignee", column: "assignee_id" }),
      ],
      [
        relation("assignee", "foreignKey", "User", "tickets", {
          nullable: true,
          onDelete: "SET NULL",
        }),
      ],
    ),
  );
}

describe("emitters", () => {
  it("relation paths: to-one chains for selectRelated, any relation for prefetch, no way back", () => {
    expect(show(emitRelationPaths(contextOf("Book")))).toMatchInlineSnapshot(`
      "/** Relation paths selectRelated loads with JOINs: to-one relations, up to 3 hops. */
      export type BookRelatedPath = "author";

      /** Relation paths prefetchRelated and fetchRelated load: any relation, up to 2 hops. */
      export type BookPrefetchPath = "author" | "tags";"
    `);
    expect(show(emitRelationPaths(contextOf("User", tickets())))).toMatchInlineSnapshot(`
      "/** Relation paths selectRelated loads with JOINs: to-one relations, up to 3 hops. */
      export type UserRelatedPath = never;

      /** Relation paths prefetchRelated and fetchRelated load: any relation, up to 2 hops. */
      export type UserPrefetchPath = "tickets";"
    `);
  });

  it("meta lists only what differs from the defaults (modelMeta fills them in)", () => {
    expect(show(emitMeta(contextOf("Tag")))).toMatchInlineSnapshot(`
      "export const tagMeta: ModelMeta = modelMeta({
        name: "Tag",
        fields: [
          { name: "id", kind: "int", generated: true },
          { name: "name", kind: "char", unique: true, maxLength: 50 },
        ],
        relations: [
          {
            name: "books",
            kind: "reverseManyToMany",
            target: "Book",
            inverse: "tags",
            through: { table: "books_tag", sourceColumn: "book_id", targetColumn: "tag_id" },
          },
        ],
      });"
    `);
  });

  it("columns are an explicit, quoted list in decoder order", () => {
    expect(show(emitColumns(contextOf("Book")))).toMatchInlineSnapshot(`
      "/** The columns decodeBook reads, in order: Book's plain select list. */
      export const BOOK_COLUMNS = \`"books"."id", "books"."title", "books"."price", "books"."published", "books"."author_id"\`;"
    `);
  });

  it("decoder reads positionally, checks NULL only on nullable fields and casts enums", () => {
    expect(show(emitDecoder(contextOf("Ticket", tickets())))).toMatchInlineSnapshot(`
      "/** Reads one Ticket from row \`i\`, starting at column \`c\` (joined models start later). */
      export function decodeTicket(r: RowReader, i: number, c = 0): Ticket {
        return new Ticket(
          r.int(c, i),
          r.text(c + 1, i) as TicketStatus,
          r.isNull(c + 2, i) ? null : (r.int(c + 2, i) as TicketPriority),
          r.isNull(c + 3, i) ? null : (r.json(c + 3, i) as JsonValue),
          r.bigint(c + 4, i),
          r.date(c + 5, i),
          r.isNull(c + 6, i) ? null : r.int(c + 6, i),
        );
      }"
    `);
  });

  it("enum fields get a named literal union", () => {
    expect(show(emitEnums(contextOf("Ticket", tickets())))).toMatchInlineSnapshot(`
      "/** Values of Ticket.status. */
      export type TicketStatus = "open" | "closed";

      /** Values of Ticket.priority. */
      export type TicketPriority = 1 | 2 | 3;"
    `);
  });

  it("where types stack own keys, one hop and two hops", () => {
    expect(show(emitWhere(contextOf("Book")))).toMatchInlineSnapshot(`
      "/** Book's own filter keys: \`field\` (exact), \`field__lookup\`, \`relation\`. */
      export interface BookOwnWhere
        extends
          Lookups<"id", number>,
          TextLookups<"title", string>,
          Lookups<"price", string | number, null>,
          Lookups<"published", boolean>,
          Lookups<"authorId", number>,
          Lookups<"pk", number>,
          RelationLookups<"author", Author | number>,
          RelationLookups<"tags", Tag | number> {}

      /** Every filter key of Book: own keys plus relation paths up to two hops. */
      export interface BookWhere
        extends
          BookOwnWhere,
          PrefixedWhere<"author", AuthorOwnWhere>,
          PrefixedWhere<"tags", TagOwnWhere> {}"
    `);
  });

  it("field types follow only to-one relations, nullable ones through NullablePrefixedFields", () => {
    expect(show(emitFieldTypes(contextOf("Ticket", tickets())))).toMatchInlineSnapshot(`
      "/** Value types of Ticket's own fields. */
      export interface TicketOwnFieldTypes {
        id: number;
        status: TicketStatus;
        priority: TicketPriority | null;
        payload: JsonValue | null;
        views: bigint;
        openedOn: string;
        assigneeId: number | null;
      }

      /** TicketOwnFieldTypes plus the fields of models one to-one relation away. */
      export interface TicketNearFieldTypes
        extends TicketOwnFieldTypes, NullablePrefixedFields<"assignee", UserOwnFieldTypes> {}

      /** Every path of Ticket for orderBy, values, valuesList and only, with its value type. */
      export interface TicketFieldTypes
        extends TicketOwnFieldTypes, NullablePrefixedFields<"assignee", UserNearFieldTypes> {}

      /** Fields one to-many relation away, read by aggregates such as \`Sum("books__price")\`. */
      export interface TicketManyFieldTypes {}"
    `);
  });

  it("create makes the FK an either/or and optional when nullable", () => {
    const book = contextOf("Book");
    const ticket = contextOf("Ticket", tickets());
    expect(`${show(emitCreate(book))}\n${show(emitCreate(ticket))}`).toMatchInlineSnapshot(`
      "/** Input of Book.create and bulkCreate. */
      export type BookCreate = {
        id?: number;
        title: string;
        price?: string | number | null;
        published?: boolean;
      } & ({ author: Author; authorId?: never } | { authorId: number; author?: never });
      /** Input of Ticket.create and bulkCreate. */
      export type TicketCreate = {
        id?: number;
        status?: TicketStatus;
        priority?: TicketPriority | null;
        payload?: JsonValue | null;
        views?: bigint;
        openedOn: string;
      } & (
        { assignee?: User | null; assigneeId?: never } | { assigneeId?: number | null; assignee?: never }
      );"
    `);
  });

  it("update makes everything optional and accepts expressions", () => {
    expect(show(emitUpdate(contextOf("Ticket", tickets())))).toMatchInlineSnapshot(`
      "/** Input of update() and updateOrCreate defaults: all optional, values may be expressions. */
      export interface TicketUpdate {
        id?: number | Expression;
        status?: TicketStatus | Expression;
        priority?: TicketPriority | null | Expression;
        payload?: JsonValue | null | Expression;
        views?: bigint | Expression;
        openedOn?: string | Expression;
        assigneeId?: number | null | Expression;
        assignee?: User | null;
      }"
    `);
  });

  it("zod schemas check kinds, lengths, enums, ranges and decimals", () => {
    const ctx = contextOf("Ticket", tickets());
    expect(`${show(emitCreateSchema(ctx))}\n${show(emitUpdateSchema(contextOf("Book")))}`)
      .toMatchInlineSnapshot(`
        "/** Checks create input before any SQL; the manager reports failures as ValidationError. */
        export const ticketCreateSchema = inputs.strictObject({
          id: inputs.int().optional(),
          status: inputs.charEnum(["open", "closed"]).optional(),
          priority: inputs.intEnum([1, 2, 3]).nullable().optional(),
          payload: inputs.json().nullable().optional(),
          views: inputs.bigint().optional(),
          openedOn: inputs.date(),
          assigneeId: inputs.int().nullable().optional(),
          assignee: inputs.instanceOf(Model).nullable().optional(),
        });
        /** Checks update input (values or expressions) before any SQL. */
        export const bookUpdateSchema = inputs.strictObject({
          id: inputs.orExpression(inputs.int()).optional(),
          title: inputs.orExpression(inputs.char(200)).optional(),
          price: inputs.orExpression(inputs.decimal(10, 2).nullable()).optional(),
          published: inputs.orExpression(inputs.boolean()).optional(),
          authorId: inputs.orExpression(inputs.int()).optional(),
          author: inputs.instanceOf(Model).optional(),
        });"
      `);
  });

  it("the class declares statics typed as its manager's methods and exposes loaded relations", () => {
    const ctx = contextOf("Ticket", tickets());
    expect(`${show(emitTypes(ctx))}\n\n${show(emitClass(ctx))}`).toMatchInlineSnapshot(`
      "/** Everything the runtime's ModelManager and QuerySet need to know about Ticket's types. */
      export interface TicketTypes extends ModelTypes {
        model: Ticket;
        where: TicketWhere;
        fields: TicketFieldTypes;
        many: TicketManyFieldTypes;
        create: TicketCreate;
        update: TicketUpdate;
        pk: number;
        own: keyof TicketOwnFieldTypes | "assignee";
        related: TicketRelatedPath;
        prefetch: TicketPrefetchPath;
      }

      export class Ticket extends Model {
        static readonly meta: ModelMeta = ticketMeta;
        static readonly objects: ModelManager<TicketTypes> = new ModelManager<TicketTypes>(Ticket, {
          decode: decodeTicket,
          columns: TICKET_COLUMNS,
          createSchema: ticketCreateSchema,
          updateSchema: ticketUpdateSchema,
        });

        id: number;
        status: TicketStatus;
        priority: TicketPriority | null;
        payload: JsonValue | null;
        views: bigint;
        openedOn: string;
        assigneeId: number | null;

        constructor(
          id: number,
          status: TicketStatus,
          priority: TicketPriority | null,
          payload: JsonValue | null,
          views: bigint,
          openedOn: string,
          assigneeId: number | null,
        ) {
          super();
          this.id = id;
          this.status = status;
          this.priority = priority;
          this.payload = payload;
          this.views = views;
          this.openedOn = openedOn;
          this.assigneeId = assigneeId;
        }

        /** The assignee, once loaded (selectRelated, prefetchRelated, fetchRelated). */
        get assignee(): User | null {
          return this._loaded<User | null>("assignee");
        }

        /** Sets the assignee (a saved instance) and its key; \`save()\` writes it. */
        set assignee(value: User | null) {
          setRelated(this, "assignee", value);
        }

        /** Loads these relation paths onto this instance (one query per level). */
        override fetchRelated(...relations: TicketPrefetchPath[]): Promise<void> {
          return super.fetchRelated(...relations);
        }

        /** Writes the fields changed since loading (or \`updateFields\`); INSERTs when the key is unset. */
        override save(options?: SaveOptions<TicketTypes>): Promise<void> {
          return super.save(options);
        }

        /** Reloads these fields (every field when none are named) from the database. */
        override refreshFromDb(fields?: RefreshFields<TicketTypes>): Promise<void> {
          return super.refreshFromDb(fields);
        }

        declare static readonly create: ModelManager<TicketTypes>["create"];
        declare static readonly bulkCreate: ModelManager<TicketTypes>["bulkCreate"];
        declare static readonly get: ModelManager<TicketTypes>["get"];
        declare static readonly getOrNone: ModelManager<TicketTypes>["getOrNone"];
        declare static readonly getOrCreate: ModelManager<TicketTypes>["getOrCreate"];
        declare static readonly updateOrCreate: ModelManager<TicketTypes>["updateOrCreate"];
        declare static readonly all: ModelManager<TicketTypes>["all"];
        declare static readonly filter: ModelManager<TicketTypes>["filter"];
        declare static readonly exclude: ModelManager<TicketTypes>["exclude"];
        declare static readonly first: ModelManager<TicketTypes>["first"];
        declare static readonly raw: ModelManager<TicketTypes>["raw"];

        declare static readonly annotate: QuerySet<TicketTypes>["annotate"];
        declare static readonly count: QuerySet<TicketTypes>["count"];
        declare static readonly exists: QuerySet<TicketTypes>["exists"];
        declare static readonly orderBy: QuerySet<TicketTypes>["orderBy"];
        declare static readonly values: QuerySet<TicketTypes>["values"];
        declare static readonly valuesList: QuerySet<TicketTypes>["valuesList"];
        declare static readonly only: QuerySet<TicketTypes>["only"];
        declare static readonly selectRelated: QuerySet<TicketTypes>["selectRelated"];
        declare static readonly prefetchRelated: QuerySet<TicketTypes>["prefetchRelated"];
        declare static readonly selectForUpdate: QuerySet<TicketTypes>["selectForUpdate"];
      }

      registerModel(Ticket);"
    `);
  });

  it("imports name exactly what the sections used", () => {
    const ctx = contextOf("Book");
    emitWhere(ctx);
    emitClass(ctx);
    expect(show(ctx.imports.render())).toMatchInlineSnapshot(`
      "import {
        Model,
        ModelManager,
        registerModel,
        RelatedManager,
        setRelated,
        type Lookups,
        type ModelMeta,
        type PrefixedWhere,
        type QuerySet,
        type RefreshFields,
        type RelationLookups,
        type SaveOptions,
        type TextLookups,
      } from "yara-orm";
      import type { Author, AuthorOwnWhere } from "./author.js";
      import type { Tag, TagOwnWhere, TagTypes } from "./tag.js";
      // Registers related models before any query resolves a relation target.
      import "./author.js";
      import "./tag.js";"
    `);
  });

  it("a .js file given the models its .d.ts named is the file that emits its type sections for them", () => {
    // emit.ts hands each `.js` file the models its `.d.ts` named instead of emitting its type
    // sections again: that holds while no emitter names a model for one target only.
    const stress = readSchema("stress.schema.ts", { sourceText: stressSchema() });
    if (!stress.ok) throw new Error(stress.problems.map((p) => p.message).join("\n"));
    for (const ir of [bookstore(), tickets(), stress.ir]) {
      const declarations = modelContexts(ir, "dts");
      const given = modelContexts(ir, "js");
      const alone = modelContexts(ir, "js");
      ir.models.forEach((m, i) => {
        emitModelFile(declarations[i]!, "schema.ts");
        const related = declarations[i]!.imports.relatedModels();
        expect(emitModelFile(given[i]!, "schema.ts", related), m.name).toBe(
          emitModelFile(alone[i]!, "schema.ts"),
        );
      });
    }
  });
});
