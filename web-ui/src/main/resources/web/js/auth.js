// The ways a catalog server can be connected (the `auth` list of GET /api/catalog).

export const AUTH_LABELS = Object.freeze({
  oauth: 'OAuth',
  browser: 'Browser login',
  none: 'No sign-in',
});

export const AUTH_DESCRIPTIONS = Object.freeze({
  oauth: 'Sign in on the service’s own page in your browser; Latchkey keeps the tokens encrypted.',
  browser: 'Sign in inside a Latchkey login window; Latchkey keeps the session encrypted.',
  none: 'Needs no account: it installs straight away.',
});

// OAuth and browser-login installs land with their own issues; until then the API answers
// 501 not_implemented for them, so the page says so before anyone presses Install.
const READY = new Set(['none']);

export function isAuthReady(auth) {
  return READY.has(auth);
}

export const COMING_SOON_REASON =
  'Connecting by OAuth or browser login is coming soon. For now only servers that need no sign-in can be installed.';
