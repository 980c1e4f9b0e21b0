// The tenant's directory: objects by id, group member lists (ordered, as added), and the walks Graph answers
// with: direct members and transitive members (depth-first, each object once, nested groups included).
import { randomUUID } from "node:crypto";
import { KNOWN_PROPERTIES, type DirectoryObject, type ObjectKind, type PropertyValue } from "./model";
import { SeedError, type GenerateSeed, type GraphSeed, type ObjectSeed } from "./seed";

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SEED_KEYS: [keyof GraphSeed, ObjectKind][] = [
  ["users", "user"],
  ["servicePrincipals", "servicePrincipal"],
  ["devices", "device"],
  ["orgContacts", "orgContact"],
  ["groups", "group"],
];

export class Directory {
  readonly objects = new Map<string, DirectoryObject>();
  /** group id → member ids in the order they were added. */
  readonly members = new Map<string, string[]>();

  get(id: string): DirectoryObject | undefined {
    return this.objects.get(id.toLowerCase());
  }

  all(kind: ObjectKind): DirectoryObject[] {
    return [...this.objects.values()].filter((o) => o.kind === kind);
  }

  create(kind: ObjectKind, seed: ObjectSeed): DirectoryObject {
    const id = (typeof seed.id === "string" ? seed.id : randomUUID()).toLowerCase();
    if (!GUID.test(id)) throw new SeedError(`object id "${id}" is not a GUID (Entra object ids are)`);
    if (this.objects.has(id)) throw new SeedError(`object id ${id} is used twice`);
    const known = KNOWN_PROPERTIES[kind];
    const props: Record<string, PropertyValue> = {};
    for (const [k, v] of Object.entries(seed)) {
      if (k === "id" || k === "members") continue;
      if (!(k in known)) throw new SeedError(`${kind} property "${k}" is not one the emulator knows (${Object.keys(known).join(", ")})`);
      props[k] = v as PropertyValue;
    }
    if (typeof props.displayName !== "string") throw new SeedError(`every ${kind} needs a displayName`);
    if (kind === "user" && typeof props.userPrincipalName !== "string") throw new SeedError(`user "${props.displayName}" needs a userPrincipalName`);
    if (kind === "servicePrincipal" && typeof props.appId !== "string") throw new SeedError(`service principal "${props.displayName}" needs an appId`);
    props.id = id;
    const obj: DirectoryObject = { kind, id, props };
    this.objects.set(id, obj);
    if (kind === "group") this.members.set(id, []);
    return obj;
  }

  /** Sets properties (rename, disable, …); `id` and the kind cannot change. */
  update(id: string, changes: Record<string, unknown>): DirectoryObject {
    const obj = this.require(id);
    const known = KNOWN_PROPERTIES[obj.kind];
    for (const k of Object.keys(changes)) {
      if (k === "id" || !(k in known)) throw new SeedError(`${obj.kind} property "${k}" cannot be set`);
    }
    Object.assign(obj.props, changes);
    return obj;
  }

  delete(id: string): void {
    const obj = this.require(id);
    this.objects.delete(obj.id);
    this.members.delete(obj.id);
    for (const list of this.members.values()) {
      const i = list.indexOf(obj.id);
      if (i >= 0) list.splice(i, 1);
    }
  }

  addMember(groupRef: string, memberRef: string): void {
    const group = this.requireGroup(groupRef);
    const member = this.resolve(memberRef);
    if (member.id === group.id) throw new SeedError(`group "${group.props.displayName}" cannot be a member of itself`);
    const list = this.members.get(group.id)!;
    if (!list.includes(member.id)) list.push(member.id);
  }

  removeMember(groupRef: string, memberRef: string): void {
    const group = this.requireGroup(groupRef);
    const member = this.resolve(memberRef);
    const list = this.members.get(group.id)!;
    const i = list.indexOf(member.id);
    if (i < 0) throw new SeedError(`${member.id} is not a direct member of "${group.props.displayName}"`);
    list.splice(i, 1);
  }

