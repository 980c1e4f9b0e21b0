import { describe, expect, it } from "vitest";
import { hideDeclarationTrace } from "../../../provider/resources/declarationTrace";

/** The SDK's capture as @pulumi/pulumi's Resource does it: `new Error().stack` from `callsites`, via `stackTrace`. */
class Resource {
  static callsites(): string | undefined {
    return new Error().stack;
  }
  static stackTrace(): string | undefined {
    return Resource.callsites();
  }
}

describe("hideDeclarationTrace", () => {
  it("gives the SDK's declaration capture an empty stack while installed, and restores it after", () => {
    expect(Resource.stackTrace()?.split("\n").length).toBeGreaterThan(2);
    const restore = hideDeclarationTrace();
    try {
      expect(Resource.stackTrace()).toBe("Error");
    } finally {
      restore();
    }
    expect(Resource.stackTrace()?.split("\n").length).toBeGreaterThan(2);
  });

  it("leaves every other error's stack alone, in V8's format, while installed", () => {
    const restore = hideDeclarationTrace();
    let stack: string | undefined;
    try {
      stack = new TypeError("bad input").stack;
    } finally {
      restore();
    }
    expect(stack?.split("\n")[0]).toBe("TypeError: bad input");
    expect(stack).toMatch(/\n {4}at .*declarationTrace\.test\.ts:\d+:\d+/);
  });

  it("defers to a hook installed before it (source maps, ts-node) for the other errors, and puts it back", () => {
    const before = Error.prepareStackTrace;
    const hook = (): string => "from the earlier hook";
    Error.prepareStackTrace = hook;
    try {
      const restore = hideDeclarationTrace();
      try {
        expect(new Error("x").stack).toBe("from the earlier hook");
        expect(Resource.stackTrace()).toBe("Error");
      } finally {
        restore();
      }
      expect(Error.prepareStackTrace).toBe(hook);
    } finally {
      Error.prepareStackTrace = before;
    }
  });
});
