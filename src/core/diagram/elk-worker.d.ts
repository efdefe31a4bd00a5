/** elkjs's in-process worker (the one `elk.bundled.js` wraps); the package ships no types for this file. */
declare module 'elkjs/lib/elk-worker.min.js' {
  interface ElkInProcessWorker {
    postMessage(data: unknown): void;
    onmessage: ((message: { data: unknown }) => void) | null;
    terminate?(): void;
    /** Handles a message synchronously; `postMessage` calls it after a `setTimeout(0)`. */
    dispatcher?: { saveDispatch(message: { data: unknown }): void };
  }
  const elkWorker: { Worker: new () => ElkInProcessWorker };
  export default elkWorker;
}
