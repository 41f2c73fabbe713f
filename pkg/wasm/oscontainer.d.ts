// Hand-written types of pkg/oscontainer.js, the glue that wasm-bindgen generates with
// --no-typescript (so it writes no .d.ts that would replace this one), for `make lint`'s
// type check of the JavaScript that imports it (tsconfig.checkjs.json): tsc takes this
// file instead of the generated .js, which it does not check and which does not exist
// before `make pkg`. Not published: pkg/index.d.ts is the package's public types. Keep
// it in step with the #[wasm_bindgen] exports of src/js.rs.

/** What `default` and `initSync` accept as the .wasm: a URL, a response, bytes or a module. */
export type WasmSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

export function __wbg_reset_state(): void;

// Every export that checks documents takes (staged input, params): the input as the
// wrapper laid it out, then `params`, the JSON text of the caller's options object (the
// schema as the number registerSchema gave it), or undefined for none. src/params.rs reads
// it; pkg/index.d.ts has the options types generated from there.

/** The JSON text of an options object of pkg/index.d.ts, or undefined for no options. */
export type ParamsText = string | undefined;

export function checkBuildBytes(inputs: Uint8Array, layout: string, params: ParamsText): string;
export function checkParams(fn: string, params: ParamsText): void;
export function checkReleaseBytes(inputs: Uint8Array, layout: string, params: ParamsText): string;
export function compareArchesBytes(inputs: Uint8Array, layout: string, params: ParamsText): string;
export function didYouMean(name: string, known: string[]): string | undefined;
export function optionNames(fn: string): string[] | undefined;
export function parseReference(input: unknown, params: ParamsText): string;
export function readBuildsIndex(input: Uint8Array): string;
export function registerSchema(text: string): number;
export function releaseViewStaged(len: number, positions: boolean, params: ParamsText): string;
export function schemaText(): string;
export function stageInput(len: number): number;
export function start(): void;
export function upgradeStaged(len: number, positions: boolean, params: ParamsText): string;
export function validateStaged(len: number, positions: boolean, params: ParamsText): string;
export function version(): string;
export function wasmMemory(): WebAssembly.Memory;

export function initSync(module: { module: BufferSource | WebAssembly.Module }): unknown;
export default function init(source?: { module_or_path: WasmSource | Promise<WasmSource> }): Promise<unknown>;
