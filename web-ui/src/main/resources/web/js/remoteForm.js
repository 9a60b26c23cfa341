// "Add by URL": a remote MCP server no catalog lists, by its address (https, or http on this
// machine only) and a name; posted to /api/installs as {remoteUrl, displayName} (docs/api.md,
// "Remote servers"). A server that asks for a sign-in opens its one-time sign-in link, as an
// OAuth install does.

import { h, announce } from './dom.js';
import { api } from './api.js';
import { startSignIn } from './oauth.js';

/** Builds the form; `onInstalled(install)` runs after a 201. */
export function remoteView({ onInstalled, onCancel }) {
  const url = h('input', {
    type: 'url', class: 'input', id: 'remote-url', name: 'remoteUrl', required: true, autocomplete: 'off', spellcheck: 'false',
    placeholder: 'https://mcp.example.com/mcp', 'data-testid': 'remote-url',
  });
  const name = h('input', { type: 'text', class: 'input', id: 'remote-name', name: 'displayName', autocomplete: 'off', 'data-testid': 'remote-name' });
  const formError = h('div', { class: 'callout callout--error', role: 'alert', 'data-testid': 'form-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button button--primary', 'data-testid': 'submit' }, 'Add');
  const form = h('form', { class: 'install-form', 'data-testid': 'remote-form', novalidate: true },
    h('p', { class: 'muted', text: 'A server on the web that speaks MCP over HTTP. Latchkey asks it whether it needs '
      + 'a sign-in and, if so, signs you in at its own authorization server.' }),
    h('div', { class: 'fields' },
      h('div', { class: 'field' }, h('label', { for: 'remote-url', text: 'Server URL' }), url),
      h('div', { class: 'field' }, h('label', { for: 'remote-name', text: 'Name (optional)' }), name)),
    formError,
    h('div', { class: 'dialog__actions' },
      h('button', { type: 'button', class: 'button button--quiet', 'data-testid': 'cancel', onclick: onCancel }, 'Cancel'),
      submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.hidden = true;
    if (!url.value.trim()) {
      formError.textContent = 'Enter the server\'s URL.';
      formError.hidden = false;
      url.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Connecting…';
    try {
      const install = await api.addRemote(url.value.trim(), name.value.trim());
      if (install.signInUrl) {
        startSignIn(install.id, install);
        announce(`${install.displayName} added. Sign in on the page that opened.`);
      } else {
        announce(`${install.displayName} added.`);
      }
      onInstalled(install);
    } catch (error) {
      formError.textContent = error.message;
      formError.hidden = false;
      submit.disabled = false;
      submit.textContent = 'Add';
    }
  });
  return form;
}