  directMembers(groupId: string): DirectoryObject[] {
    return (this.members.get(groupId) ?? []).map((id) => this.objects.get(id)!);
  }

  /** Every member reachable through nested groups, each once (a user in two branches appears once). */
  transitiveMembers(groupId: string): DirectoryObject[] {
    const seen = new Set<string>([groupId]);
    const out: DirectoryObject[] = [];
    const walk = (id: string): void => {
      for (const m of this.members.get(id) ?? []) {
        if (seen.has(m)) continue;
        seen.add(m);
        const obj = this.objects.get(m)!;
        out.push(obj);
        if (obj.kind === "group") walk(m);
      }
    };
    walk(groupId);
    return out;
  }

  /** An object id, a user's userPrincipalName, an SP's appId, or a unique displayName. */
  resolve(ref: string): DirectoryObject {
    const byId = this.get(ref);
    if (byId) return byId;
    const lower = ref.toLowerCase();
    const eq = (v: PropertyValue | undefined): boolean => typeof v === "string" && v.toLowerCase() === lower;
    const all = [...this.objects.values()];
    const matches =
      [
        all.filter((o) => o.kind === "user" && eq(o.props.userPrincipalName)),
        all.filter((o) => o.kind === "servicePrincipal" && eq(o.props.appId)),
        all.filter((o) => eq(o.props.displayName)),
      ].find((m) => m.length > 0) ?? [];
    if (matches.length === 0) throw new SeedError(`no directory object is "${ref}" (give an id, a userPrincipalName, an appId or a displayName)`);
    if (matches.length > 1) throw new SeedError(`"${ref}" names ${matches.length} objects; give the object id`);
    return matches[0]!;
  }

  require(ref: string): DirectoryObject {
    return this.resolve(ref);
  }

  requireGroup(ref: string): DirectoryObject {
    const g = this.resolve(ref);
    if (g.kind !== "group") throw new SeedError(`"${ref}" is a ${g.kind}, not a group`);
    return g;
  }

  /** Runs an edit all or nothing: on an error the directory is put back as it was. */
  atomically<T>(edit: () => T): T {
    const before = this.dump();
    try {
      return edit();
    } catch (e) {
      this.clear();
      this.load(before);
      throw e;
    }
  }

  clear(): void {
    this.objects.clear();
    this.members.clear();
  }

  /** Adds a seed's objects, then its memberships (so members may be declared in any order), then `generate`. */
  load(seed: GraphSeed): void {
    for (const [key, kind] of SEED_KEYS) for (const item of (seed[key] ?? []) as ObjectSeed[]) this.create(kind, item);
    for (const g of seed.groups ?? []) {
      for (const m of g.members ?? []) this.addMember(typeof g.id === "string" ? g.id : g.displayName, m);
    }
    for (const gen of seed.generate ?? []) this.generate(gen);
  }

  /** A group (found by name, else created) with `count` new users `<prefix>-<n>@<domain>` as direct members. */
  generate(gen: GenerateSeed): DirectoryObject {
    const existing = this.all("group").filter((g) => g.props.displayName === gen.group);
    const group = existing[0] ?? this.create("group", { displayName: gen.group });
    const prefix = gen.prefix ?? "gen";
    const domain = gen.domain ?? "example.com";
    const list = this.members.get(group.id)!;
    for (let n = 1; n <= gen.count; n++) {
      const user = this.create("user", {
        displayName: `${prefix} ${n}`,
        userPrincipalName: `${prefix}-${n}@${domain}`,
        mail: `${prefix}-${n}@${domain}`,
      });
      list.push(user.id);
    }
    return group;
  }

  /** The directory in seed format (ids explicit, members by id), for `GET /__emulator/state`. */
  dump(): GraphSeed {
    const out: GraphSeed = {};
    for (const [key, kind] of SEED_KEYS) {
      const items = this.all(kind).map((o) => {
        const item: ObjectSeed = { ...o.props };
        if (kind === "group") item.members = [...(this.members.get(o.id) ?? [])];
        return item;
      });
      (out as Record<string, unknown>)[key] = items;
    }
    return out;
  }
}
