// The one place that touches the VS Code webview API. Everything else in the app talks to this
// interface, so the e2e tests install a fake `acquireVsCodeApi` and drive the real app.
import { parseMessage, webviewStateSchema, type WebviewState, type WebviewToHost } from '../src/protocol/diagram-messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export interface Host {
  post(message: WebviewToHost): void;
  /** The persisted UI state, validated (anything malformed is dropped). */
  getState(): WebviewState;
  setState(state: WebviewState): void;
  /** Raw incoming messages; the app validates them. */
  onMessage(listener: (data: unknown) => void): void;
}

export function connectHost(): Host {
  const api = acquireVsCodeApi(); // may be called once per page
  return {
    post: (message) => api.postMessage(message),
    getState: () => parseMessage(webviewStateSchema, api.getState()) ?? {},
    setState: (state) => api.setState(state),
    onMessage: (listener) => window.addEventListener('message', (event: MessageEvent<unknown>) => listener(event.data)),
  };
}
