// Hand-written types of pkg/oscontainer.js, the glue that wasm-bindgen generates with
// --no-typescript (so it writes no .d.ts that would replace this one), for `make lint`'s
// type check of the JavaScript that imports it (tsconfig.checkjs.json): tsc takes this
// file instead of the generated .js, which it does not check and which does not exist
// before `make pkg`. Not published: pkg/index.d.ts is the package's public types. Keep
// it in step with the #[wasm_bindgen] exports of src/js.rs.

/** What `default` and `initSync` accept as the .wasm: a URL, a response, bytes or a module. */
export type WasmSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

export function __wbg_reset_state(): void;

export function compareArchesBytes(
  inputs: Uint8Array,
  lengths: Uint32Array,
  arches: string,
  names: string,
  positions: Uint8Array,
  profile: unknown,
  buildId: unknown,
  presence: unknown,
): string;
export function checkBuildBytes(
  inputs: Uint8Array,
  lengths: Uint32Array,
  arches: string,
  names: string,
  positions: Uint8Array,
  profile: unknown,
  buildId: unknown,
  presence: unknown,
): string;
export function checkReleaseBytes(
  release: Uint8Array,
  releasePositions: boolean,
  inputs: Uint8Array,
  lengths: Uint32Array,
  arches: string,
  names: string,
  positions: Uint8Array,
  profile: unknown,
  buildId: unknown,
  presence: unknown,
): string;
export function didYouMean(name: string, known: string[]): string | undefined;
export function parseReference(input: unknown, normalize: boolean): string;
export function registerSchema(text: string): number;
export function releaseViewStaged(len: number, profile: unknown, buildId: unknown, positions: boolean): string;
export function schemaText(): string;
export function stageInput(len: number): number;
export function start(): void;
export function upgradeStaged(len: number, profile: unknown, schema: unknown, positions: boolean, buildId: unknown): string;
export function validateStaged(len: number, profile: unknown, schema: unknown, positions: boolean, buildId: unknown): string;
export function version(): string;
export function wasmMemory(): WebAssembly.Memory;

export function initSync(module: { module: BufferSource | WebAssembly.Module }): unknown;
export default function init(source?: { module_or_path: WasmSource | Promise<WasmSource> }): Promise<unknown>;
