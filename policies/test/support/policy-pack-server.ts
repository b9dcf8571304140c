import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { AnalyzerClient } from '@pulumi/pulumi/proto/analyzer_grpc_pb.js';
import {
  type AnalyzeDiagnostic,
  AnalyzeRequest,
  type AnalyzeResponse,
  type AnalyzerInfo,
  AnalyzerResource,
  AnalyzerResourceOptions,
  AnalyzeStackRequest,
} from '@pulumi/pulumi/proto/analyzer_pb.js';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb.js';
import { Struct } from 'google-protobuf/google/protobuf/struct_pb.js';
import type { PulumiResource } from '../../src/sources/pulumi-resources.js';

const workspace = fileURLToPath(new URL('../../', import.meta.url));
/** The entry the Pulumi Node.js language host runs for a policy pack (`run-policy-pack <engine> <pack dir>`). */
const runPolicyPack = createRequire(import.meta.url).resolve('@pulumi/pulumi/cmd/run-policy-pack/index.js');

export interface Diagnostic {
  policy: string;
  message: string;
  urn: string;
  mandatory: boolean;
}

/**
 * The policy pack as `pulumi preview --policy-pack` runs it: built by `npm run build`, loaded from this
 * directory by Pulumi's own policy pack runner (which reads PulumiPolicy.yaml's package `main`), and spoken to
 * over the analyzer gRPC protocol the Pulumi engine uses.
 */
export class PolicyPackServer {
  private constructor(
    private readonly process: ChildProcess,
    private readonly client: AnalyzerClient,
  ) {}

  static async start(): Promise<PolicyPackServer> {
    await promisify(execFile)('npm', ['run', 'build'], { cwd: workspace });
    // The runner drops its first argument (the engine address), so no engine needs to listen.
    const child = spawn(process.execPath, [runPolicyPack, 'unused-engine-address', workspace], {
      cwd: workspace,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // The pack prints the port it listens on as its first line, as the engine expects.
    const firstLine = once(child.stdout, 'data').then(([chunk]) => String(chunk));
    const exited = once(child, 'exit').then(() => undefined);
    const output = await Promise.race([firstLine, exited]);
    if (output === undefined) throw new Error(`the policy pack exited (${child.exitCode}) before serving`);
    const port = Number.parseInt(output, 10);
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PolicyPackServer(child, client);
  }

  async info(): Promise<AnalyzerInfo> {
    return promisify<Empty, AnalyzerInfo>(this.client.getAnalyzerInfo.bind(this.client))(new Empty());
  }

  async analyze(resource: PulumiResource): Promise<Diagnostic[]> {
    const request = new AnalyzeRequest()
      .setType(resource.type)
      .setName(resource.name)
      .setUrn(resource.urn)
      .setProperties(Struct.fromJavaScript(resource.props as Record<string, never>))
      .setOptions(new AnalyzerResourceOptions());
    const response = await promisify<AnalyzeRequest, AnalyzeResponse>(this.client.analyze.bind(this.client))(
      request,
    );
    return response.getDiagnosticsList().map(toDiagnostic);
  }

  async analyzeStack(resources: PulumiResource[]): Promise<Diagnostic[]> {
    const request = new AnalyzeStackRequest().setResourcesList(
      resources.map((resource) =>
        new AnalyzerResource()
          .setType(resource.type)
          .setName(resource.name)
          .setUrn(resource.urn)
          .setProperties(Struct.fromJavaScript(resource.props as Record<string, never>))
          .setOptions(new AnalyzerResourceOptions()),
      ),
    );
    const response = await promisify<AnalyzeStackRequest, AnalyzeResponse>(
      this.client.analyzeStack.bind(this.client),
    )(request);
    return response.getDiagnosticsList().map(toDiagnostic);
  }

  async stop(): Promise<void> {
    this.client.close();
    this.process.kill();
    await once(this.process, 'exit');
  }
}

function toDiagnostic(diagnostic: AnalyzeDiagnostic): Diagnostic {
  return {
    policy: diagnostic.getPolicyname(),
    message: diagnostic.getMessage(),
    urn: diagnostic.getUrn(),
    mandatory: diagnostic.getEnforcementlevel() === 1,
  };
}
