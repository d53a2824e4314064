// Every field constructor and option, and how each lands in the IR.
import { expect, test } from "vitest";
import { at, field, modelOf, readIR } from "./support.js";

test("every field kind and option", () => {
  const ir = readIR("tests/schema/fixtures/every-field.schema.ts");
  const account = modelOf(ir, "Account");
  expect(account?.fields).toEqual([
    field({
      name: "code",
      kind: "uuid",
      pk: true,
      default: "123e4567-e89b-12d3-a456-426614174000",
      loc: at(7, 7),
    }),
    field({
      name: "visits",
      kind: "int",
      default: 0,
      index: true,
      description: "page views",
      loc: at(8, 7),
    }),
    field({ name: "balance", column: "balance_cents", kind: "bigint", default: 10, loc: at(9, 7) }),
    field({ name: "rank", kind: "smallint", nullable: true, default: null, loc: at(10, 7) }),
    field({ name: "handle", kind: "char", maxLength: 30, unique: true, loc: at(11, 7) }),
    field({ name: "bio", kind: "text", nullable: true, loc: at(12, 7) }),
    field({ name: "active", kind: "boolean", default: true, loc: at(13, 7) }),
    field({ name: "score", kind: "float", default: -0.5, loc: at(14, 7) }),
    field({
      name: "credit",
      kind: "decimal",
      maxDigits: 12,
      decimalPlaces: 2,
      default: "0.00",
      loc: at(15, 7),
    }),
    field({
      name: "createdAt",
      column: "created_at",
      kind: "datetime",
      autoNowAdd: true,
      loc: at(16, 7),
    }),
    field({
      name: "updatedAt",
      column: "updated_at",
      kind: "datetime",
      autoNow: true,
      loc: at(17, 7),
    }),
    field({
      name: "trialEnds",
      column: "trial_ends",
      kind: "datetime",
      default: "2030-01-01T00:00:00Z",
      loc: at(18, 7),
    }),
    field({
      name: "birthday",
      kind: "date",
      nullable: true,
      default: "2000-02-29",
      loc: at(19, 7),
    }),
    field({ name: "wakeUp", column: "wake_up", kind: "time", default: "07:30:00", loc: at(20, 7) }),
    field({
      name: "settings",
      kind: "json",
      default: { theme: "dark", sizes: [1, 2] },
      loc: at(21, 7),
    }),
    field({ name: "avatar", kind: "binary", nullable: true, loc: at(22, 7) }),
    field({
      name: "state",
      kind: "charEnum",
      enumValues: ["new", "active", "closed"],
      maxLength: 6,
      default: "new",
      loc: at(23, 7),
    }),
    field({ name: "tier", kind: "intEnum", enumValues: [1, 2, 3], default: 1, loc: at(24, 7) }),
  ]);
  expect(account).toMatchObject({
    table: "accounts",
    pk: "code",
    ordering: ["-createdAt", "handle"],
    uniqueTogether: [["handle", "state"]],
    indexes: [["state", "tier"]],
    description: "A customer account",
  });
  expect(account?.relations.map((r) => [r.name, r.kind, r.target, r.inverse])).toEqual([
    ["invites", "reverseForeignKey", "Invite", "account"],
    ["invitation", "reverseOneToOne", "Invite", "guest"],
    ["groups", "reverseManyToMany", "Group", "members"],
    ["referrals", "reverseForeignKey", "Referral", "account"],
  ]);

  const invite = modelOf(ir, "Invite");
  expect(invite?.fields.slice(1)).toEqual([
    field({
      name: "accountId",
      column: "acct",
      kind: "uuid",
      nullable: true,
      index: true,
      relation: "account",
      loc: at(35, 5),
    }),
    field({
      name: "guestId",
      column: "guest_id",
      kind: "uuid",
      unique: true,
      relation: "guest",
      loc: at(42, 5),
    }),
    field({ name: "label", kind: "char", maxLength: 20, loc: at(43, 5) }),
  ]);
  expect(invite?.relations.slice(0, 2)).toEqual([
    {
      name: "account",
      kind: "foreignKey",
      target: "Account",
      inverse: "invites",
      keyField: "accountId",
      onDelete: "SET NULL",
      nullable: true,
      description: "who invited",
      loc: at(35, 5),
    },
    {
      name: "guest",
      kind: "oneToOne",
      target: "Account",
      inverse: "invitation",
      keyField: "guestId",
      onDelete: "RESTRICT",
      nullable: false,
      loc: at(42, 5),
    },
  ]);

  const group = modelOf(ir, "Group");
  expect(group?.fields).toEqual([
    field({ name: "id", kind: "char", maxLength: 8, pk: true, loc: at(46, 5) }),
  ]);
  expect(group?.relations[0]).toEqual({
    name: "members",
    kind: "manyToMany",
    target: "Account",
    inverse: "groups",
    nullable: false,
    through: { table: "group_members", sourceColumn: "group_id", targetColumn: "account_id" },
    description: "who belongs",
    loc: at(47, 5),
  });

  // A key takes the type of the target's primary key; a unique key needs no extra index.
  expect(modelOf(ir, "Referral")?.fields.slice(1)).toEqual([
    field({
      name: "groupId",
      column: "group_id",
      kind: "char",
      maxLength: 8,
      unique: true,
      relation: "group",
      loc: at(54, 5),
    }),
    field({
      name: "accountId",
      column: "account_id",
      kind: "uuid",
      relation: "account",
      loc: at(55, 5),
    }),
  ]);
  expect(modelOf(ir, "Referral")?.relations[0]).toMatchObject({ onDelete: "NO ACTION" });
});
