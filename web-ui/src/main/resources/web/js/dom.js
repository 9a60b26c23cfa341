// Builds elements without innerHTML: catalog manifests come from anywhere, so every text they
// carry is set as text, never parsed as markup.

/**
 * Creates an element. `attrs` keys are attributes, except `text` (textContent), `hidden`
 * (the property) and `on<event>` (listeners); `false`, `null` and `undefined` values are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (key === 'text') {
      element.textContent = value;
    } else if (key === 'hidden') {
      element.hidden = true;
    } else if (key.startsWith('on')) {
      element.addEventListener(key.slice(2), value);
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else {
      element.append(child instanceof Node ? child : String(child));
    }
  }
}

/** Says `message` to screen readers through the page's polite live region. */
export function announce(message) {
  const region = document.getElementById('announcer');
  // Clearing first makes a repeated identical message be spoken again.
  region.textContent = '';
  window.setTimeout(() => { region.textContent = message; }, 50);
}
