// One input per `user_config` entry of a manifest: string, number, boolean, directory and file,
// each maybe `required`, `sensitive` (masked), `multiple` (a list), with `default`, `min`, `max`.

import { h } from './dom.js';

const TYPE_LABELS = { string: 'text', number: 'number', boolean: 'yes or no', directory: 'folder', file: 'file' };

export function fieldTypeLabel(field) {
  const type = TYPE_LABELS[field.type] || field.type;
  return field.multiple ? `${type}, several allowed` : type;
}

/**
 * Builds the form field for `key`. The returned object reads and validates the value
 * (`{value}`, `{omit: true}` when left empty for the server's default, or `{error}`) and shows
 * errors next to the input.
 */
export function buildField(key, field) {
  return field.type === 'boolean' ? new CheckboxField(key, field) : new InputField(key, field);
}

class FieldBase {
  constructor(key, field) {
    this.key = key;
    this.field = field;
    this.id = `field-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    this.error = h('p', { class: 'field__error', id: `${this.id}-error`, 'data-testid': `error-${key}`, hidden: true });
    this.hintText = hint(field);
    this.hint = this.hintText ? h('p', { class: 'field__hint', id: `${this.id}-hint`, text: this.hintText }) : null;
  }

  describedBy() {
    return [this.hint ? this.hint.id : null, this.error.id].filter(Boolean).join(' ');
  }

  showError(message) {
    this.element.classList.add('field--invalid');
    this.error.textContent = message;
    this.error.hidden = false;
    this.inputs().forEach((input) => input.setAttribute('aria-invalid', 'true'));
  }

  clearError() {
    this.element.classList.remove('field--invalid');
    this.error.hidden = true;
    this.error.textContent = '';
    this.inputs().forEach((input) => input.removeAttribute('aria-invalid'));
  }

  focus() {
    this.inputs()[0].focus();
  }
}

class CheckboxField extends FieldBase {
  constructor(key, field) {
    super(key, field);
    this.input = h('input', {
      type: 'checkbox', id: this.id, name: key, 'data-testid': `field-${key}`,
      'aria-describedby': this.describedBy(), checked: field.default === true,
    });
    this.element = h('div', { class: 'field field--checkbox', 'data-field': key },
      h('div', { class: 'checkbox' }, this.input,
        h('label', { for: this.id, text: field.title || key })),
      this.hint, this.error);
  }

  inputs() {
    return [this.input];
  }

  read() {
    return { value: this.input.checked };
  }
}

class InputField extends FieldBase {
  constructor(key, field) {
    super(key, field);
    this.rows = h('div', { class: 'field__rows' });
    const label = h('label', { for: this.id, class: 'field__label' }, field.title || key,
      field.required && !hasDefault(field) ? h('span', { class: 'field__required', text: 'required' }) : null);
    const defaults = concreteDefaults(field);
    (defaults.length > 0 ? defaults : ['']).forEach((value) => this.addRow(value));
    this.element = h('div', { class: 'field', 'data-field': key }, label, this.hint, this.rows, this.error,
      field.multiple ? h('button', {
        type: 'button', class: 'button button--quiet button--small field__add', 'data-testid': `add-${key}`,
        onclick: () => this.addRow('').focus(),
      }, `Add another ${TYPE_LABELS[field.type] || 'value'}`) : null);
    // An error stays until the person changes the value it is about.
    this.element.addEventListener('input', () => this.clearError());
  }

  inputs() {
    return [...this.rows.querySelectorAll('input')];
  }

  addRow(value) {
    const first = this.rows.children.length === 0;
    const input = h('input', {
      type: inputType(this.field), name: this.key, value,
      id: first ? this.id : null,
      'data-testid': first ? `field-${this.key}` : `field-${this.key}-${this.rows.children.length}`,
      'aria-label': first ? null : `${this.field.title || this.key} ${this.rows.children.length + 1}`,
      'aria-describedby': this.describedBy(),
      class: this.field.type === 'directory' || this.field.type === 'file' ? 'input input--path' : 'input',
      placeholder: placeholder(this.field),
      autocomplete: this.field.sensitive ? 'new-password' : 'off',
      spellcheck: 'false',
      min: this.field.type === 'number' ? this.field.min : null,
      max: this.field.type === 'number' ? this.field.max : null,
      step: this.field.type === 'number' ? 'any' : null,
    });
    const row = h('div', { class: 'field__row' }, input);
    if (this.field.sensitive) {
      row.append(revealButton(input));
    }
    if (this.field.multiple && !first) {
      row.append(h('button', {
        type: 'button', class: 'button button--quiet button--small',
        'aria-label': `Remove ${input.getAttribute('aria-label')}`,
        onclick: () => { row.remove(); this.focus(); },
      }, 'Remove'));
    }
    this.rows.append(row);
    return input;
  }

  read() {
    const values = this.inputs().map((input) => input.value)
      .map((value) => (this.field.type === 'string' ? value : value.trim()))
      .filter((value) => value.trim() !== '');
    if (values.length === 0) {
      return this.field.required && !hasDefault(this.field) ? { error: 'A value is required.' } : { omit: true };
    }
    if (this.field.type === 'number') {
      const numbers = values.map(Number);
      const problem = numbers.map((number) => numberProblem(number, this.field)).find(Boolean);
      if (problem) {
        return { error: problem };
      }
      return { value: this.field.multiple ? numbers : numbers[0] };
    }
    return { value: this.field.multiple ? values : values[0] };
  }
}

function revealButton(input) {
  const button = h('button', { type: 'button', class: 'button button--quiet button--small' }, 'Show');
  button.addEventListener('click', () => {
    const shown = input.type === 'password';
    input.type = shown ? 'text' : 'password';
    button.textContent = shown ? 'Hide' : 'Show';
  });
  return button;
}

function numberProblem(number, field) {
  const hasMin = typeof field.min === 'number';
  const hasMax = typeof field.max === 'number';
  if (!Number.isFinite(number)) {
    return 'Enter a number.';
  }
  if ((hasMin && number < field.min) || (hasMax && number > field.max)) {
    if (hasMin && hasMax) {
      return `Enter a number from ${field.min} to ${field.max}.`;
    }
    return hasMin ? `Enter a number of at least ${field.min}.` : `Enter a number of at most ${field.max}.`;
  }
  return null;
}

function inputType(field) {
  if (field.sensitive) {
    return 'password';
  }
  return field.type === 'number' ? 'number' : 'text';
}

function placeholder(field) {
  if (field.type === 'directory') {
    return '/path/to/folder';
  }
  if (field.type === 'file') {
    return '/path/to/file';
  }
  return null;
}

function hasDefault(field) {
  return field.default !== undefined && field.default !== null;
}

// A default such as "${HOME}/Desktop" is expanded by the backend, not here: it is shown as a
// hint and the field is left empty so the server applies it.
function concreteDefaults(field) {
  if (!hasDefault(field)) {
    return [];
  }
  const values = Array.isArray(field.default) ? field.default : [field.default];
  return values.some((value) => String(value).includes('${')) ? [] : values.map(String);
}

function hint(field) {
  const parts = [];
  if (field.description) {
    parts.push(field.description);
  }
  if (field.type === 'directory' || field.type === 'file') {
    parts.push(`An absolute path to a ${field.type === 'directory' ? 'folder' : 'file'} on this computer.`);
  }
  if (field.type === 'number' && (typeof field.min === 'number' || typeof field.max === 'number')) {
    parts.push(numberRange(field));
  }
  if (hasDefault(field) && concreteDefaults(field).length === 0) {
    parts.push(`Leave empty for the default: ${[].concat(field.default).join(', ')}.`);
  }
  if (field.sensitive) {
    parts.push('Stored encrypted and never shown again.');
  }
  return parts.join(' ');
}

function numberRange(field) {
  if (typeof field.min === 'number' && typeof field.max === 'number') {
    return `From ${field.min} to ${field.max}.`;
  }
  return typeof field.min === 'number' ? `At least ${field.min}.` : `At most ${field.max}.`;
}
