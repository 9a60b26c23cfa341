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
