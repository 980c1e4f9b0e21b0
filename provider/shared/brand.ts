// Brand-based `instanceof` for the package's errors: a class's Symbol.hasInstance checks a Symbol.for brand instead
// of the prototype chain, so it also works when two copies of the package are loaded (the Pulumi shims `require`
// the installed package by name, tests import it relatively).

export function isBranded(instance: unknown, brand: symbol): boolean {
  return typeof instance === "object" && instance !== null && (instance as Record<symbol, unknown>)[brand] === true;
}
