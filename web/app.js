// OsteoScreen screening page: plain ES2020, no framework, no build step, no external URL.
// Routes (hash based, so the server only ever serves one page):
//   #/                 upload a radiograph and screen it
//   #/screenings/<id>  one result
//   #/history          recent screenings
//   #/model            the loaded model and its model card
// Every value that comes from the server or from a file name is put into the DOM as text
// (never innerHTML), and only same-origin paths are used as link/image targets.
'use strict';

(() => {
  const API = '/api/v1';
  const CATEGORIES = {
    normal: 'Normal',
    osteopenia: 'Osteopenia',
    osteoporosis: 'Osteoporosis',
  };
  const OSTA_EXPLANATION =
    'OSTA = 0.2 × (weight kg − age); high risk < −4, moderate −4 to −1, low > −1';
  const ERROR_TITLES = {
    400: 'The request was not accepted',
    401: 'Sign-in required',
    403: 'Not allowed',
    404: 'Not found',
    413: 'The file is too large',
    415: 'Unsupported file type',
    422: 'The image could not be read',
    429: 'Too many requests',
    500: 'The server hit an internal error',
    503: 'The server is busy',
  };

  // ---------------------------------------------------------------- small DOM helpers

  /** Creates an element; attrs go through properties/attributes, children are nodes or text. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'text') el.textContent = value;
      else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else if (key === 'dataset') Object.assign(el.dataset, value);
      else if (key === 'testid') el.setAttribute('data-testid', value);
      else if (value === true) el.setAttribute(key, '');
      else el.setAttribute(key, String(value));
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    for (const child of [children].flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  /** Only same-origin absolute paths are used as URLs (no javascript:, no other hosts). */
  function safe_path(url) {
    return typeof url === 'string' && url.startsWith('/') && !url.startsWith('//') ? url : null;
  }

  // ---------------------------------------------------------------- formatting

  const MINUS = '\u2212';

  function is_num(x) {
    return typeof x === 'number' && Number.isFinite(x);
  }

  /** Fixed-point number with a typographic minus sign ("−2.1"). */
  function fmt_num(x, digits = 1) {
    if (!is_num(x)) return '—';
    const s = x.toFixed(digits);
    // "-0.0" reads oddly; show it as 0.0.
    if (/^-0(\.0+)?$/.test(s)) return s.slice(1);
    return s.replace('-', MINUS);
  }

  function fmt_percent(p, digits = 1) {
    return is_num(p) ? `${(p * 100).toFixed(digits)} %` : '—';
  }

  function fmt_tscore(t) {
    if (!t || !is_num(t.estimate)) return 'not available';
    const interval = is_num(t.low) && is_num(t.high) ? ` (${fmt_num(t.low)} to ${fmt_num(t.high)})` : '';
    return `${fmt_num(t.estimate)}${interval}`;
  }

  function fmt_time(iso) {
    const d = new Date(iso);
    if (typeof iso !== 'string' || Number.isNaN(d.getTime())) return iso ? String(iso) : '—';
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
      `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  function fmt_bytes(n) {
    if (!is_num(n)) return '';
    if (n < 1024) return `${n} B`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
    return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  }

  function short_hash(s) {
    return typeof s === 'string' && s.length > 12 ? `${s.slice(0, 12)}…` : (s || '—');
  }

  function category_label(c) {
    return CATEGORIES[c] || (c ? String(c) : 'Unknown');
  }

  /** "auroc_osteoporosis" -> "AUROC osteoporosis"; keeps the key readable without a lookup table. */
  function humanize_key(key) {
    const words = String(key).replace(/[_-]+/g, ' ').trim();
    return words.replace(/\b(auroc|auprc|auc|ece|ppv|npv|sha256|id|roi|bmi|osta|who|dexa|png|dicom|json|html|lr)\b/gi,
      (w) => w.toUpperCase()).replace(/^./, (c) => c.toUpperCase());
  }

  function fmt_value(v) {
    if (v === null || v === undefined) return '—';
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 10000) / 10000);
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (typeof v === 'object') return flatten(v, [], []).map(([p, x]) => `${p.join(' › ')}: ${x}`).join('; ');
    return String(v);
  }

  // ---------------------------------------------------------------- API access

  class ApiError extends Error {
    constructor(title, message, status) {
      super(message);
      this.title = title;
      this.status = status;
    }
  }

  /** Seconds to wait from a Retry-After header (delta seconds or an HTTP date), or null. */
  function retry_after_seconds(value) {
    if (!value) return null;
    if (/^\s*\d+\s*$/.test(value)) return parseInt(value, 10);
    const when = Date.parse(value);
    return Number.isNaN(when) ? null : Math.max(0, Math.ceil((when - Date.now()) / 1000));
  }

  /** Turns a non-2xx answer into a readable ApiError; never surfaces raw JSON or HTML. */
  async function error_from_response(res) {
    let message = '';
    try {
      const body = await res.json();
      if (body && body.error && typeof body.error.message === 'string') message = body.error.message;
    } catch (_) {
      // Not JSON (a proxy page, an empty body): fall back to the status text below.
    }
    if (message.length > 400) message = `${message.slice(0, 400)}…`;
    if (res.status === 503) {
      const secs = retry_after_seconds(res.headers.get('Retry-After'));
      const wait = secs === null ? 'The server is busy, try again shortly.'
        : `The server is busy, try again in ${secs} s.`;
      return new ApiError('The server is busy', message ? `${wait} (${message})` : wait, 503);
    }
    const title = ERROR_TITLES[res.status] || `The server answered with an error (HTTP ${res.status})`;
    return new ApiError(title, message || `HTTP ${res.status} ${res.statusText || ''}`.trim(), res.status);
  }

  /** Calls the API; resolves to {status, body} for a 2xx JSON answer, rejects with a readable ApiError. */
  async function api_call(path, options = {}) {
    let res;
    try {
      res = await fetch(API + path, { headers: { Accept: 'application/json' }, ...options });
    } catch (_) {
      throw new ApiError('Cannot reach the OsteoScreen server',
        'The network request failed. Check that the server is running and try again.', 0);
    }
    if (!res.ok) throw await error_from_response(res);
    try {
      return { status: res.status, body: await res.json() };
    } catch (_) {
      throw new ApiError('Unexpected answer from the server',
        'The server sent something that is not valid JSON.', res.status);
    }
  }

  async function api(path, options) {
    return (await api_call(path, options)).body;
  }

  // The model list rarely changes while the page is open: fetch it once and share it.
  let models_promise = null;
  function load_models() {
    if (!models_promise) {
      models_promise = api('/models').then((body) => (Array.isArray(body.models) ? body.models : []));
      models_promise.catch(() => { models_promise = null; });
    }
    return models_promise;
  }

  // ---------------------------------------------------------------- alerts

  const alerts = () => document.getElementById('alerts');

  function show_error(err) {
    const title = err instanceof ApiError ? err.title : 'Something went wrong';
    const message = err instanceof ApiError ? err.message
      : 'The page hit an unexpected problem. Reload the page and try again.';
    if (!(err instanceof ApiError)) console.error(err);
    clear(alerts()).appendChild(
      h('div', { class: 'alert alert-error', role: 'alert', testid: 'error-box' },
        h('strong', { class: 'alert-title', text: title }),
        h('p', { class: 'alert-message', text: message }),
        h('button', {
          type: 'button', class: 'alert-close', 'aria-label': 'Dismiss this message',
          onclick: () => clear(alerts()),
        }, h('span', { 'aria-hidden': 'true', text: '×' }))));
  }

  function clear_errors() {
    clear(alerts());
  }

  // A one-shot note carried from the upload view to the result view.
  let flash_note = null;

  // ---------------------------------------------------------------- router

  let render_token = 0;

  function current_route() {
    const hash = location.hash.replace(/^#/, '') || '/';
    let m;
    if (hash === '/' || hash === '') return { name: 'screen' };
    if ((m = hash.match(/^\/screenings\/([^/?#]+)$/))) return { name: 'result', id: decodeURIComponent(m[1]) };
    if (hash === '/history') return { name: 'history' };
    if (hash === '/model') return { name: 'model' };
    return { name: 'notfound' };
  }

  function render() {
    const token = ++render_token;
    const route = current_route();
    const view = document.getElementById('view');
    clear_errors();
    clear(view);
    for (const link of document.querySelectorAll('.nav a')) {
      const active = link.dataset.route === route.name;
      if (active) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    // A view's async work checks is_current() so that a slow answer never paints over a newer view.
    const is_current = () => token === render_token;
    const views = { screen: render_screen, result: render_result, history: render_history, model: render_model };
    const fn = views[route.name] || render_not_found;
    document.title = `OsteoScreen — ${{ screen: 'Screen', result: 'Result', history: 'History', model: 'Model' }[route.name] || 'Not found'}`;
    Promise.resolve(fn(view, route, is_current)).catch((err) => {
      if (!is_current()) return;
      show_error(err);
      clear(view).appendChild(h('p', {},
        h('button', { type: 'button', class: 'secondary', testid: 'retry', onclick: render }, 'Try again')));
    });
  }

  function loading(text) {
    return h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
  }

  function render_not_found(view) {
    append(view, [
      h('h1', { text: 'Page not found' }),
      h('p', {}, 'There is nothing at this address. ', h('a', { href: '#/' }, 'Screen a radiograph'), '.'),
    ]);
  }

  // ---------------------------------------------------------------- upload view

  function number_field(id, label, attrs, hint) {
    return h('div', { class: 'field' },
      h('label', { for: id, text: label }),
      h('input', { id, name: id, type: 'text', inputmode: 'decimal', autocomplete: 'off', ...attrs }),
      hint ? h('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null);
  }

  function parse_number(text) {
    const s = String(text || '').trim().replace(',', '.');
    if (s === '') return null;
    const x = Number(s);
    return Number.isFinite(x) ? x : NaN;
  }

  function render_screen(view) {
    const state = { file: null, preview_seq: 0, busy: false };

    const file_input = h('input', {
      // Kept out of the tab order: the drop zone is the keyboard target and opens this picker.
      type: 'file', id: 'file-input', class: 'visually-hidden', testid: 'file-input', tabindex: '-1',
      'aria-label': 'Radiograph file (DICOM, PNG or JPEG)', 'aria-describedby': 'drop-hint',
    });
    const file_name = h('p', { class: 'file-name', testid: 'file-name', 'aria-live': 'polite' });
    const drop = h('div', {
      class: 'dropzone', tabindex: '0', role: 'button', testid: 'dropzone',
      'aria-label': 'Choose a radiograph file (DICOM, PNG or JPEG), or drop it here',
    },
    h('p', { class: 'drop-title' }, 'Drop a radiograph here, or ',
      h('span', { class: 'linkish' }, 'choose a file')),
    h('p', { class: 'hint', id: 'drop-hint', text: 'DICOM (.dcm or no extension), PNG or JPEG. One file at a time.' }),
    file_name);

    const preview_box = h('div', { class: 'preview', testid: 'preview' },
      h('p', { class: 'preview-empty', text: 'The preview appears here once a file is chosen.' }));

    const age = number_field('age', 'Age (years)', { placeholder: 'e.g. 70', 'aria-describedby': 'age-hint' },
      'Optional. Needed with weight for the OSTA index.');
    const sex = h('div', { class: 'field' },
      h('label', { for: 'sex', text: 'Sex' }),
      h('select', { id: 'sex', name: 'sex' },
        h('option', { value: '', text: 'unknown' }),
        h('option', { value: 'F', text: 'F (female)' }),
        h('option', { value: 'M', text: 'M (male)' })));
    const weight = number_field('weight', 'Weight (kg)', { placeholder: 'e.g. 55', 'aria-describedby': 'weight-hint' },
      'Optional.');
    const height = number_field('height', 'Height (m)', { placeholder: 'e.g. 1.62', 'aria-describedby': 'height-hint' },
      'Optional. A value above 3 is read as centimetres and converted to metres.');
    const prefill_note = h('p', { class: 'hint prefill-note', testid: 'prefill-note', 'aria-live': 'polite' });

    const button = h('button', { type: 'submit', class: 'primary', testid: 'screen-button', disabled: true }, 'Screen');
    const form = h('form', { class: 'screen-form', novalidate: true },
      h('h1', { text: 'Screen a radiograph' }),
      h('div', { class: 'upload-grid' },
        h('div', {}, drop, file_input, preview_box),
        h('fieldset', { class: 'covariates' },
          h('legend', { text: 'Patient (optional)' }),
          age, sex, weight, height, prefill_note,
          h('div', { class: 'actions' }, button),
          h('p', { class: 'hint', text: 'The result is an estimate for screening support, not a diagnosis.' }))));
    append(view, form);

    const $ = (id) => form.querySelector(`#${id}`);
    const fields = { age: $('age'), sex: $('sex'), weight: $('weight'), height: $('height') };
    const height_hint = $('height-hint');
    const height_hint_default = height_hint.textContent;

    // Values filled from a DICOM header are replaced when another file is chosen; typed values stay.
    for (const el of Object.values(fields)) {
      el.addEventListener('input', () => { delete el.dataset.prefilled; });
    }

    function normalise_height() {
      const x = parse_number(fields.height.value);
      if (is_num(x) && x > 3) {
        const m = Math.round(x * 10) / 1000;
        fields.height.value = String(m);
        height_hint.textContent = `Converted ${fmt_value(x)} cm to ${fmt_value(m)} m.`;
        height_hint.classList.add('converted');
        return m;
      }
      if (fields.height.value.trim() === '') {
        height_hint.textContent = height_hint_default;
        height_hint.classList.remove('converted');
      }
      return x;
    }
    fields.height.addEventListener('change', normalise_height);

    function prefill(patient) {
      const filled = [];
      const put = (el, value, text) => {
        if (el.value.trim() !== '' && !el.dataset.prefilled) return;  // never overwrite what the user typed
        if (value === null || value === undefined) {
          if (el.dataset.prefilled) { el.value = ''; delete el.dataset.prefilled; }
          return;
        }
        el.value = text;
        el.dataset.prefilled = '1';
        filled.push(el.id);
      };
      const p = patient || {};
      put(fields.age, is_num(p.age) ? p.age : null, is_num(p.age) ? fmt_value(p.age) : '');
      put(fields.sex, p.sex === 'F' || p.sex === 'M' ? p.sex : null, p.sex);
      put(fields.weight, is_num(p.weight_kg) ? p.weight_kg : null, is_num(p.weight_kg) ? fmt_value(p.weight_kg) : '');
      put(fields.height, is_num(p.height_m) ? p.height_m : null, is_num(p.height_m) ? fmt_value(p.height_m) : '');
      prefill_note.textContent = filled.length
        ? `Filled from the file's header: ${filled.join(', ')}. Check and edit if needed.` : '';
    }

    async function choose(file) {
      if (!file) return;
      clear_errors();
      state.file = file;
      button.disabled = false;
      file_name.textContent = `${file.name || 'unnamed file'} (${fmt_bytes(file.size)})`;
      const seq = ++state.preview_seq;
      clear(preview_box).appendChild(loading('Rendering a preview…'));
      const body = new FormData();
      body.append('file', file, file.name || 'upload');
      try {
        const preview = await api('/previews', { method: 'POST', body });
        if (seq !== state.preview_seq || !form.isConnected) return;
        const src = typeof preview.image === 'string' && preview.image.startsWith('data:image/') ? preview.image : null;
        clear(preview_box);
        append(preview_box, [
          src ? h('img', {
            src, testid: 'preview-img', class: 'preview-img',
            alt: `Preview of ${file.name || 'the chosen file'}`,
          }) : h('p', { class: 'preview-empty', text: 'The server sent no preview image.' }),
          h('p', { class: 'hint', testid: 'preview-meta' },
            `${String(preview.format || '').toUpperCase() || 'Image'} · ${fmt_value(preview.width)} × ${fmt_value(preview.height)} px`),
        ]);
        prefill(preview.patient);
      } catch (err) {
        if (seq !== state.preview_seq || !form.isConnected) return;
        clear(preview_box).appendChild(h('p', { class: 'preview-empty', text: 'No preview for this file.' }));
        show_error(err);
      }
    }

    file_input.addEventListener('change', () => {
      const file = file_input.files && file_input.files[0];
      file_input.value = '';  // so that picking the same file again still fires 'change'
      choose(file);
    });
    drop.addEventListener('click', () => file_input.click());
    drop.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); file_input.click(); }
    });
    drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('dragging'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('dragging');
      const files = e.dataTransfer && e.dataTransfer.files;
      if (files && files.length > 1) {
        show_error(new ApiError('One file at a time', `You dropped ${files.length} files; screening the first one.`, 0));
      }
      if (files && files.length) choose(files[0]);
    });

    /** Reads and checks the optional covariates; returns {values} or throws a readable ApiError. */
    function read_covariates() {
      const values = {};
      const problems = [];
      const check = (key, label, x, lo, hi, unit) => {
        if (x === null) return;
        if (Number.isNaN(x)) problems.push(`${label} is not a number.`);
        else if (x < lo || x > hi) problems.push(`${label} must be between ${lo} and ${hi} ${unit}.`);
        else values[key] = x;
      };
      // The same ranges as the server's form (it answers 422 outside them).
      check('age', 'Age', parse_number(fields.age.value), 18, 120, 'years');
      check('weight_kg', 'Weight', parse_number(fields.weight.value), 20, 300, 'kg');
      check('height_m', 'Height', normalise_height(), 0.5, 2.5, 'm');
      if (fields.sex.value === 'F' || fields.sex.value === 'M') values.sex = fields.sex.value;
      if (problems.length) throw new ApiError('Please check the patient fields', problems.join(' '), 0);
      return values;
    }

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (state.busy) return;
      if (!state.file) {
        show_error(new ApiError('No file chosen', 'Choose a DICOM, PNG or JPEG radiograph first.', 0));
        return;
      }
      let covariates;
      try {
        covariates = read_covariates();
      } catch (err) {
        show_error(err);
        return;
      }
      clear_errors();
      const body = new FormData();
      body.append('file', state.file, state.file.name || 'upload');
      for (const [k, v] of Object.entries(covariates)) body.append(k, String(v));
      state.busy = true;
      button.disabled = true;
      form.setAttribute('aria-busy', 'true');
      clear(button).appendChild(h('span', { class: 'spinner', 'aria-hidden': 'true' }));
      append(button, ['Screening…']);
      try {
        const { status, body: res } = await api_call('/screenings', { method: 'POST', body });
        if (!res || typeof res.id !== 'string') {
          throw new ApiError('Unexpected answer from the server', 'The screening came back without an id.', 0);
        }
        // 200 (not 201) means this exact file with these inputs was screened before.
        flash_note = status === 200
          ? 'This file was screened before with the same inputs: showing the stored result.' : null;
        location.hash = `#/screenings/${encodeURIComponent(res.id)}`;
      } catch (err) {
        if (form.isConnected) show_error(err);
      } finally {
        state.busy = false;
        if (form.isConnected) {
          form.removeAttribute('aria-busy');
          button.disabled = !state.file;
          clear(button).appendChild(document.createTextNode('Screen'));
        }
      }
    });
  }

  // ---------------------------------------------------------------- result view

  function kv_rows(pairs) {
    return pairs.filter(Boolean).map(([k, v, attrs]) => h('div', { class: 'kv-row' },
      h('dt', { text: k }), h('dd', attrs || {}, v)));
  }

  function probability_bars(probs) {
    if (!probs || typeof probs !== 'object') return null;
    return h('div', { class: 'prob-bars', role: 'list', 'aria-label': 'Class probabilities' },
      Object.keys(CATEGORIES).map((c) => {
        const p = is_num(probs[c]) ? probs[c] : 0;
        const fill = h('span', { class: `bar-fill cat-${c}` });
        fill.style.width = `${Math.max(0, Math.min(1, p)) * 100}%`;
        return h('div', { class: 'prob-bar', role: 'listitem' },
          h('span', { class: 'bar-label', text: CATEGORIES[c] }),
          h('span', { class: 'bar-track', 'aria-hidden': 'true' }, fill),
          h('span', { class: 'bar-value', text: fmt_percent(probs[c]) }));
      }));
  }

  function osta_block(osta) {
    const expl = h('p', { class: 'hint', testid: 'osta-explanation', text: OSTA_EXPLANATION });
    if (!osta || !is_num(osta.index)) {
      return h('section', { class: 'card osta', 'aria-labelledby': 'osta-h' },
        h('h2', { id: 'osta-h', text: 'OSTA index' }),
        h('p', { testid: 'osta-missing', text: 'Not computed: the OSTA index needs both age and weight.' }),
        expl);
    }
    const band = ['low', 'moderate', 'high'].includes(osta.band) ? osta.band : String(osta.band || 'unknown');
    return h('section', { class: 'card osta', 'aria-labelledby': 'osta-h' },
      h('h2', { id: 'osta-h', text: 'OSTA index' }),
      h('p', { class: 'osta-line' },
        h('span', { class: 'osta-index', testid: 'osta-index', text: fmt_num(osta.index) }),
        h('span', { class: `osta-band band-${band}`, testid: 'osta-band', dataset: { band } },
          `${band.charAt(0).toUpperCase()}${band.slice(1)} risk`)),
      h('p', { class: 'hint' },
        `From age ${fmt_value(osta.age)} years and weight ${fmt_value(osta.weight_kg)} kg.`),
      expl);
  }

  function images_block(s) {
    const image_url = safe_path(s.image_url);
    const heat_url = safe_path(s.heatmap_url);
    if (!image_url) return h('section', { class: 'card' }, h('p', { text: 'No image is stored for this screening.' }));
    const name = (s.input && s.input.filename) || 'the radiograph';
    const broken = (img, what) => img.addEventListener('error', () => {
      img.replaceWith(h('p', { class: 'img-missing', role: 'note', text: `The ${what} could not be loaded.` }));
    });
    const film = h('img', { src: image_url, testid: 'film-img', class: 'film', alt: `Radiograph ${name} as screened` });
    broken(film, 'radiograph');
    const figures = [h('figure', { class: 'figure' }, film, h('figcaption', { text: 'Radiograph' }))];
    if (heat_url) {
      const base = h('img', { src: image_url, class: 'film', alt: '', 'aria-hidden': 'true' });
      const heat = h('img', {
        src: heat_url, testid: 'heatmap-img', class: 'heat',
        alt: `Grad-CAM heat map over ${name}: warmer colours mark the regions that most influenced the estimate`,
      });
      heat.style.opacity = '0.5';
      broken(heat, 'heat map');
      const slider_id = 'heat-opacity';
      const out = h('output', { for: slider_id, class: 'slider-value', text: '50 %' });
      const slider = h('input', {
        type: 'range', id: slider_id, min: '0', max: '100', step: '1', value: '50', testid: 'opacity-slider',
        'aria-valuetext': '50 %',
      });
      slider.addEventListener('input', () => {
        const v = Number(slider.value);
        heat.style.opacity = String(v / 100);
        out.textContent = `${v} %`;
        slider.setAttribute('aria-valuetext', `${v} %`);
      });
      figures.push(h('figure', { class: 'figure' },
        h('div', { class: 'stack' }, base, heat),
        s.heatmap_degenerate ? h('p', { class: 'hint', testid: 'heatmap-degenerate',
          text: 'Grad-CAM found no clear focus on this film: the heat layer is flat and says nothing here.' }) : null,
        h('figcaption', {}, 'Grad-CAM heat map on the radiograph',
          h('div', { class: 'slider-row' },
            h('label', { for: slider_id, text: 'Heat-map opacity' }), slider, out))));
    }
    return h('section', { class: 'card images', 'aria-label': 'Images' }, h('div', { class: 'figures' }, figures));
  }

  function model_line(s, models) {
    const m = s.model || {};
    const card = (models || []).find((x) => x.name === m.name && (!m.version || x.version === m.version)) ||
      (models || []).find((x) => x.name === m.name);
    const auroc = card && card.validation && card.validation.auroc_osteoporosis;
    return h('p', { class: 'model-line' },
      'Model ', h('strong', { testid: 'result-model-name', text: m.name || 'unknown' }),
      m.version ? ` version ${m.version}` : '',
      is_num(auroc) ? ` · validation AUROC (osteoporosis) ${auroc.toFixed(3)}` : '',
      m.sha256 ? h('span', { class: 'hint', title: m.sha256 }, ` · sha256 ${short_hash(m.sha256)}`) : '',
      ' · ', h('a', { href: '#/model', text: 'model card' }));
  }

  function timings_block(t) {
    if (!t || typeof t !== 'object') return null;
    const order = ['decode', 'preprocess', 'inference', 'gradcam'];
    const keys = [...order.filter((k) => k in t), ...Object.keys(t).filter((k) => !order.includes(k) && k !== 'total')];
    const parts = keys.map((k) => `${k} ${fmt_value(t[k])} ms`);
    if ('total' in t) parts.push(`total ${fmt_value(t.total)} ms`);
    return h('p', { class: 'timings', testid: 'timings', text: `Timings: ${parts.join(' · ')}` });
  }

  async function render_result(view, route, is_current) {
    view.appendChild(loading('Loading the result…'));
    const models_p = load_models().catch(() => null);
    const s = await api(`/screenings/${encodeURIComponent(route.id)}`);
    const models = await models_p;
    if (!is_current()) return;
    clear(view);

    const cat = CATEGORIES[s.category] ? s.category : 'unknown';
    const cov = s.covariates || {};
    const input = s.input || {};
    const rec = s.recommendation || {};

    const banner = s.indeterminate
      ? h('div', { class: 'banner banner-indeterminate', role: 'alert', testid: 'indeterminate-banner' },
        h('strong', { text: 'Indeterminate — refer to DEXA' }),
        h('p', { text: 'The estimate is too uncertain near the decision threshold to rule osteoporosis in or out.' }))
      : null;

    const headline = h('section', { class: `card headline cat-border-${cat}`, 'aria-labelledby': 'cat-h' },
      h('p', { class: 'eyebrow', id: 'cat-h', text: 'WHO category (estimated)' }),
      h('p', { class: `category cat-${cat}`, testid: 'category', dataset: { category: cat }, text: category_label(s.category) }),
      h('dl', { class: 'kv' }, kv_rows([
        ['Probability of osteoporosis', fmt_percent(s.p_osteoporosis), { testid: 'probability' }],
        ['Estimated T-score (interval)', fmt_tscore(s.t_score), { testid: 't-score' }],
        ['Operating threshold', is_num(s.threshold)
          ? `${fmt_percent(s.threshold)} probability of osteoporosis` : '—', { testid: 'threshold' }],
        typeof s.screen_positive === 'boolean' && ['Screen positive',
          s.indeterminate ? 'indeterminate' : (s.screen_positive ? 'yes' : 'no'), { testid: 'screen-positive' }],
      ])),
      probability_bars(s.probabilities));

    const recommendation = h('section', { class: 'card', 'aria-labelledby': 'rec-h' },
      h('h2', { id: 'rec-h', text: 'Recommendation' }),
      h('p', { class: 'recommendation', testid: 'recommendation', text: rec.text || 'No recommendation was given.' }),
      h('p', { class: 'notice', testid: 'notice', text: 'Screening support, not a diagnosis.' }));

    const downloads = [
      safe_path(s.dicom_sr_url) && h('a', { href: safe_path(s.dicom_sr_url), download: '', testid: 'download-sr', class: 'button-link' },
        'Download DICOM SR (structured report)'),
      safe_path(s.dicom_sc_url) && h('a', { href: safe_path(s.dicom_sc_url), download: '', testid: 'download-sc', class: 'button-link' },
        'Download DICOM SC (heat-map image)'),
    ].filter(Boolean);

    const details = h('section', { class: 'card', 'aria-labelledby': 'det-h' },
      h('h2', { id: 'det-h', text: 'Details' }),
      h('dl', { class: 'kv' }, kv_rows([
        ['File', input.filename || '—', { testid: 'result-filename' }],
        ['Format', [input.format ? String(input.format).toUpperCase() : '—',
          input.modality, input.body_part, input.laterality].filter(Boolean).join(' · ')],
        ['Size', is_num(input.width) ? `${input.width} × ${input.height} px` : '—'],
        ['File sha256', h('span', { title: input.sha256 || '', text: short_hash(input.sha256) })],
        ['Screened at', fmt_time(s.created_at)],
        ['Age', is_num(cov.age) ? `${fmt_value(cov.age)} years` : 'not given'],
        ['Sex', cov.sex || 'not given'],
        ['Weight', is_num(cov.weight_kg) ? `${fmt_value(cov.weight_kg)} kg` : 'not given'],
        ['Height', is_num(cov.height_m) ? `${fmt_value(cov.height_m)} m` : 'not given'],
        ['BMI', is_num(cov.bmi) ? `${fmt_num(cov.bmi)} kg/m²` : '—'],
        Array.isArray(s.covariates_used_by_model) && ['Inputs the model used',
          ['image', ...s.covariates_used_by_model].join(', ')],
      ])),
      downloads.length ? h('p', { class: 'downloads' }, downloads) : null,
      timings_block(s.timings_ms));

    append(view, [
      h('div', { class: 'title-row' },
        h('h1', { text: 'Screening result' }),
        h('a', { href: '#/', class: 'button-link', testid: 'screen-another' }, 'Screen another radiograph')),
      flash_note ? h('p', { class: 'hint', testid: 'flash-note', text: flash_note }) : null,
      banner,
      h('div', { class: 'result-grid' }, headline, recommendation),
      images_block(s),
      h('div', { class: 'result-grid' }, osta_block(s.osta), details),
      model_line(s, models),
    ]);
    flash_note = null;
  }

  // ---------------------------------------------------------------- history view

  async function render_history(view, _route, is_current) {
    view.appendChild(loading('Loading recent screenings…'));
    const body = await api('/screenings?limit=100');
    if (!is_current()) return;
    clear(view);
    const list = Array.isArray(body.screenings) ? body.screenings : [];
    view.appendChild(h('h1', { text: 'History' }));
    if (!list.length) {
      view.appendChild(h('p', { testid: 'history-empty' }, 'No screenings yet. ', h('a', { href: '#/', text: 'Screen a radiograph' }), '.'));
      return;
    }
    const open = (id) => { location.hash = `#/screenings/${encodeURIComponent(id)}`; };
    const rows = list.map((r) => {
      const cat = CATEGORIES[r.category] ? r.category : 'unknown';
      const row = h('tr', { testid: 'history-row', class: 'clickable', dataset: { id: r.id } },
        h('td', {}, h('a', { href: `#/screenings/${encodeURIComponent(r.id)}`, text: fmt_time(r.created_at) })),
        h('td', { class: 'filename', text: r.filename || '—' }),
        h('td', {}, h('span', { class: `pill cat-${cat}`, text: category_label(r.category) })),
        h('td', { class: 'num', text: fmt_percent(r.p_osteoporosis) }),
        h('td', {}, r.indeterminate ? h('span', { class: 'pill pill-indeterminate', text: 'Indeterminate' }) : 'No'));
      // The first cell holds a real link for keyboards and screen readers; the whole row is a mouse target.
      row.addEventListener('click', (e) => { if (!e.target.closest('a')) open(r.id); });
      return row;
    });
    view.appendChild(h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('caption', { text: `The ${list.length} most recent screenings, newest first` }),
      h('thead', {}, h('tr', {},
        ['Time', 'File', 'Category', 'P(osteoporosis)', 'Indeterminate'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows))));
  }

  // ---------------------------------------------------------------- model view

  /** Leaf rows of a JSON value: [["training › options › lr", "0.0003"], ...]; lists of scalars stay one row. */
  function flatten(v, path, rows) {
    if (Array.isArray(v) && v.some((x) => x !== null && typeof x === 'object')) {
      v.forEach((x, i) => flatten(x, [...path, `#${i + 1}`], rows));
    } else if (Array.isArray(v)) {
      rows.push([path, v.length ? v.map(fmt_value).join(', ') : '—']);
    } else if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      if (!keys.length) rows.push([path, '—']);
      for (const k of keys) flatten(v[k], [...path, humanize_key(k)], rows);
    } else {
      rows.push([path, fmt_value(v)]);
    }
    return rows;
  }

  function kv_table(rows) {
    return h('table', { class: 'kv-table' }, h('tbody', {}, rows.map(([path, value]) => h('tr', {},
      h('th', { scope: 'row', text: path.join(' › ') || '—' }), h('td', { text: value })))));
  }

  /** A model card as readable tables (never a raw JSON dump): scalar fields first, then one
   *  titled table per section with nested keys joined by "›". */
  function card_view(card) {
    const keys = Object.keys(card);
    const is_section = (k) => card[k] && typeof card[k] === 'object' &&
      !(Array.isArray(card[k]) && card[k].every((x) => x === null || typeof x !== 'object'));
    const general = keys.filter((k) => !is_section(k)).map((k) => flatten(card[k], [humanize_key(k)], [])).flat();
    return [
      general.length ? kv_table(general) : null,
      keys.filter(is_section).map((k) => h('div', { class: 'card-section' },
        h('h4', { text: humanize_key(k) }), kv_table(flatten(card[k], [], [])))),
    ];
  }

  async function render_model(view, _route, is_current) {
    view.appendChild(loading('Loading the model card…'));
    const models = await load_models();
    if (!is_current()) return;
    clear(view);
    view.appendChild(h('h1', { text: 'Model' }));
    if (!models.length) {
      view.appendChild(h('p', { text: 'The server reports no loaded model.' }));
      return;
    }
    for (const m of models) {
      const val = m.validation && typeof m.validation === 'object' ? m.validation : {};
      const report = safe_path(m.report_url);
      const input_size = Array.isArray(m.input_size) ? m.input_size.join(' × ')
        : is_num(m.input_size) ? `${m.input_size} × ${m.input_size} px`
          : fmt_value(m.input_size);
      view.appendChild(h('section', { class: 'card model', 'aria-label': `Model ${m.name || ''}` },
        h('h2', {}, h('span', { testid: 'model-name', text: m.name || 'unnamed model' }),
          m.version ? h('span', { class: 'version', text: ` version ${m.version}` }) : null),
        h('dl', { class: 'kv' }, kv_rows([
          ['sha256', h('code', { title: m.sha256 || '', text: short_hash(m.sha256) })],
          ['Architecture', fmt_value(m.arch)],
          ['Input size', input_size],
          ['Covariates', Array.isArray(m.covariates) && m.covariates.length ? m.covariates.join(', ') : 'none (image only)'],
          ['Operating threshold', is_num(m.threshold) ? `${fmt_percent(m.threshold)} probability of osteoporosis` : '—'],
        ])),
        report ? h('p', {}, h('a', { href: report, testid: 'report-link', class: 'button-link' }, 'Open the evaluation report')) : null,
        h('h3', { text: 'Validation metrics' }),
        Object.keys(val).length ? kv_table(flatten(val, [], [])) : h('p', { text: 'No validation metrics recorded.' }),
        h('h3', { text: 'Model card' }),
        m.card && typeof m.card === 'object' ? h('div', { testid: 'model-card' }, card_view(m.card))
          : h('p', { text: 'No model card.' })));
    }
  }

  // ---------------------------------------------------------------- start

  window.addEventListener('hashchange', () => {
    render();
    document.getElementById('main').focus({ preventScroll: true });
  });
  window.addEventListener('unhandledrejection', (e) => {
    e.preventDefault();
    show_error(e.reason);
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', render);
  else render();
})();
