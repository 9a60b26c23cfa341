// The catalog cards, their search and the filter by sign-in kind.
//
// Search must stay fast with a thousand servers: every card is rendered once, each keeps a
// precomputed lowercase search string, and a keystroke only flips `hidden` on the cards whose
// visibility changes (no reads of layout in between, so no layout thrash).

import { h, announce } from './dom.js';
import { AUTH_LABELS } from './auth.js';

const numberFormat = new Intl.NumberFormat();

/** The catalog section: cards, search box, filters, result count and load problems. */
export class Catalog {
  constructor({ onDetails, onInstall }) {
    this.onDetails = onDetails;
    this.onInstall = onInstall;
    this.entries = [];
    this.byName = new Map();
    this.filter = 'all';
    this.terms = [];
    this.cards = document.getElementById('cards');
    this.search = document.getElementById('search');
    this.count = document.getElementById('result-count');
    this.empty = document.getElementById('catalog-empty');
    this.announceTimer = 0;
    this.search.addEventListener('input', () => this.onSearch());
    document.querySelectorAll('[data-filter]').forEach((button) =>
      button.addEventListener('click', () => this.setFilter(button.dataset.filter)));
  }

  /** Renders the catalog answered by GET /api/catalog, replacing what was there. */
  show({ servers, problems }) {
    document.getElementById('catalog-loading').hidden = true;
    const sorted = [...servers].sort((a, b) => label(a).localeCompare(label(b)));
    const fragment = document.createDocumentFragment();
    this.entries = sorted.map((server, index) => {
      const card = this.card(server, index);
      fragment.append(card);
      return { server, card, text: searchText(server), visible: true };
    });
    this.byName = new Map(this.entries.map((entry) => [entry.server.name, entry]));
    this.cards.replaceChildren(fragment);
    showProblems(problems || []);
    this.apply();
    // The search benchmark and the QA kit read this to know when the cards are in the page.
    performance.mark('latchkey:catalog-rendered');
  }

  server(name) {
    const entry = this.byName.get(name);
    return entry ? entry.server : null;
  }

  /** Marks the cards of servers that are installed (a server may be installed more than once). */
  markInstalled(names) {
    for (const entry of this.entries) {
      entry.card.classList.toggle('card--installed', names.has(entry.server.name));
    }
  }

  setFilter(filter) {
    this.filter = filter;
    document.querySelectorAll('[data-filter]').forEach((button) =>
      button.setAttribute('aria-pressed', String(button.dataset.filter === filter)));
    this.apply();
    this.announceCount();
  }

  onSearch() {
    this.terms = this.search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    this.apply();
    this.announceCount();
  }

  apply() {
    let shown = 0;
    for (const entry of this.entries) {
      const visible = this.matches(entry);
      if (visible !== entry.visible) {
        entry.card.hidden = !visible;
        entry.visible = visible;
      }
      if (visible) {
        shown += 1;
      }
    }
    this.shown = shown;
    this.empty.hidden = shown > 0 || this.entries.length === 0;
    this.count.textContent = countText(shown, this.entries.length);
  }

  matches(entry) {
    if (this.filter !== 'all' && !entry.server.auth.includes(this.filter)) {
      return false;
    }
    return this.terms.every((term) => entry.text.includes(term));
  }

  // Speaking the count after every keystroke would drown a screen reader; say it once typing pauses.
  announceCount() {
    window.clearTimeout(this.announceTimer);
    this.announceTimer = window.setTimeout(() => announce(countText(this.shown, this.entries.length)), 700);
  }

  card(server, index) {
    const titleId = `card-title-${index}`;
    const actions = [
      h('button', {
        type: 'button', class: 'button button--quiet', 'data-testid': 'details',
        'aria-describedby': titleId, onclick: () => this.onDetails(server),
      }, 'Details'),
    ];
    if (server.runnable) {
      actions.push(h('button', {
        type: 'button', class: 'button button--primary', 'data-testid': 'install',
        'aria-describedby': titleId, onclick: () => this.onInstall(server),
      }, 'Install'));
    }
    return h('article', {
      class: server.runnable ? 'card' : 'card card--broken',
      'data-testid': 'card', 'data-name': server.name, 'aria-labelledby': titleId,
    },
    h('div', { class: 'card__top' },
      avatar(server),
      h('div', { class: 'card__heading' },
        h('h3', { class: 'card__title', id: titleId, text: label(server) }),
        h('p', { class: 'card__name', text: server.name }))),
    h('p', { class: 'card__desc', text: server.description || 'No description.' }),
    tags(server),
    server.runnable ? null : h('p', { class: 'card__problem', 'data-testid': 'problem' },
      h('strong', { text: 'Can’t be installed: ' }), server.problem),
    h('div', { class: 'card__actions' }, actions));
  }
}

export function label(server) {
  return server.display_name || server.name;
}

/** A square with the server's initial, coloured by a hash of its name so it stays the same. */
export function avatar(server, className = 'avatar') {
  const element = h('span', { class: className, 'aria-hidden': 'true', text: initial(server) });
  element.style.setProperty('--hue', String(hue(server.name)));
  return element;
}

function initial(server) {
  const match = label(server).match(/[\p{L}\p{N}]/u);
  return match ? match[0].toUpperCase() : '?';
}

function hue(name) {
  let hash = 0;
  for (let i = 0; i < name.length; i += 1) {
    hash = (hash * 31 + name.charCodeAt(i)) | 0;
  }
  return Math.abs(hash) % 360;
}

/** The sign-in and source tags of a server. */
export function tags(server) {
  return h('ul', { class: 'tags', 'aria-label': 'Sign-in and source' },
    server.auth.map((auth) => h('li', { class: `tag tag--${auth}`, text: AUTH_LABELS[auth] || auth })),
    sourceLabel(server) ? h('li', { class: 'tag tag--source', text: sourceLabel(server) }) : null,
    h('li', { class: 'tag tag--installed', text: 'Installed' }));
}

// Built-in servers are the usual case and carry no tag; a manifest from the user's folder does.
function sourceLabel(server) {
  return server.source === 'user' ? 'Your catalog' : '';
}

function searchText(server) {
  return [
    label(server), server.name, server.description || '', sourceLabel(server),
    ...server.auth.map((auth) => AUTH_LABELS[auth] || auth),
  ].join(' ').toLowerCase();
}

function countText(shown, total) {
  const noun = total === 1 ? 'connector' : 'connectors';
  return shown === total ? `${numberFormat.format(total)} ${noun}`
    : `${numberFormat.format(shown)} of ${numberFormat.format(total)} ${noun}`;
}

function showProblems(problems) {
  const details = document.getElementById('catalog-problems');
  details.hidden = problems.length === 0;
  document.getElementById('catalog-problems-summary').textContent = problems.length === 1
    ? '1 manifest could not be loaded' : `${problems.length} manifests could not be loaded`;
  document.getElementById('catalog-problems-list').replaceChildren(...problems.map((problem) =>
    h('li', {}, h('span', { class: 'problems__source', text: problem.source }), ' ', problem.message)));
}
