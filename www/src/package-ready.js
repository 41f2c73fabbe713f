// The package's browser entry needs its .wasm instantiated before the first call.
let pending;
export function ready(oscontainer) {
  pending ??= typeof oscontainer.default === 'function' ? oscontainer.default() : Promise.resolve();
  return pending;
}
