import { describe, expect, it } from "vitest";
import { and, anyOf, co, eq, Filter, InvalidArgumentError, ne, not, or, pr, quote, rawFilter, sw, valuePath } from "../../../provider/client";

describe("filter builder", () => {
  it("double-quotes and escapes string values (quotes, backslashes, control chars)", () => {
    expect(String(eq("userName", "a@b.com"))).toBe('userName eq "a@b.com"');
    expect(String(eq("displayName", 'say "hi"'))).toBe('displayName eq "say \\"hi\\""');
    expect(String(eq("displayName", "back\\slash"))).toBe('displayName eq "back\\\\slash"');
    expect(String(eq("displayName", "line\nbreak"))).toBe('displayName eq "line\\nbreak"');
    expect(quote("ünïcode ✓")).toBe('"ünïcode ✓"');
  });

  it("an injection attempt stays inside one string literal", () => {
    const f = eq("userName", 'x" or userName pr or userName eq "y');
    expect(f.expression).toBe('userName eq "x\\" or userName pr or userName eq \\"y"');
    expect(f.nodes).toBe(1);
    // JSON-decoding the literal gives back exactly the input
    expect(JSON.parse(f.expression.slice("userName eq ".length))).toBe('x" or userName pr or userName eq "y');
  });

  it("renders booleans, numbers and null as JSON literals", () => {
    expect(String(eq("active", true))).toBe("active eq true");
    expect(String(ne("count", 3))).toBe("count ne 3");
    expect(String(eq("externalId", null))).toBe("externalId eq null");
    expect(() => eq("count", Number.NaN)).toThrow(InvalidArgumentError);
  });

  it("validates attribute paths (no injection through the attribute either)", () => {
    expect(String(eq("name.givenName", "A"))).toBe('name.givenName eq "A"');
    expect(String(eq("urn:ietf:params:scim:schemas:extension:workspace:2.0:User:foo", "x"))).toMatch(/^urn:.*:foo eq "x"$/);
    expect(String(pr("members.$ref"))).toBe("members.$ref pr");
    for (const bad of ["", "user name", 'a"', "a or b", "members[value", "1abc", "a.b.c"]) {
      expect(() => eq(bad, "x"), bad).toThrow(InvalidArgumentError);
    }
  });

  it("and/or flatten same operators and parenthesise only where precedence needs it", () => {
    const a = eq("a", "1");
    const b = eq("b", "2");
    const c = eq("c", "3");
    expect(and(a, b, c).expression).toBe('a eq "1" and b eq "2" and c eq "3"');
    expect(and(a, and(b, c)).expression).toBe('a eq "1" and b eq "2" and c eq "3"');
    expect(or(a, and(b, c)).expression).toBe('a eq "1" or b eq "2" and c eq "3"');
    expect(and(or(a, b), c).expression).toBe('(a eq "1" or b eq "2") and c eq "3"');
    expect(not(or(a, b)).expression).toBe('not (a eq "1" or b eq "2")');
    expect(and(a).expression).toBe(a.expression);
    expect(and(a, or(b, c)).nodes).toBe(3);
    expect(() => and()).toThrow(InvalidArgumentError);
    expect(() => and('a eq "1"' as unknown as Filter)).toThrow(InvalidArgumentError);
  });

  it("valuePath, sw/co, anyOf, rawFilter", () => {
    expect(valuePath("members", eq("value", "12")).expression).toBe('members[value eq "12"]');
    expect(sw("displayName", "go-sdk-").expression).toBe('displayName sw "go-sdk-"');
    expect(co("userName", "@x").expression).toBe('userName co "@x"');
    expect(anyOf("id", ["1", "2"]).expression).toBe('id eq "1" or id eq "2"');
    expect(and(rawFilter("a eq 1 or b eq 2"), eq("c", "d")).expression).toBe('(a eq 1 or b eq 2) and c eq "d"');
    expect(() => rawFilter(" ")).toThrow(InvalidArgumentError);
  });
});
