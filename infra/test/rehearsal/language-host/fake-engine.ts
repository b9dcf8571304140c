import * as grpc from '@grpc/grpc-js';
import engineGrpc from '@pulumi/pulumi/proto/engine_grpc_pb.js';
import enginePb from '@pulumi/pulumi/proto/engine_pb.js';
import providerPb from '@pulumi/pulumi/proto/provider_pb.js';
import resourceGrpc from '@pulumi/pulumi/proto/resource_grpc_pb.js';
import resourcePb from '@pulumi/pulumi/proto/resource_pb.js';
import { type RegisteredResource, resourceKey } from '../../../src/testing/registered-resources.js';
import { decodeProperties } from './property-values.js';

/** One diagnostic the program sent the engine (`log.error`, uncaught exceptions, resource errors). */
export interface EngineLog {
  severity: 'debug' | 'info' | 'warning' | 'error';
  message: string;
  urn?: string;
}

/** Everything the program told the engine during one run. */
export interface EngineRecording {
  resources: RegisteredResource[];
  /** The root stack's outputs (the program's exports), once the program registered them. */
  outputs: Record<string, unknown> | undefined;
  logs: EngineLog[];
  /** Registrations the engine itself refuses (e.g. a duplicate URN), with the engine's message. */
  refusals: string[];
}

export interface FakeEngine {
  /** Serves both the ResourceMonitor (`--monitor`) and the Engine (`--engine`) services. */
  address: string;
  recording: EngineRecording;
  close(): Promise<void>;
}

const severities = ['debug', 'info', 'warning', 'error'] as const;
const rootStackType = 'pulumi:pulumi:Stack';
// pulumi/pulumi@v3.248.0 sdk/go/common/util/rpcutil `maxRPCMessageSize`: the engine accepts messages up to 400 MB.
const maxMessageBytes = 400 * 1024 * 1024;

/** `type::name` from a URN (`urn:pulumi:stack::project::parent$type::name`). */
export function keyOfUrn(urn: string): string {
  const [, , qualifiedType = '', ...name] = urn.split('::');
  return resourceKey(qualifiedType.split('$').at(-1) ?? qualifiedType, name.join('::'));
}

/**
 * The feature ids the engine answers true to, from pulumi/pulumi@v3.248.0 pkg/resource/deploy/source_eval.go
 * `supportsFeatureID` (resource references and output values on, as without --disable-* flags).
 */
const supportedFeatures = new Set([
  'secrets',
  'resourceReferences',
  'outputValues',
  'aliasSpecs',
  'replacementTrigger',
  'deletedWith',
  'replaceWith',
  'transforms',
  'invokeTransforms',
  'parameterization',
  'resourceHooks',
  'errorHooks',
  'sendsOptionsToHooks',
]);

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

/**
 * A stand-in for the Pulumi engine that a program started by the language host talks to: it answers every
 * ResourceMonitor and Engine call the Node.js SDK makes the way the engine does for an update (URNs as
 * pulumi/pulumi@v3.248.0 pkg/resource/deploy/deployment.go `generateURN` builds them), and records what it
 * is told. A provider would compute outputs; like Pulumi's own MockMonitor (@pulumi/pulumi runtime/mocks.js)
 * it echoes the inputs as outputs instead, so nothing is deployed and no provider plugin is needed.
 */
