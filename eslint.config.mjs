// `npm run lint`: typescript-eslint's recommended rules, plus the layer rules of the README's Layout section as
// import restrictions (resources → lifecycle → client; the client knows nothing of Pulumi; runtime → lifecycle,
// never back; auth sees only the client's types; the emulator shares no code with the provider beyond
// `import type` of plain types). Each restriction's message says which rule an import breaks.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Import specifiers are matched as written. `provider` matches a relative path into provider/ from outside it;
// `sibling(folder)` a path that leaves a provider/<folder> for another one (`./x` stays inside: client/auth.ts
// is not provider/auth), or that names the package root (`..`, `../index`), which re-exports every layer.
const provider = "^(\\.\\./)+provider(/|$)";
const sibling = (folder) => `^\\.\\./(${folder})(/|$)`;
const packageRoot = {
  regex: "^\\.\\.(/index)?$",
  message: "Layer rule: the package root re-exports every layer; import the module you need from its own folder.",
};

const pulumi = {
  regex: "^@pulumi/",
  message:
    "Layer rule: provider/client and provider/auth know nothing of Pulumi (README, Layout). Keep Pulumi types in provider/lifecycle or provider/resources.",
};

const lifecycleUp = {
  regex: sibling("(resources|shims)"),
  message: "Layer rule: resources → lifecycle, never back: lifecycle does not import the Pulumi resource classes or shims.",
};

export default tseslint.config(
  {
    ignores: ["dist/**", "node_modules/**", "**/node_modules/**", "bench/results/**", ".pulumi/**", "coverage/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.mts"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module" },
    rules: {
      // `_name` marks a parameter kept for its position (Pulumi's provider signatures); tsc's noUnusedLocals and
      // noUnusedParameters already check the rest, so only the underscore convention is added here.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // `let { a, b } = f()` where only `a` is reassigned is one statement on purpose; flag only all-const ones.
      "prefer-const": ["error", { destructuring: "all" }],
    },
  },
  {
    files: ["**/*.cjs", "**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },

  // ---- Layer rules ----
  {
    files: ["emulator/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: provider,
              allowTypeImports: true,
              message: "Layer rule: the emulator shares no code with the provider, only plain types: use `import type` (README, Layout).",
            },
            {
              regex: "^pulumi-databricks-scim(/|$)",
              allowTypeImports: true,
              message: "Layer rule: the emulator shares only plain types with the provider: use `import type`.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["provider/client/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            pulumi,
            packageRoot,
            {
              regex: sibling("(lifecycle|runtime|resources|shims|auth)"),
              message:
                "Layer rule: provider/client is the bottom layer (SCIM over undici) and imports nothing from lifecycle, runtime, resources, shims or auth (README, Layout).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["provider/lifecycle/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            packageRoot,
            {
              regex: sibling("runtime"),
              message:
                "Layer rule: lifecycle → client, and runtime → lifecycle, never lifecycle → runtime (no folder cycle). Take what runtime provides through the context the dispatcher passes in.",
            },
            lifecycleUp,
          ],
        },
      ],
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message:
            "Lifecycles never read the environment: the provider session reads it once (provider/runtime/settings.ts) and hands it in through the context (ctx.settings, the check context's targets).",
        },
      ],
    },
  },
  {
    files: ["provider/auth/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            pulumi,
            packageRoot,
            {
              regex: sibling("client"),
              allowTypeImports: true,
              message:
                "Layer rule: provider/auth imports only the client's types (`import type`), so the client stays usable without auth and auth without a client.",
            },
            {
              regex: sibling("(lifecycle|runtime|resources|shims)"),
              message: "Layer rule: provider/auth sees only the client's types; lifecycle, runtime, resources and shims build on auth, not the reverse.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["provider/plugin/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            packageRoot,
            {
              regex: sibling("(resources|shims)"),
              message:
                "Layer rule: the provider plugin and the dynamic resources are two front doors to one implementation: provider/plugin reaches the lifecycles through provider/runtime, never through the resource classes or shims.",
            },
          ],
        },
      ],
    },
  },
);
