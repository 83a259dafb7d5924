/**
 * One definition per capability: inputs and outputs are declared once, and task.json, action.yml, the docs tables and
 * the typed settings object are all derived from it.
 */

export type InputType =
  | 'string' // one line
  | 'multiline' // free text, kept as is
  | 'secret' // a string that is masked before use
  | 'boolean' // strictly true/false
  | 'choice' // one of `options`
  | 'list' // newline- or comma-separated values
  | 'lines' // newline-separated values (entries may contain commas)
  | 'integer'
  | 'duration' // 30s, 5m, 1h30m, 2d; parsed to milliseconds
  | 'size' // 512KiB, 10MB, 1GiB; parsed to bytes
  | 'url' // absolute http(s) URL unless `schemes` says otherwise
  | 'path'; // a file path (relative to the workspace)

/** The ADO service-connection types this extension uses. */
export type ConnectionKind = 'harbor' | 'azurerm' | 'kubernetes';

/** Field of a service connection an input is read from on Azure DevOps. */
export type ConnectionField = 'url' | 'username' | 'password' | 'insecure' | 'kubeconfig';

export interface InputSpec {
  /** Canonical kebab-case name (GitHub); ADO uses its camelCase form. */
  readonly name: string;
  readonly type: InputType;
  readonly description: string;
  readonly required?: boolean;
  /** Default as the user would type it; parsed like user input. */
  readonly default?: string;
  readonly options?: readonly string[];
  /** URL schemes accepted by `url` inputs (default http, https). */
  readonly schemes?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /** Group label in ADO's task editor and in the docs. */
  readonly group?: string;
  /** ADO-only: show the input only when this rule holds, e.g. `profile = external-services`. */
  readonly visibleRule?: string;
  /** The platforms that have this input (default both). */
  readonly platforms?: readonly ('azure-devops' | 'github')[];
  /** On ADO, the value comes from this service connection field instead of a plain input. */
  readonly connection?: { readonly kind: ConnectionKind; readonly input: string; readonly field: ConnectionField };
}

export interface OutputSpec {
  readonly name: string;
  readonly description: string;
  readonly secret?: boolean;
}

export interface ConnectionSpec {
  readonly input: string;
  readonly kind: ConnectionKind;
  readonly label: string;
  readonly description: string;
  readonly required?: boolean;
  readonly visibleRule?: string;
  readonly group?: string;
}

export interface CapabilityDefinition<
  I extends Record<string, InputSpec> = Record<string, InputSpec>,
  O extends readonly OutputSpec[] = readonly OutputSpec[],
> {
  /** kebab-case id: the GitHub action folder and docs page name. */
  readonly id: string;
  /** ADO task name (PascalCase), e.g. HarborPush. */
  readonly taskName: string;
  readonly friendlyName: string;
  readonly description: string;
  /** One line for marketplace listings (action.yml `description`): at most 125 characters, GitHub's listing limit (every shipped step has one; test/unit/packaging.test.ts). */
  readonly shortDescription?: string;
  /** ADO task category. */
  readonly category: 'Build' | 'Deploy' | 'Utility' | 'Test';
  readonly version: { readonly major: number; readonly minor: number; readonly patch: number };
  /** Stable release task id (GUID). The dev id is derived from it when packaging. */
  readonly taskId: string;
  readonly branding: { readonly icon: string; readonly color: string };
  readonly inputs: I;
  readonly outputs: O;
  /** ADO service connections the task takes; inputs name them through `connection`. */
  readonly connections?: readonly ConnectionSpec[];
  /** ADO task groups in display order: [name, label]. */
  readonly groups?: readonly (readonly [string, string])[];
  /**
   * Rules between inputs that need nothing but the parsed settings (no file, no network), e.g. "a report file or an
   * artifact, not both": checked where the settings are read, so such an input error is raised before the step's run
   * module is loaded (bench/startup). `label` names an input as the platform spells it.
   */
  check?(settings: SettingsOf<I>, label: (key: string) => string): void;
}

/** Identity function that keeps the literal types of the inputs, so settings are typed. */
export function defineCapability<const I extends Record<string, InputSpec>, const O extends readonly OutputSpec[]>(
  definition: CapabilityDefinition<I, O> & { inputs: { [K in keyof I]: I[K] & { name: K } } },
): CapabilityDefinition<I, O> {
  return definition;
}

type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

type ValueOf<S extends InputSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['type'] extends 'integer' | 'duration' | 'size'
    ? number
    : S['type'] extends 'list' | 'lines'
      ? string[]
      : S['type'] extends 'choice'
        ? S['options'] extends readonly (infer O)[]
          ? O
          : string
        : string;

type Present<S extends InputSpec> = S extends { required: true } ? true : S extends { default: string } ? true : false;

/** The typed settings object a capability reads: camelCase keys, parsed values. */
export type SettingsOf<I extends Record<string, InputSpec>> = {
  -readonly [K in keyof I as CamelCase<K & string>]: Present<I[K]> extends true
    ? ValueOf<I[K]>
    : ValueOf<I[K]> | undefined;
};

export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** An input read from the step's Harbor service connection on Azure DevOps (and a plain input on GitHub). */
export function harborConnection(field: ConnectionField): {
  readonly kind: 'harbor';
  readonly input: 'harborConnection';
  readonly field: ConnectionField;
} {
  return { kind: 'harbor', input: 'harborConnection', field };
}
