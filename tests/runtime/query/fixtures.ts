/**
 * Hand-written models in the shape yara-gen emits (docs/design.md): Author, Book (FK author,
 * M2M tags), Tag, Category (self FK), Profile (one-to-one to Author) and Item (every field kind).
 */
import { z } from "zod";
import type { FieldMeta, ModelMeta, RelationMeta, RowReader } from "../../../runtime/index.js";
import { Model, ModelManager, registerModel, type ModelTypes } from "../../../runtime/index.js";

function field(
  name: string,
  column: string,
  kind: FieldMeta["kind"],
  extra: Partial<FieldMeta> = {},
): FieldMeta {
  return {
    name,
    column,
    kind,
    pk: false,
    nullable: false,
    generated: false,
    autoNow: false,
    autoNowAdd: false,
    ...extra,
  } as FieldMeta;
}
function rel(
  name: string,
  kind: RelationMeta["kind"],
  target: string,
  inverse: string,
  extra: Partial<RelationMeta> = {},
): RelationMeta {
  return { name, kind, target, inverse, nullable: false, ...extra };
}
const idField = field("id", "id", "int", { pk: true, generated: true });
const through = { table: "book_tags", sourceColumn: "book_id", targetColumn: "tag_id" };

export const authorMeta: ModelMeta = {
  name: "Author",
  table: "authors",
  pk: "id",
  fields: [
    idField,
    field("name", "name", "char", { maxLength: 100 }),
    field("email", "email", "char", { maxLength: 200, nullable: true }),
    field("createdAt", "created_at", "datetime", { autoNowAdd: true }),
  ],
  relations: [
    rel("books", "reverseForeignKey", "Book", "author", { keyField: "authorId" }),
    rel("profile", "reverseOneToOne", "Profile", "author", { keyField: "authorId" }),
  ],
  ordering: [],
  uniqueTogether: [],
  indexes: [],
};

export const bookMeta: ModelMeta = {
  name: "Book",
  table: "books",
  pk: "id",
  fields: [
    idField,
    field("title", "title", "char", { maxLength: 200 }),
    field("price", "price", "decimal", { maxDigits: 10, decimalPlaces: 2, nullable: true }),
    field("published", "published", "boolean", { default: false }),
    field("authorId", "author_id", "int", { relation: "author" }),
  ],
  relations: [
    rel("author", "foreignKey", "Author", "books", { keyField: "authorId", onDelete: "CASCADE" }),
    rel("tags", "manyToMany", "Tag", "books", { through }),
  ],
  ordering: ["-id"],
  uniqueTogether: [["title", "author"]],
  indexes: [],
};

export const tagMeta: ModelMeta = {
  name: "Tag",
  table: "tags",
  pk: "id",
  fields: [idField, field("name", "name", "char", { maxLength: 50 })],
  relations: [rel("books", "reverseManyToMany", "Book", "tags", { through })],
  ordering: [],
  uniqueTogether: [],
  indexes: [],
};

export const categoryMeta: ModelMeta = {
  name: "Category",
  table: "categories",
  pk: "id",
  fields: [
    idField,
    field("name", "name", "text"),
    field("parentId", "parent_id", "int", { relation: "parent", nullable: true }),
  ],
  relations: [
    rel("parent", "foreignKey", "Category", "children", {
      keyField: "parentId",
      nullable: true,
      onDelete: "SET NULL",
    }),
    rel("children", "reverseForeignKey", "Category", "parent", { keyField: "parentId" }),
  ],
  ordering: [],
  uniqueTogether: [],
  indexes: [],
};

export const profileMeta: ModelMeta = {
  name: "Profile",
  table: "profiles",
  pk: "id",
  fields: [
    idField,
    field("bio", "bio", "text"),
    field("authorId", "author_id", "int", { relation: "author" }),
  ],
  relations: [
    rel("author", "oneToOne", "Author", "profile", { keyField: "authorId", onDelete: "CASCADE" }),
  ],
  ordering: [],
  uniqueTogether: [],
  indexes: [],
};

export const itemMeta: ModelMeta = {
  name: "Item",
  table: "items",
  pk: "uid",
  fields: [
    field("uid", "uid", "uuid", { pk: true }),
    field("big", "big", "bigint", { nullable: true }),
    field("small", "small", "smallint", { nullable: true }),
    field("ratio", "ratio", "float", { nullable: true }),
    field("amount", "amount", "decimal", { maxDigits: 6, decimalPlaces: 2, nullable: true }),
    field("flag", "flag", "boolean", { nullable: true }),
    field("at", "at", "datetime", { nullable: true }),
    field("day", "day", "date", { nullable: true }),
    field("clock", "clock", "time", { nullable: true }),
    field("data", "data", "json", { nullable: true }),
    field("blob", "blob", "binary", { nullable: true }),
    field("color", "color", "charEnum", {
      maxLength: 5,
      enumValues: ["red", "green"],
      nullable: true,
    }),
    field("level", "level", "intEnum", { enumValues: [1, 2, 3], nullable: true }),
    field("updatedAt", "updated_at", "datetime", { autoNow: true }),
  ],
  relations: [],
  ordering: [],
  uniqueTogether: [],
  indexes: [],
};

export const AUTHOR_COLUMNS = `"authors"."id", "authors"."name", "authors"."email", "authors"."created_at"`;
export const BOOK_COLUMNS = `"books"."id", "books"."title", "books"."price", "books"."published", "books"."author_id"`;
const TAG_COLUMNS = `"tags"."id", "tags"."name"`;
const CATEGORY_COLUMNS = `"categories"."id", "categories"."name", "categories"."parent_id"`;
const PROFILE_COLUMNS = `"profiles"."id", "profiles"."bio", "profiles"."author_id"`;
export const ITEM_COLUMNS = itemMeta.fields.map((f) => `"items"."${f.column}"`).join(", ");

