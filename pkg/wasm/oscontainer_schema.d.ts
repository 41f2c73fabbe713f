// pkg/oscontainer_schema.js, the glue of the module with jsonschema: the same exports as
// pkg/oscontainer.js (see oscontainer.d.ts).
export * from './oscontainer.js';
export { default } from './oscontainer.js';
