// The installed servers, newest first, each with its live status (from /api/events), its
// reason, its masked settings, its runtime controls (runtime.js) and an Uninstall button that
// asks to confirm in place.

import { h, announce } from './dom.js';
import { api } from './api.js';
import { AUTH_LABELS } from './auth.js';
import { avatar } from './catalog.js';
import { forgetSignIn, signInActions, startSignIn } from './oauth.js';
import { RuntimeView } from './runtime.js';
import { confinement } from './sandbox.js';

const STATUS_LABELS = Object.freeze({
  pending_auth: 'Waiting for sign-in',
  connecting: 'Connecting',
  connected: 'Connected',
  installing: 'Installing',
  starting: 'Starting',
  running: 'Running',
  needs_reauth: 'Needs sign-in again',
  needs_relogin: 'Needs sign-in again',
  failed: 'Failed',
  stopped: 'Stopped',
});

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The Installed section. */
export class Installs {
  constructor({ catalog, onChange, onError, onLog }) {
    this.catalog = catalog;
    this.onChange = onChange;
    this.onError = onError;
    this.onLog = onLog;
    this.rows = new Map();
    this.list = document.getElementById('installs');
    this.empty = document.getElementById('installs-empty');
    this.count = document.getElementById('installed-count');
  }

  /** Replaces the list with `installs` (as answered by GET /api/installs, newest first). */
  show(installs) {
    const ids = new Set(installs.map((install) => install.id));
    for (const id of [...this.rows.keys()]) {
      if (!ids.has(id)) {
        this.drop(id);
      }
    }
    installs.forEach((install) => this.upsert(install, { quiet: true }));
    this.list.append(...installs.map((install) => this.rows.get(install.id).element));
    this.changed();
  }

  /** Adds or updates one install; a status change is announced unless `quiet`. */
  upsert(install, { quiet = false } = {}) {
    const row = this.rows.get(install.id);
    if (row && changedAt(install) < changedAt(row.install)) {
      return; // an answer that left before a newer event arrived (the runtime changes statuses fast)
    }
    if (row) {
      if (!quiet && row.install.status !== install.status) {
        announce(`${install.displayName}: ${statusLabel(install.status)}.`);
      }
      row.update(install);
    } else {
      const created = new Row(install, this);
      this.rows.set(install.id, created);
      this.list.prepend(created.element);
    }
    if (!quiet) {
      this.changed();
    }
  }

  remove(id) {
    const row = this.rows.get(id);
    if (!row) {
      return;
    }
    const hadFocus = row.element.contains(document.activeElement);
    this.drop(id);
    announce(`${row.install.displayName} uninstalled.`);
    this.changed();
    if (hadFocus) {
      document.getElementById('installed-heading').focus();
    }
  }

  drop(id) {
    forgetSignIn(id);
    this.rows.get(id).element.remove();
    this.rows.delete(id);
  }

  changed() {
    const count = this.rows.size;
    this.empty.hidden = count > 0;
    this.count.textContent = count === 0 ? '' : `${count} ${count === 1 ? 'server' : 'servers'}`;
    this.onChange(new Set([...this.rows.values()].map((row) => row.install.catalogName)));
  }

  fieldTitle(install, key) {
    const server = this.catalog.server(install.catalogName);
    const field = server && server.user_config ? server.user_config[key] : null;
    return field && field.title ? field.title : key;
  }
}

/** One installed server's row; updated in place so an open confirmation survives an event. */
class Row {
  constructor(install, owner) {
    this.owner = owner;
    this.badge = h('span', { class: 'badge', 'data-testid': 'status' });
    this.reason = h('p', { class: 'install__reason', 'data-testid': 'status-reason' });
    this.meta = h('p', { class: 'install__meta' });
    this.sandbox = h('p', { class: 'install__meta', 'data-testid': 'sandbox' });
    this.config = h('dl', { class: 'config', 'data-testid': 'config' });
    this.signIn = h('div', { class: 'install__signin', 'data-testid': 'sign-in-actions' });
    this.login = h('div', { class: 'install__login' });
    this.actions = h('div', { class: 'install__actions' });
    this.title = h('h3', { class: 'install__title' });
    this.runtime = new RuntimeView({ onError: owner.onError, onLog: owner.onLog });
    this.element = h('li', { class: 'install', 'data-testid': 'install-row', 'data-install-id': install.id },
      avatar({ name: install.catalogName, display_name: install.displayName }),
      h('div', { class: 'install__main' },
        h('div', { class: 'install__headline' }, this.title, this.badge),
        this.meta, this.sandbox, this.reason, this.signIn, this.login, this.config, this.runtime.element),
      this.actions);
    this.update(install);
    this.showUninstall();
  }

