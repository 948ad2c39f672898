// Element Plus draws a select's placeholder and its chosen value as text beside an empty <input role="combobox">, and
// a date range as two bare inputs, so those inputs have no name a screen reader can read unless every page passes
// aria-label to every select (axe's critical "label" finding on nearly every filter bar). This gives each such input
// the name a sighted person reads beside it: its form item's label, else the label text just before the control
// (the `<span class="label">期间</span><el-select …>` pattern of the filter bars), else the placeholder it showed when
// first drawn. An input that already has a name (aria-label, aria-labelledby, a <label for>, a placeholder) is left alone.
const candidates = 'input.el-select__input, .el-date-editor input.el-range-input, .el-cascader input, .el-input-number input, .el-switch__input';

function textOf(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function visibleName(input: HTMLInputElement): string {
  const wrapper = input.closest('.el-select, .el-date-editor, .el-cascader, .el-input-number, .el-switch, .el-tree-select') ?? input;
  const formLabel = textOf(input.closest('.el-form-item')?.querySelector(':scope > .el-form-item__label, :scope > .el-form-item__label-wrap .el-form-item__label'));
  if (formLabel) return formLabel;
  const before = wrapper.previousElementSibling;
  if (before && /label|title/.test(before.className) && textOf(before)) return textOf(before);
  const ranged = input.classList.contains('el-range-input') ? input.getAttribute('placeholder') : null;
  if (ranged) return ranged;
  const shown = textOf(wrapper.querySelector('.el-select__placeholder, .el-switch__label'));
  return wrapper.getAttribute('data-label') ?? shown;
}

function name(input: HTMLInputElement) {
  if (input.hasAttribute('aria-label') || input.hasAttribute('aria-labelledby') || input.placeholder) return;
  if (input.id && document.querySelector(`label[for="${CSS.escape(input.id)}"]`)) return;
  const text = visibleName(input);
  if (text) input.setAttribute('aria-label', text);
}

/**
 * Element's autocomplete points aria-activedescendant at "…-item--1" (no such option) while nothing is highlighted, and
 * Vant's tabs point aria-controls at panes not drawn yet (lazy); a reference to nothing is invalid ARIA, so it is
 * dropped until the library points it at something real.
 */
const referring = ['aria-activedescendant', 'aria-controls'] as const;
function dropDangling(el: Element) {
  for (const attribute of referring) {
    const id = el.getAttribute(attribute);
    if (id !== null && (id === '' || !document.getElementById(id))) el.removeAttribute(attribute);
  }
}

/** Names the unnamed inputs under the root now and whenever the page draws more. */
export function nameUnlabelledInputs(root: HTMLElement) {
  const sweep = () => {
    root.querySelectorAll<HTMLInputElement>(candidates).forEach(name);
    root.querySelectorAll('input[aria-activedescendant], [role="tab"][aria-controls]').forEach(dropDangling);
  };
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      sweep();
    });
  }).observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: [...referring] });
  sweep();
}
