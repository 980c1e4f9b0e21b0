import type * as grpcTypes from "@grpc/grpc-js";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { PartialApplyError } from "../lifecycle/collection";
import { redact } from "../shared/redact";
import { lifecycle, providerSession } from "../runtime";
import { settingsFromInputs, validateConfig } from "./config";
import { detailedDiff, type PropertyChange } from "./detailedDiff";
import { Any, Empty, fromStruct, grpc, toStruct } from "./grpc";
import { nameOfUrn, registeredInputs } from "./inputs";
import { functionOfToken } from "./invokes";
import { setAllConfig } from "@pulumi/pulumi/runtime/config";
import { IMPORT_ID_FORMAT, importProps } from "./importIds";
import { kindOfToken, type PluginKind } from "./kinds";
import { CONFIG, buildSchema } from "./schema";

/**
 * The provider plugin's gRPC service (pulumirpc.ResourceProvider), written against the generated stubs rather
 * than @pulumi/pulumi/provider's `main`, whose server answers no DiffConfig or CheckConfig, ignores the
 * configuration, and drops the detailed diff. Each resource call goes to the same lifecycle the dynamic
 * resources' shims call (provider/runtime `lifecycle(kind)`): two front doors, one implementation.
 *
 * Secrets: Configure answers `acceptSecrets: false`, so the engine strips secret markers before resource calls
 * and marks the matching outputs secret itself; the provider's own secrets (token, clientSecret) reach
 * runtime/settings.ts only, never an output, a log line or an error (errors pass through `redact`).
 */

type Handler<Req, Res> = grpcTypes.handleUnaryCall<Req, Res>;

/** A message with the provider's own secrets taken out (an error may quote a request or a header). */
function scrub(text: string): string {
  const s = providerSession().stackSettings();
  return redact(text, [s.token, s.clientSecret, s.azureClientSecret]);
}

/**
 * A collection's partial result (lifecycle/collection.ts PartialApplyError: some identities failed, the others
 * were applied) as the protocol carries one: pulumirpc.ErrorResourceInitFailed in the status details, with the
 * id and the outputs so far, which the engine records as the resource's state (a partial failure) and retries at
 * the next `up`; it prints the reasons. The same as the dynamic provider host sends for the dynamic resources.
 */
export function partialFailureMetadata(e: PartialApplyError, message: string): grpcTypes.Metadata {
  const detail = new provproto.ErrorResourceInitFailed();
  detail.setId(e.id);
  detail.setProperties(toStruct(e.properties));
  detail.setReasonsList(e.reasons.map(scrub));
  const any = new Any();
  any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
  const status = new statusproto.Status();
  status.setCode(grpc.status.UNKNOWN);
  status.setMessage(message);
  status.addDetails(any);
  const metadata = new grpc.Metadata();
  // The standard trailer for rich error details, which the engine's gRPC client decodes.
  metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  return metadata;
}

/** An answer, or the error as the engine shows it: `error: <message>` (a partial result: its reasons). */
function unary<Req, Res>(fn: (req: Req) => Promise<Res>): Handler<Req, Res> {
  return (call, callback) => {
    fn(call.request).then(
      (res) => callback(null, res),
      (e: unknown) => {
        const details = scrub(e instanceof Error ? e.message : String(e));
        const metadata = e instanceof PartialApplyError ? partialFailureMetadata(e, details) : undefined;
        callback({ code: grpc.status.UNKNOWN, details, name: "Error", message: "", ...(metadata ? { metadata } : {}) }, null);
      },
    );
  };
}

function kindOf(type: string, urn: string): PluginKind {
  const token = type || urn.split("::")[2]?.split("$").pop() || "";
  const k = kindOfToken(token);
  // plain Error: the engine and the plugin disagree on the types it serves (versions), never a user's field.
  if (!k) throw new Error(`databricks-scim: unknown resource type '${token}'. Is the plugin older than the SDK? Install the matching version.`);
  return k;
}

const KIND_CODE: Record<PropertyChange["kind"], [provproto.PropertyDiff.Kind, provproto.PropertyDiff.Kind]> = {
  add: [provproto.PropertyDiff.Kind.ADD, provproto.PropertyDiff.Kind.ADD_REPLACE],
  delete: [provproto.PropertyDiff.Kind.DELETE, provproto.PropertyDiff.Kind.DELETE_REPLACE],
  update: [provproto.PropertyDiff.Kind.UPDATE, provproto.PropertyDiff.Kind.UPDATE_REPLACE],
};

