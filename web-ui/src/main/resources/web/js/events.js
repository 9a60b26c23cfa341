// The live stream GET /api/events (server-sent events). EventSource retries by itself after a
// dropped connection; when the server refuses the stream (e.g. 401) the browser gives up, so
// this retries with a growing delay. Every `hello` means a fresh stream, possibly after missed
// events, so the caller reloads what it shows.

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;

/**
 * Opens the stream; `onState` gets `live` or `reconnecting`. When the server refuses the stream,
 * `onRefused()` resolves to whether trying again makes sense (not when signed out).
 */
export function connectEvents({ onHello, onInstall, onRemoved, onState, onRefused }) {
  let delay = FIRST_DELAY_MS;

  const open = () => {
    const source = new EventSource('/api/events');
    source.addEventListener('hello', () => {
      delay = FIRST_DELAY_MS;
      onState('live');
      onHello();
    });
    source.addEventListener('install', (event) => onInstall(JSON.parse(event.data)));
    source.addEventListener('install-removed', (event) => onRemoved(JSON.parse(event.data).id));
    source.addEventListener('error', () => {
      onState('reconnecting');
      if (source.readyState === EventSource.CLOSED) {
        onRefused().then((retry) => {
          if (retry) {
            window.setTimeout(open, delay);
            delay = Math.min(delay * 2, MAX_DELAY_MS);
          }
        });
      }
    });
  };
  open();
}