type W = Record<string, unknown>;

export interface AuthorTypes extends ModelTypes {
  model: Author;
  where: W;
  fields: { id: number; name: string; email: string | null; createdAt: Date; books__title: string };
  create: { name: string; email?: string | null; createdAt?: Date };
  update: { name?: string; email?: string | null };
  pk: number;
}
export class Author extends Model {
  static readonly meta: ModelMeta = authorMeta;
  static readonly objects: ModelManager<AuthorTypes> = new ModelManager<AuthorTypes>(Author, {
    decode: (r: RowReader, i: number, c = 0) =>
      new Author(
        r.int(c, i),
        r.text(c + 1, i),
        r.isNull(c + 2, i) ? null : r.text(c + 2, i),
        r.datetime(c + 3, i),
      ),
    columns: AUTHOR_COLUMNS,
    createSchema: z.strictObject({
      id: z.number().int().optional(),
      name: z.string().max(100),
      email: z.string().max(200).nullable().optional(),
      createdAt: z.date().optional(),
    }),
  });
  constructor(
    public id: number,
    public name: string,
    public email: string | null,
    public createdAt: Date,
  ) {
    super();
  }
}
registerModel(Author);

export interface BookTypes extends ModelTypes {
  model: Book;
  where: W;
  fields: {
    id: number;
    title: string;
    price: string | null;
    published: boolean;
    authorId: number;
    author__name: string;
  };
  create: {
    id?: number;
    title: string;
    price?: string | number | null;
    published?: boolean;
    author?: Author;
    authorId?: number;
  };
  update: {
    title?: string | object;
    price?: string | number | null | object;
    published?: boolean;
    authorId?: number;
    author?: Author;
  };
  pk: number;
}
export class Book extends Model {
  static readonly meta: ModelMeta = bookMeta;
  static readonly objects: ModelManager<BookTypes> = new ModelManager<BookTypes>(Book, {
    decode: (r: RowReader, i: number, c = 0) =>
      new Book(
        r.int(c, i),
        r.text(c + 1, i),
        r.isNull(c + 2, i) ? null : r.decimal(c + 2, i),
        r.boolean(c + 3, i),
        r.int(c + 4, i),
      ),
    columns: BOOK_COLUMNS,
    createSchema: z.strictObject({
      id: z.number().int().optional(),
      title: z.string().max(200),
      price: z.union([z.string(), z.number()]).nullable().optional(),
      published: z.boolean().optional(),
      authorId: z.number().int().optional(),
      author: z.instanceof(Model).optional(),
    }),
  });
  constructor(
    public id: number,
    public title: string,
    public price: string | null,
    public published: boolean,
    public authorId: number,
  ) {
    super();
  }
  get author(): Author {
    return this._loaded<Author>("author");
  }
}
registerModel(Book);

export interface TagTypes extends ModelTypes {
  model: Tag;
  where: W;
  fields: { id: number; name: string };
  create: { name: string };
  update: { name?: string };
  pk: number;
}
export class Tag extends Model {
  static readonly meta: ModelMeta = tagMeta;
  static readonly objects = new ModelManager<TagTypes>(Tag, {
    decode: (r, i, c = 0) => new Tag(r.int(c, i), r.text(c + 1, i)),
    columns: TAG_COLUMNS,
  });
  constructor(
    public id: number,
    public name: string,
  ) {
    super();
  }
}
registerModel(Tag);

export interface CategoryTypes extends ModelTypes {
  model: Category;
  where: W;
  fields: { id: number; name: string; parentId: number | null; parent__name: string };
  create: { name: string; parentId?: number | null; parent?: Category | null };
  update: { name?: string };
  pk: number;
}
export class Category extends Model {
  static readonly meta: ModelMeta = categoryMeta;
  static readonly objects = new ModelManager<CategoryTypes>(Category, {
    decode: (r, i, c = 0) =>
      new Category(r.int(c, i), r.text(c + 1, i), r.isNull(c + 2, i) ? null : r.int(c + 2, i)),
    columns: CATEGORY_COLUMNS,
  });
  constructor(
    public id: number,
    public name: string,
    public parentId: number | null,
  ) {
    super();
  }
}
registerModel(Category);

export interface ProfileTypes extends ModelTypes {
  model: Profile;
  where: W;
  fields: { id: number; bio: string; authorId: number };
  create: { bio: string; author?: Author; authorId?: number };
  update: { bio?: string };
  pk: number;
}
export class Profile extends Model {
  static readonly meta: ModelMeta = profileMeta;
  static readonly objects = new ModelManager<ProfileTypes>(Profile, {
    decode: (r, i, c = 0) => new Profile(r.int(c, i), r.text(c + 1, i), r.int(c + 2, i)),
    columns: PROFILE_COLUMNS,
  });
  constructor(
    public id: number,
    public bio: string,
    public authorId: number,
  ) {
    super();
  }
}
registerModel(Profile);

export interface ItemTypes extends ModelTypes {
  model: Item;
  where: W;
  fields: Record<string, unknown>;
  create: Record<string, unknown>;
  update: Record<string, unknown>;
  pk: string;
}
export class Item extends Model {
  static readonly meta: ModelMeta = itemMeta;
  static readonly objects = new ModelManager<ItemTypes>(Item, {
    decode: (r, i, c = 0) => new Item(...itemMeta.fields.map((_f, k) => r.value(c + k, i))),
    columns: ITEM_COLUMNS,
  });
  constructor(...values: unknown[]) {
    super();
    itemMeta.fields.forEach(
      (f, k) => ((this as unknown as Record<string, unknown>)[f.name] = values[k]),
    );
  }
}
registerModel(Item);
