// The details view of a catalog server: what it is, how it signs in, what it runs, what it asks.

import { h } from './dom.js';
import { AUTH_LABELS, AUTH_DESCRIPTIONS } from './auth.js';
import { avatar, tags } from './catalog.js';
import { fieldTypeLabel } from './fields.js';

/** Builds the details content for `server`; `onInstall` is called by its Install button. */
export function detailsView(server, { onInstall, onClose }) {
  const fields = Object.entries(server.user_config || {});
  return h('div', { class: 'details', 'data-testid': 'details-view' },
    h('div', { class: 'details__intro' },
      avatar(server, 'avatar avatar--large'),
      h('div', {},
        h('p', { class: 'details__name', text: server.name }),
        h('p', { class: 'details__desc', text: server.description || 'No description.' }),
        tags(server))),
    server.runnable ? null : h('p', { class: 'callout callout--error', 'data-testid': 'problem' },
      h('strong', { text: 'Can’t be installed. ' }), server.problem),
    section('Sign-in', h('ul', { class: 'plain-list' }, server.auth.map((auth) => h('li', {},
      h('strong', { text: AUTH_LABELS[auth] || auth }),
      providerNote(server, auth),
      h('span', { class: 'muted', text: ` — ${AUTH_DESCRIPTIONS[auth] || ''}` }))))),
    section('Runs', runs(server.server || {})),
    fields.length === 0 ? null : section('Settings', h('dl', { class: 'settings' },
      fields.map(([key, field]) => [
        h('dt', {}, field.title || key, ' ', h('span', { class: 'muted', text: describe(field) })),
        h('dd', { text: field.description || '' }),
      ]))),
    h('div', { class: 'dialog__actions' },
      h('button', { type: 'button', class: 'button button--quiet', onclick: onClose }, 'Close'),
      server.runnable ? h('button', {
        type: 'button', class: 'button button--primary', 'data-testid': 'details-install',
        onclick: () => onInstall(server),
      }, 'Install…') : null));
}

function section(title, content) {
  return h('section', { class: 'details__section' }, h('h3', { text: title }), content);
}

function providerNote(server, auth) {
  const config = server.archestra_config || {};
  const provider = auth === 'oauth' ? config.oauth && config.oauth.provider
    : auth === 'browser' ? config.browser_based && config.browser_based.provider : null;
  return provider ? h('span', { class: 'muted', text: ` (${provider})` }) : null;
}

function runs(spec) {
  if (spec.type === 'remote') {
    return h('p', {}, 'A remote server at ', h('code', { text: spec.url || 'an unknown address' }));
  }
  const line = [spec.command || '', ...(spec.args || [])].filter(Boolean).join(' ');
  const env = Object.keys(spec.env || {});
  return h('div', {},
    h('pre', { class: 'command', 'data-testid': 'command' }, h('code', { text: line || '(no command)' })),
    env.length === 0 ? null : h('p', { class: 'details__env muted' }, 'Environment: ',
      env.map((name, index) => [index > 0 ? ', ' : '', h('code', { text: name })])));
}

function describe(field) {
  const parts = [fieldTypeLabel(field)];
  parts.push(field.required ? 'required' : 'optional');
  if (field.sensitive) {
    parts.push('kept secret');
  }
  return `(${parts.join(', ')})`;
}
