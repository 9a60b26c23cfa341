// The MCP runtime's part of an installed server's row: start, stop and restart buttons fitting
// its status, the tools a running server offers, the last log lines of a failed one, and the
// server log in the dialog (last lines, then live from GET /api/installs/{id}/log).

import { h } from './dom.js';
import { api } from './api.js';

/** Which runtime buttons a status offers. Sign-in states offer none: the server cannot start yet (needs_reauth and needs_relogin have stopped it). */
const ACTIONS = Object.freeze({
  connected: ['stop'],
  installing: ['stop'],
  starting: ['stop'],
  running: ['stop', 'restart'],
  failed: ['start'],
  stopped: ['start'],
  needs_reauth: [],
  needs_relogin: [],
});

const LABELS = Object.freeze({ start: 'Start', stop: 'Stop', restart: 'Restart' });

const FAILED_LOG_LINES = 8;
const LOG_LINES = 200;

/** The runtime view of one install's row. */
export class RuntimeView {
  constructor({ onError, onLog }) {
    this.onError = onError;
    this.onLog = onLog;
    this.install = null;
    this.tools = h('details', { class: 'tools', 'data-testid': 'tools', hidden: true });
    this.failedLog = h('pre', { class: 'log log--short', 'data-testid': 'failed-log', hidden: true });
    this.buttons = h('div', { class: 'runtime__buttons' });
    this.element = h('div', { class: 'runtime' }, this.tools, this.failedLog, this.buttons);
  }

  /**
   * Shows `install` as it is now; fetches tools or log lines when it has just become running or failed.
   * A `remote` server (one Latchkey connects to, not one it runs) offers no Start, Stop or Restart.
   */
  update(install, { remote = false } = {}) {
    const before = this.install;
    this.install = install;
    this.remote = remote;
    this.showButtons();
    if (before && before.status === install.status && before.statusReason === install.statusReason) {
      return;
    }
    this.tools.hidden = install.status !== 'running';
    this.failedLog.hidden = install.status !== 'failed';
    if (install.status === 'running' || install.status === 'failed') {
      this.load(install);
    }
  }

  async load(install) {
    let runtime;
    try {
      runtime = await api.runtime(install.id, install.status === 'failed' ? FAILED_LOG_LINES : 0);
    } catch (error) {
      return; // the row still shows the status and its reason
    }
    if (this.install !== install) {
      return; // a newer status arrived meanwhile
    }
    if (install.status === 'running') {
      const names = runtime.tools.map((tool) => tool.name);
      this.tools.replaceChildren(
        h('summary', { text: `${names.length} ${names.length === 1 ? 'tool' : 'tools'}` }),
        h('ul', { class: 'tools__list' }, runtime.tools.map((tool) =>
          h('li', { 'data-testid': 'tool', title: tool.description, text: tool.name }))));
    } else {
      this.failedLog.textContent = runtime.log.join('\n');
      this.failedLog.hidden = runtime.log.length === 0;
    }
  }

  showButtons() {
    const install = this.install;
    const actions = this.remote ? [] : ACTIONS[install.status] || [];
    this.buttons.replaceChildren(
      ...actions.map((action) => h('button', {
        type: 'button', class: 'button button--quiet button--small', 'data-testid': action,
        'aria-label': `${LABELS[action]} ${install.displayName}`,
        onclick: (event) => this.act(action, event.currentTarget),
      }, LABELS[action])),
      h('button', {
        type: 'button', class: 'button button--quiet button--small', 'data-testid': 'log',
        'aria-label': `Log of ${install.displayName}`, onclick: () => this.onLog(install),
      }, 'Log'));
  }

  async act(action, button) {
    button.disabled = true;
    try {
      await api[action](this.install.id);
    } catch (error) {
      this.onError(error.message);
      button.disabled = false;
    }
  }
}

/**
 * The dialog content of an install's server log: the last lines, then each new line as it comes.
 * Returns the element and a `close()` that ends the live stream.
 */
export function logView(install) {
  const pre = h('pre', { class: 'log', 'data-testid': 'log-lines', tabindex: '0', 'aria-label': `Log of ${install.displayName}` });
  const state = h('p', { class: 'log__state', 'data-testid': 'log-state', text: 'Loading…' });
  const element = h('div', { class: 'log-view' }, state, pre);
  const add = (line) => {
    const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.append(`${pre.textContent ? '\n' : ''}${line}`);
    if (atEnd) {
      pre.scrollTop = pre.scrollHeight;
    }
  };
  let source = null;
  api.runtime(install.id, LOG_LINES).then((runtime) => {
    pre.textContent = runtime.log.join('\n');
    pre.scrollTop = pre.scrollHeight;
    state.textContent = runtime.log.length === 0 ? 'Nothing logged yet. New lines appear here.' : 'Live: new lines appear below.';
    source = new EventSource(`/api/installs/${encodeURIComponent(install.id)}/log`);
    source.addEventListener('line', (event) => {
      state.textContent = 'Live: new lines appear below.';
      add(event.data);
    });
  }).catch((error) => {
    state.textContent = `The log could not be loaded: ${error.message}`;
  });
  return { element, close: () => source && source.close() };
}