function checkResponse(inputs: object, failures: readonly { property: string; reason: string }[]): provproto.CheckResponse {
  const resp = new provproto.CheckResponse();
  resp.setInputs(toStruct(inputs));
  resp.setFailuresList(
    failures.map((f) => {
      const failure = new provproto.CheckFailure();
      failure.setProperty(f.property);
      failure.setReason(scrub(f.reason));
      return failure;
    }),
  );
  return resp;
}

function diffResponse(changes: Record<string, PropertyChange>, replaces: readonly string[]): provproto.DiffResponse {
  const resp = new provproto.DiffResponse();
  const keys = Object.keys(changes);
  resp.setChanges(keys.length > 0 || replaces.length > 0 ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
  resp.setReplacesList([...replaces]);
  resp.setDiffsList([...new Set(keys.map((k) => k.replace(/[[.].*$/, "")))]);
  resp.setHasdetaileddiff(true);
  const map = resp.getDetaileddiffMap();
  for (const [path, c] of Object.entries(changes)) {
    const d = new provproto.PropertyDiff();
    d.setKind(KIND_CODE[c.kind][c.replace ? 1 : 0]);
    d.setInputdiff(false);
    map.set(path, d);
  }
  return resp;
}

/** The methods the plugin serves; grpc-js answers UNIMPLEMENTED for the others (Construct, Call, List, …). */
/** The defaults of the fields a kind keeps in state only (no SCIM path): what check fills in when omitted. */
function stateOnlyDefaults(k: PluginKind): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(k.fields ?? {})) if (!f.path && f.default !== undefined) out[name] = f.default;
  return out;
}

/**
 * The provider's target as check writes it into a resource's inputs (lifecycle/target.ts checkTarget): host,
 * level, accountId and the routed workspace id, nothing else of the resolved connection (its own `workspaceId`
 * would read as a WorkspaceAssignment's input), so that the preview after an import shows no change.
 */
async function importTarget(): Promise<Record<string, unknown>> {
  const t = await providerSession().check().targets.resolve({});
  return {
    host: t.host,
    level: t.level,
    ...(t.accountId ? { accountId: t.accountId } : {}),
    ...(t.level === "workspace" && t.workspaceId ? { hostWorkspaceId: t.workspaceId } : {}),
  };
}

