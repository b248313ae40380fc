// What every form that writes through a mutation shares: the button held while the
// request runs, a fresh idempotency key per submission (a retried click is answered
// from the record, not applied twice), the API's refusal shown with its field, and a
// line saying what was recorded.
import { showRefusal } from './layout.js';

/** A random idempotency key (works without a secure context, unlike randomUUID). */
export function mutationId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The form's value of `name`, trimmed; null when empty. */
export function value(form, name) {
  const text = form.elements[name].value.trim();
  return text === '' ? null : text;
}

/** Runs `send(button)` on submit; shows `done(result, button)`'s words or the refusal. */
export function onSubmit(form, send, done) {
  const alert = form.querySelector('.form-error');
  const status = form.querySelector('.done');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = event.submitter || form.querySelector('button[type="submit"]');
    for (const b of form.querySelectorAll('button')) b.disabled = true;
    alert.hidden = true;
    status.textContent = '';
    form.setAttribute('aria-busy', 'true');
    try {
      const result = await send(button);
      for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
      status.textContent = await done(result, button);
    } catch (error) {
      if (!error.code) throw error;
      showRefusal(alert, error, form);
    } finally {
      // A button marked `data-hold` stays off until its page says it may be used.
      for (const b of form.querySelectorAll('button')) b.disabled = b.dataset.hold === 'true';
      form.setAttribute('aria-busy', 'false');
    }
  });
}
