import type { InputSpec, OutputSpec } from './inputs/definition';

/** Which runner executes the step; capabilities may only use it for wording, never for logic. */
export type PlatformKind = 'azure-devops' | 'github' | 'local';

/** What a service connection (ADO) resolves to. GitHub has none: its inputs are plain. */
export interface ServiceConnection {
  id: string;
  url?: string;
  /** e.g. UsernamePassword, ServicePrincipal, WorkloadIdentityFederation, Kubernetes */
  scheme?: string;
  /** Authorization parameters (username, password, serviceprincipalid, tenantid, kubeconfig, …). */
  auth: Record<string, string>;
  /** Endpoint data by key (subscriptionId, acceptUntrustedCerts, environment, …). */
  data(key: string): string | undefined;
  /**
   * ADO: where the job asks for this connection's OIDC ID token (workload identity federation): System.OidcRequestUri
   * with the connection id, and the job's access token to authorise the request. Task-lib hides the access token from
   * the environment, so only the adapter can supply it.
   */
  oidcRequest?: { url: string; accessToken: string };
}

/** The runner's network settings; the HTTP layer merges them with the step's own options. */
export interface NetworkSettings {
  proxyUrl?: string;
  proxyUsername?: string;
  proxyPassword?: string;
  /** Hosts (or suffixes like `.corp`) that bypass the proxy (NO_PROXY). */
  noProxy: string[];
  /** Regular expressions matched against the whole request URL that bypass the proxy (the ADO agent's bypass list). */
  bypassPatterns?: string[];
  /** PEM files of extra CAs trusted by the runner (ADO Agent.CAInfo, NODE_EXTRA_CA_CERTS). */
  caFiles: string[];
}

export interface ExecOptions {
  cwd?: string;
  /** Added to the inherited environment; the place for secrets a tool needs (never argv). */
  env?: Record<string, string>;
  /** Do not echo the tool's stdout to the log (it is still captured). */
  silent?: boolean;
  /** A non-zero exit code does not throw. */
  ignoreReturnCode?: boolean;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * How a log line is shown. Every line a step logs is made inert for the runner by the adapter (no text can act as a
 * runner command: `##vso[…]` on Azure DevOps, `::cmd::` / `##[cmd]` on GitHub), whatever its origin.
 */
export interface LogOptions {
  /**
   * Verbatim text from outside the step (a remote log, a tool's output, a report field): each line is printed
   * fenced (`  | line`), so it cannot pass for the step's own lines.
   */
  foreign?: boolean;
}

export type StepResult = 'succeeded' | 'succeeded-with-issues' | 'failed';

export interface Platform {
  readonly kind: PlatformKind;

  /**
   * Called first, before any input is read, inside the step's error frame: a platform may load here what reading
   * these inputs needs (the Azure DevOps adapter loads azure-pipelines-task-lib only when they need it). A failure
   * here is reported like any other: one line, the step failed.
   */
  prepare?(inputs: readonly InputSpec[]): Promise<void>;

  /** Raw value of an input as the runner supplies it ('' and absent both read as undefined). */
  getInput(spec: InputSpec): string | undefined;
  /** How the user spells this input on this platform (camelCase on ADO, kebab-case on GitHub). */
  inputName(spec: InputSpec): string;
  /** ADO service connection behind a connectedService input; undefined elsewhere. */
  getServiceConnection(inputName: string): ServiceConnection | undefined;

  setOutput(spec: OutputSpec, value: string): void;
  /** Register a value for masking before it is used anywhere. */
  setSecret(value: string): void;

  debug(message: string): void;
  info(message: string, options?: LogOptions): void;
  warning(message: string): void;
  error(message: string): void;
  isDebug(): boolean;
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Append markdown to the step summary (GitHub job summary, ADO build summary tab). */
  addSummary(markdown: string): Promise<void>;

  /** Final verdict; `failed` makes the process exit non-zero. */
  setResult(result: StepResult, message?: string): void;

  /** Run a program with an argument array, never through a shell. */
  exec(tool: string, args: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Resolve a program on PATH; undefined when absent. */
  which(tool: string): Promise<string | undefined>;
  /** A cached tool directory for name@version, or undefined. */
  findCachedTool(name: string, version: string): Promise<string | undefined>;
  /** Copy a directory into the runner's tool cache and return its cached path. */
  cacheTool(sourceDir: string, name: string, version: string): Promise<string>;

  tempDir(): string;
  workspaceDir(): string;
  network(): NetworkSettings;
}