  update(install) {
    this.install = install;
    this.element.dataset.status = install.status;
    this.title.textContent = install.displayName;
    this.badge.className = `badge badge--${install.status}`;
    this.badge.textContent = statusLabel(install.status);
    this.reason.textContent = install.statusReason || '';
    this.reason.hidden = !install.statusReason;
    const remote = isRemote(install, this.owner.catalog);
    const actions = signInActions(install, {
      remote,
      onError: (message) => this.owner.onError(message),
      onChanged: (changed) => this.update(changed),
    });
    this.signIn.replaceChildren(...actions);
    this.signIn.hidden = actions.length === 0;
    const how = [AUTH_LABELS[install.auth] || install.auth, install.provider,
      install.accountLabel && `connected as ${install.accountLabel}`].filter(Boolean);
    this.meta.textContent = `${how.join(' · ')} · installed ${formatDate(install.createdAt)}`;
    this.sandbox.textContent = confinement(install);
    this.sandbox.hidden = !this.sandbox.textContent;
    this.login.replaceChildren(...loginActions(install, this.owner.catalog.server(install.catalogName)).map(([testid, text, call]) => h('button', {
      type: 'button', class: 'button button--quiet', 'data-testid': testid,
      onclick: (event) => this.runLogin(event.currentTarget, call),
    }, text)));
    const entries = Object.entries(install.userConfig || {});
    this.config.hidden = entries.length === 0;
    this.config.replaceChildren(...entries.map(([key, value]) => h('div', { class: 'config__item' },
      h('dt', { text: this.owner.fieldTitle(install, key) }),
      h('dd', { text: Array.isArray(value) ? value.join(', ') : String(value) }))));
    this.runtime.update(install, { remote });
  }

  showUninstall() {
    const button = h('button', {
      type: 'button', class: 'button button--quiet', 'data-testid': 'uninstall',
      'aria-label': `Uninstall ${this.install.displayName}`, onclick: () => this.confirm(),
    }, 'Uninstall');
    this.actions.replaceChildren(button);
    return button;
  }

  /** Re-login, switch or close the login window; the row follows the install's events. */
  async runLogin(button, call) {
    button.disabled = true;
    try {
      await call(this.install.id);
    } catch (error) {
      button.disabled = false;
      announce(error.message || 'That did not work.');
    }
  }

  confirm() {
    const cancel = () => this.showUninstall().focus();
    const yes = h('button', {
      type: 'button', class: 'button button--danger', 'data-testid': 'uninstall-confirm',
      onclick: () => this.uninstall(yes),
    }, 'Uninstall');
    const group = h('div', {
      class: 'confirm', role: 'group', 'aria-label': `Uninstall ${this.install.displayName}?`,
      onkeydown: (event) => { if (event.key === 'Escape') { cancel(); } },
    },
    h('span', { class: 'confirm__text', text: 'Remove it and its settings?' }),
    h('button', { type: 'button', class: 'button button--quiet', 'data-testid': 'uninstall-cancel', onclick: cancel }, 'Keep'),
    yes);
    this.actions.replaceChildren(group);
    yes.focus();
  }

  async uninstall(button) {
    button.disabled = true;
    button.textContent = 'Uninstalling…';
    try {
      await api.uninstall(this.install.id);
      this.owner.remove(this.install.id);
    } catch (error) {
      if (error.status === 404) {
        this.owner.remove(this.install.id);
        return;
      }
      this.owner.onError(error.message);
      this.showUninstall().focus();
    }
  }
}

/** The sign-in buttons an install offers now (`server`: its catalog entry, if known): [test id, label, API call]. */
function loginActions(install, server) {
  if (install.auth === 'browser' && install.status === 'pending_auth') {
    return [['cancel-sign-in', 'Close the login window', api.cancelSignIn]];
  }
  if (install.auth === 'browser') {
    const actions = ['needs_relogin', 'failed'].includes(install.status) ? [['relogin', 'Sign in again', api.relogin]] : [];
    if (server && server.auth.includes('oauth')) {
      // The sign-in opens in the system browser, as an OAuth install's does; the session stays until it succeeds.
      actions.push(['switch-to-oauth', 'Switch to OAuth', (id) => api.switchToOAuth(id).then((started) => startSignIn(id, started))]);
    }
    return actions;
  }
  if (install.auth === 'oauth') {
    return [['switch-to-browser', 'Switch to browser login', api.switchToBrowser]];
  }
  return [];
}

/** A remote MCP server: added by URL (`remote__…`) or a catalog manifest of `server.type: "remote"`. */
function isRemote(install, catalog) {
  const server = catalog.server(install.catalogName);
  return install.catalogName.startsWith('remote__') || Boolean(server && server.server && server.server.type === 'remote');
}

function statusLabel(status) {
  return STATUS_LABELS[status] || status;
}

/** `updatedAt` as a string that sorts by time: the fraction padded to nanoseconds. */
function changedAt(install) {
  return String(install.updatedAt || '').replace(/(\.\d+)?Z$/, (match, fraction) => `${(fraction || '.').padEnd(10, '0')}Z`);
}

function formatDate(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date);
}
