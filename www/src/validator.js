// The page's side of worker.js: one promise per call; a crashed worker is replaced and
// its pending calls are rejected, so the next call works.

export class Validator {
  #worker;
  #pending = new Map();
  #nextId = 1;

  constructor() {
    this.#start();
  }

  #start() {
    this.#worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.#worker.onmessage = ({ data }) => {
      const call = this.#pending.get(data.id);
      if (!call) return;
      this.#pending.delete(data.id);
      if (data.error) call.reject(Object.assign(new Error(data.error.message), { name: data.error.name }));
      else call.resolve(data.result);
    };
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.#restart(new Error(event.message || 'the validation worker stopped'));
    };
  }

  #restart(error) {
    this.#worker.terminate();
    for (const call of this.#pending.values()) call.reject(error);
    this.#pending.clear();
    this.#start();
  }

  #call(op, text, options) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, op, text, options });
    });
  }

  validate(text, options) {
    return this.#call('validate', text, options);
  }

  upgrade(text, options) {
    return this.#call('upgrade', text, options);
  }

  /** `{ reference }` for a valid image reference, else `{ error: { code, message, offset } }`. */
  reference(text) {
    return this.#call('reference', text);
  }

  /**
   * checkBuild on one build's meta.json files.
   * @param {import('oscontainer').ArchDocument[]} docs
   * @returns {Promise<import('oscontainer').BuildReport>}
   */
  checkBuild(docs, options) {
    return this.#call('build', { docs }, options);
  }

  /**
   * checkRelease: a release.json against its build's meta.json files.
   * @param {import('oscontainer').ArchDocument[]} docs
   * @returns {Promise<import('oscontainer').ReleaseCheck>}
   */
  checkRelease(release, docs, options) {
    return this.#call('release', { release, docs }, options);
  }

  /**
   * readBuildsIndex: builds.json's builds and findings, as `checkBuildsDir` reads them.
   * @param {Uint8Array} bytes
   * @returns {Promise<import('oscontainer').BuildsIndex>}
   */
  readBuildsIndex(bytes) {
    return this.#call('buildsIndex', bytes);
  }
}