export function providerService(version: string): Partial<provrpc.IResourceProviderServer> {
  const schema = JSON.stringify(buildSchema(version));
  return {
    getPluginInfo: unary(async () => new plugproto.PluginInfo().setVersion(version)),
    getSchema: unary(async () => new provproto.GetSchemaResponse().setSchema(schema)),
    attach: unary(async () => new Empty()),
    cancel: unary(async () => new Empty()),

    checkConfig: unary(async (req: provproto.CheckRequest) => {
      const news = fromStruct(req.getNews());
      return checkResponse({}, validateConfig(news)).setInputs(req.getNews());
    }),
    diffConfig: unary(async (req: provproto.DiffRequest) => {
      // A changed setting is never a replacement of the provider: that would replace every resource it manages.
      const olds = fromStruct(req.getOldInputs() ?? req.getOlds());
      const news = fromStruct(req.getNews());
      const changed: Record<string, PropertyChange> = {};
      // Only the settings count: a project named databricks-scim has its own config keys in the same namespace.
      for (const key of Object.keys(CONFIG).filter((k) => k in olds || k in news)) {
        if (JSON.stringify(olds[key]) !== JSON.stringify(news[key]))
          changed[key] = { kind: olds[key] === undefined ? "add" : news[key] === undefined ? "delete" : "update", replace: false };
      }
      return diffResponse(changed, []);
    }),
    configure: unary(async (req: provproto.ConfigureRequest) => {
      const args = req.getArgs();
      const inputs: Record<string, unknown> = args ? fromStruct(args) : {};
      if (!args) for (const [k, v] of req.getVariablesMap().entries()) inputs[k.replace(/^databricks-scim:(config:)?/, "")] = v;
      const failures = validateConfig(inputs);
      // plain Error: the engine prints a Configure failure as it is; each line already names the setting and its fix.
      if (failures.length > 0) throw new Error(failures.map((f) => f.reason).join("\n"));
      providerSession().configure(settingsFromInputs(inputs));
      // The lookups (invokes) read the stack config as a program does: give them the provider's, by full key.
      const settings = settingsFromInputs(inputs);
      const full: Record<string, string> = {};
      for (const key of Object.keys(CONFIG)) {
        const v = settings.get(key);
        if (v !== undefined) full[`databricks-scim:${key}`] = v;
      }
      setAllConfig(
        full,
        Object.keys(full).filter((k) => CONFIG[k.slice("databricks-scim:".length)]?.secret),
      );
      const resp = new provproto.ConfigureResponse();
      resp.setAcceptsecrets(false);
      resp.setAcceptresources(false);
      resp.setAcceptoutputs(false);
      resp.setSupportspreview(false);
      return resp;
    }),

    invoke: unary(async (req: provproto.InvokeRequest) => {
      const f = functionOfToken(req.getTok());
      // plain Error: the engine and the plugin disagree on the functions it serves (versions), never a user's field.
      if (!f) throw new Error(`databricks-scim: unknown function '${req.getTok()}'. Is the plugin older than the SDK? Install the matching version.`);
      return new provproto.InvokeResponse().setReturn(toStruct(await f.call(fromStruct(req.getArgs()))));
    }),

    check: unary(async (req: provproto.CheckRequest) => {
      const k = kindOf(req.getType(), req.getUrn());
      const news = registeredInputs(k.kind, req.getName() || nameOfUrn(req.getUrn()), fromStruct(req.getNews()));
      const r = await lifecycle(k.kind).check(fromStruct(req.getOlds()), news);
      return checkResponse(r.inputs ?? {}, r.failures ?? []);
    }),
    diff: unary(async (req: provproto.DiffRequest) => {
      const k = kindOf(req.getType(), req.getUrn());
      const olds = fromStruct(req.getOlds());
      const news = fromStruct(req.getNews());
      const d = await lifecycle(k.kind).diff(req.getId(), olds, news);
      if (d.changes === false && (d.replaces ?? []).length === 0) return diffResponse({}, []);
      const replaces = d.replaces ?? [];
      const changes = detailedDiff(olds, news, replaces);
      // The kind said "changed" on something the values do not show (a connection's source): name it whole.
      // (A collection: the per-identity diff saw a change the values do not show, e.g. of case: the map.)
      if (Object.keys(changes).length === 0) changes[k.collection?.mapKey ?? "connection"] = { kind: "update", replace: false };
      return diffResponse(changes, replaces);
    }),
    create: unary(async (req: provproto.CreateRequest) => {
      const k = kindOf(req.getType(), req.getUrn());
      const r = await lifecycle(k.kind).create(fromStruct(req.getProperties()));
      return new provproto.CreateResponse().setId(r.id).setProperties(toStruct(r.outs));
    }),
    read: unary(async (req: provproto.ReadRequest) => {
      const k = kindOf(req.getType(), req.getUrn());
      let props = fromStruct(req.getProperties());
      // `pulumi import` (or the `import` option) reads by id alone: the target is the provider's, and the
      // settings that live in state only (onDelete, adopt) take their defaults, as check gives a program that
      // omits them, so that the preview after an import shows no change.
      const importing = props.host === undefined;
      if (importing) props = { ...(await importTarget()), ...stateOnlyDefaults(k), ...importProps(k, req.getId()), ...props };
      const r = await lifecycle(k.kind).read(req.getId(), props);
      const resp = new provproto.ReadResponse();
      if (!r.id) {
        // On refresh an empty answer is "gone": the engine drops it from the state.
        if (importing) {
          // plain Error: an import of an id that is not there says so with the type and the id format (the engine's
          // own message names neither); the plugin's gRPC layer reports any Error by its message.
          throw new Error(`${req.getType() || k.name}: nothing to import at id '${req.getId()}' (not found). The id is ${IMPORT_ID_FORMAT[k.kind]}.`);
        }
        return resp;
      }
      const inputs = importing ? { ...stateOnlyDefaults(k), ...r.inputs } : r.inputs;
      return resp.setId(r.id).setProperties(toStruct(r.props)).setInputs(toStruct(inputs));
    }),
    update: unary(async (req: provproto.UpdateRequest) => {
      const k = kindOf(req.getType(), req.getUrn());
      const r = await lifecycle(k.kind).update(req.getId(), fromStruct(req.getOlds()), fromStruct(req.getNews()));
      return new provproto.UpdateResponse().setProperties(toStruct(r.outs));
    }),
    delete: unary(async (req: provproto.DeleteRequest) => {
      const k = kindOf(req.getType(), req.getUrn());
      await lifecycle(k.kind).delete(req.getId(), fromStruct(req.getProperties()));
      return new Empty();
    }),
  };
}
