// A user's deployment script, copied into a separate npm project that installed the packed tarball (see
// ../packedInstall.test.ts): it imports the package by its name, as any infra project does, and drives the real
// `pulumi` CLI on PATH through the Automation API with an inline program (the Node.js language host cannot be
// built on our machines; README "How the engine is run").
//
//   node deploy.cjs <up|preview|destroy|export> STACK SUFFIX
//
// Credentials come only from the environment (DATABRICKS_HOST, DATABRICKS_TOKEN), the backend from
// PULUMI_BACKEND_URL, the passphrase from PULUMI_CONFIG_PASSPHRASE. The CLI's output goes to stdout as it comes;
// the last line is `@@result ` and a JSON summary for the test to read.
const { LocalWorkspace } = require("@pulumi/pulumi/automation");
const { GroupMembers, GroupMembership, ScimGroup, ScimUser } = require("pulumi-databricks-scim");

const [command, stackName, suffix] = process.argv.slice(2);

async function program() {
  const alice = new ScimUser("alice", { userName: `alice-${suffix}@example.com`, displayName: "Alice" });
  const eng = new ScimGroup("eng", { displayName: `eng-${suffix}` });
  const ops = new ScimGroup("ops", { displayName: `ops-${suffix}` });
  new GroupMembership("alice-in-eng", { group: eng, member: alice });
  new GroupMembers("ops-members", { group: ops, members: [alice] });
  return { node: process.version, aliceId: alice.id };
}

async function main() {
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, projectName: "infra", program },
    {
      workDir: __dirname,
      projectSettings: { name: "infra", runtime: "nodejs", backend: { url: process.env.PULUMI_BACKEND_URL } },
      secretsProvider: "passphrase",
    },
  );
  const onOutput = (s) => process.stdout.write(s);
  switch (command) {
    case "up": {
      const r = await stack.up({ onOutput, color: "never" });
      return { summary: r.summary, outputs: r.outputs };
    }
    case "preview": {
      const r = await stack.preview({ onOutput, color: "never" });
      return { changeSummary: r.changeSummary };
    }
    case "destroy": {
      const r = await stack.destroy({ onOutput, color: "never" });
      return { summary: r.summary };
    }
    case "export":
      return await stack.exportStack();
    default:
      throw new Error(`unknown command '${command}'`);
  }
}

main().then(
  (result) => process.stdout.write(`\n@@result ${JSON.stringify(result)}\n`),
  (err) => {
    process.stderr.write(`${err.stderr ?? err.message ?? String(err)}\n`);
    process.exit(1);
  },
);