export async function startFakeEngine(project: string, stack: string): Promise<FakeEngine> {
  const recording: EngineRecording = { resources: [], outputs: undefined, logs: [], refusals: [] };
  const states = new Map<string, { id: string; state: unknown }>();
  let rootUrn = '';
  let packages = 0;

  const newUrn = (parent: string, type: string, name: string) => {
    const parentType = parent ? (parent.split('::')[2] ?? '') : '';
    const qualified = parentType && parentType !== rootStackType ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
  };

  const registerResource: Unary<
    InstanceType<typeof resourcePb.RegisterResourceRequest>,
    InstanceType<typeof resourcePb.RegisterResourceResponse>
  > = ({ request: req }, callback) => {
    const urn = newUrn(req.getParent(), req.getType(), req.getName());
    if (states.has(urn)) {
      // pulumi/pulumi@v3.248.0 sdk/go/common/diag/errors.go `GetDuplicateResourceURNError`
      const message = `Duplicate resource URN '${urn}'; try giving it a unique name`;
      recording.refusals.push(message);
      callback({ code: grpc.status.INVALID_ARGUMENT, details: message });
      return;
    }
    const inputs = decodeProperties(req.getObject()?.toJavaScript());
    const dependencies = req.getDependenciesList();
    const id = req.getCustom() ? `${req.getName()}-id` : '';
    states.set(urn, { id, state: req.getObject()?.toJavaScript() ?? {} });
    recording.resources.push({
      type: req.getType(),
      name: req.getName(),
      urn,
      inputs: inputs.value,
      // The engine orders by this one list; the SDK has merged explicit dependsOn (components expanded to
      // their resources) and the resources whose outputs feed the inputs (@pulumi/pulumi runtime/resource.js).
      dependsOn: dependencies.map(keyOfUrn),
      ...(req.getParent() ? { parent: keyOfUrn(req.getParent()) } : {}),
      custom: req.getCustom(),
      remote: req.getRemote(),
      ...(req.getProvider() ? { provider: req.getProvider() } : {}),
      ...(req.getVersion() ? { version: req.getVersion() } : {}),
      dependencies,
      secretPaths: inputs.secretPaths,
      unknownPaths: inputs.unknownPaths,
    });
    const response = new resourcePb.RegisterResourceResponse();
    response.setUrn(urn);
    response.setId(id);
    const object = req.getObject();
    if (object) response.setObject(object);
    callback(null, response);
  };

  const monitor = {
    supportsFeature: ((call, callback) => {
      const response = new resourcePb.SupportsFeatureResponse();
      response.setHassupport(supportedFeatures.has(call.request.getId()));
      callback(null, response);
    }) satisfies Unary<
      InstanceType<typeof resourcePb.SupportsFeatureRequest>,
      InstanceType<typeof resourcePb.SupportsFeatureResponse>
    >,
    registerResource,
    registerResourceOutputs: ((call, callback) => {
      const urn = call.request.getUrn();
      if (urn === rootUrn || urn.split('::')[2] === rootStackType) {
        recording.outputs = decodeProperties(call.request.getOutputs()?.toJavaScript()).value;
      }
      callback(null, emptyOf(resourceGrpc.ResourceMonitorService.registerResourceOutputs));
    }) satisfies Unary<InstanceType<typeof resourcePb.RegisterResourceOutputsRequest>, unknown>,
    readResource: ((call, callback) => {
      const req = call.request;
      const urn = newUrn(req.getParent(), req.getType(), req.getName());
      const properties = decodeProperties(req.getProperties()?.toJavaScript());
      states.set(urn, { id: req.getId(), state: req.getProperties()?.toJavaScript() ?? {} });
      recording.resources.push({
        type: req.getType(),
        name: req.getName(),
        urn,
        inputs: properties.value,
        dependsOn: req.getDependenciesList().map(keyOfUrn),
        ...(req.getParent() ? { parent: keyOfUrn(req.getParent()) } : {}),
        custom: true,
        remote: false,
        read: true,
        dependencies: req.getDependenciesList(),
        secretPaths: properties.secretPaths,
        unknownPaths: properties.unknownPaths,
      });
      const response = new resourcePb.ReadResourceResponse();
      response.setUrn(urn);
      const props = req.getProperties();
      if (props) response.setProperties(props);
      callback(null, response);
    }) satisfies Unary<
      InstanceType<typeof resourcePb.ReadResourceRequest>,
      InstanceType<typeof resourcePb.ReadResourceResponse>
    >,
    invoke: ((call, callback) => {
      const response = new providerPb.InvokeResponse();
      const args = call.request.getArgs();
      if (call.request.getTok() === 'pulumi:pulumi:getResource') {
        const urn = String(args?.toJavaScript()?.urn);
        const found = states.get(urn);
        if (!found) {
          callback({ code: grpc.status.NOT_FOUND, details: `unknown resource ${urn}` });
          return;
        }
        response.setReturn(structOf(args, { urn, id: found.id, state: found.state }));
      } else if (args) {
        // A provider function's result: the arguments come back, as the rehearsal's mocks answer `call`.
        response.setReturn(args);
      }
      callback(null, response);
    }) satisfies Unary<
      InstanceType<typeof resourcePb.ResourceInvokeRequest>,
      InstanceType<typeof providerPb.InvokeResponse>
    >,
    call: ((call, callback) => {
      const response = new providerPb.CallResponse();
      const args = call.request.getArgs();
      if (args) response.setReturn(args);
      callback(null, response);
    }) satisfies Unary<
      InstanceType<typeof resourcePb.ResourceCallRequest>,
      InstanceType<typeof providerPb.CallResponse>
    >,
    registerPackage: ((call, callback) => {
      const response = new resourcePb.RegisterPackageResponse();
      response.setRef(`package-${++packages}-${call.request.getName()}`);
      callback(null, response);
    }) satisfies Unary<
      InstanceType<typeof resourcePb.RegisterPackageRequest>,
      InstanceType<typeof resourcePb.RegisterPackageResponse>
    >,
    signalAndWaitForShutdown: ((_call, callback) => {
      callback(null, emptyOf(resourceGrpc.ResourceMonitorService.signalAndWaitForShutdown));
    }) satisfies Unary<unknown, unknown>,
  };

  const engine = {
    log: ((call, callback) => {
      const req = call.request;
      recording.logs.push({
        severity: severities[req.getSeverity()] ?? 'error',
        message: req.getMessage(),
        ...(req.getUrn() ? { urn: req.getUrn() } : {}),
      });
      callback(null, emptyOf(engineGrpc.EngineService.log));
    }) satisfies Unary<InstanceType<typeof enginePb.LogRequest>, unknown>,
    getRootResource: ((_call, callback) => {
      const response = new enginePb.GetRootResourceResponse();
      response.setUrn(rootUrn);
      callback(null, response);
    }) satisfies Unary<unknown, InstanceType<typeof enginePb.GetRootResourceResponse>>,
    setRootResource: ((call, callback) => {
      rootUrn = call.request.getUrn();
      callback(null, new enginePb.SetRootResourceResponse());
    }) satisfies Unary<
      InstanceType<typeof enginePb.SetRootResourceRequest>,
      InstanceType<typeof enginePb.SetRootResourceResponse>
    >,
  };

  const server = new grpc.Server({
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
  });
  // Calls the SDK makes only for features this program does not use (stack transforms, hooks) stay
  // UNIMPLEMENTED: the program then fails loudly instead of passing against a monitor that ignored them.
  server.addService(
    resourceGrpc.ResourceMonitorService,
    monitor as unknown as grpc.UntypedServiceImplementation,
  );
  server.addService(engineGrpc.EngineService, engine as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    recording,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
  };
}

/**
 * `google.protobuf.Empty` from the very google-protobuf copy the generated service checks with `instanceof`:
 * decoding zero bytes with the method's own response decoder yields exactly that.
 */
function emptyOf(method: { responseDeserialize: (bytes: Buffer) => unknown }): unknown {
  return method.responseDeserialize(Buffer.alloc(0));
}

/** A Struct of the same google-protobuf copy as `like` (the request's own Struct), holding `value`. */
function structOf<S extends { toJavaScript(): unknown }>(
  like: S | undefined,
  value: Record<string, unknown>,
): S {
  const ctor = like?.constructor as { fromJavaScript(v: Record<string, unknown>): S } | undefined;
  if (!ctor) throw new Error('pulumi:pulumi:getResource without arguments');
  return ctor.fromJavaScript(value);
}
