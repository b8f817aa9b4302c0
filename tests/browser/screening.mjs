#!/usr/bin/env node
// Browser test of the OsteoScreen screening page, run against a REAL `osteoscreen serve`.
//
//   node screening.mjs BASE_URL FILE... [--out DIR] [--timeout-ms N]
//
// FILEs are classified by their bytes: the first DICOM (required) and the first PNG are uploaded.
// Without a PNG, the script writes a small synthetic one. The test drives Debian's chromium through
// playwright-core, asserts what a user would see, and saves screenshots to --out. Any failed
// assertion prints "FAIL: ..." and exits 1; a usage error exits 2.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-sync', '--disable-quic',
];
const WHO_CATEGORIES = ['normal', 'osteopenia', 'osteoporosis'];
// OSTA = 0.2 × (weight − age) = 0.2 × (55 − 70) = −3.0, inside the moderate band (−4 to −1).
const AGE = '70';
const WEIGHT = '55';
const HEIGHT_CM = '160';
const EXPECTED_OSTA_BAND = 'moderate';

class AssertionFailure extends Error {}

function check(condition, message) {
  if (!condition) throw new AssertionFailure(message);
}

function usage(message) {
  console.error(`screening.mjs: ${message}`);
  console.error('usage: node screening.mjs BASE_URL FILE... [--out DIR] [--timeout-ms N]');
  process.exit(2);
}

function parse_args(argv) {
  const opts = { base: null, files: [], out: null, timeout: 60000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') opts.out = argv[++i];
    else if (a === '--timeout-ms') opts.timeout = Number(argv[++i]);
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (!opts.base) opts.base = a;
    else opts.files.push(a);
  }
  if (!opts.base) usage('no BASE_URL given');
  if (!/^https?:\/\//.test(opts.base)) usage(`BASE_URL must start with http:// or https://, got ${opts.base}`);
  if (!opts.base.endsWith('/')) opts.base += '/';
  if (!Number.isFinite(opts.timeout) || opts.timeout <= 0) usage('--timeout-ms must be a positive number');
  return opts;
}

/** "dicom" | "png" | "jpeg" | null from the first bytes of a file. */
function sniff(file) {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(132);
  const n = fs.readSync(fd, head, 0, 132, 0);
  fs.closeSync(fd);
  if (n >= 132 && head.subarray(128, 132).toString('latin1') === 'DICM') return 'dicom';
  if (n >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (n >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  return null;
}

// A minimal 8-bit greyscale PNG writer, so the test needs no image library.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const x of buf) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function png_chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** A knee-like synthetic radiograph: two bright bone shafts on a dark, noisy background. */
function synthetic_png(width, height) {
  const raw = Buffer.alloc((width + 1) * height);
  let seed = 12345;
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0;  // filter: none
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const shaft = Math.abs(x - width / 2) < width * (y < height / 2 ? 0.16 : 0.12) ? 150 : 0;
      const joint = Math.abs(y - height / 2) < height * 0.03 ? -90 : 0;
      const v = 40 + shaft + (shaft ? joint : 0) + (seed % 24);
      raw[y * (width + 1) + 1 + x] = Math.max(0, Math.min(255, v));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;  // bit depth
  ihdr[9] = 0;  // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    png_chunk('IHDR', ihdr), png_chunk('IDAT', zlib.deflateSync(raw)), png_chunk('IEND', Buffer.alloc(0)),
  ]);
}

function log(message) {
  console.log(`[screening] ${message}`);
}

async function main() {
  const opts = parse_args(process.argv.slice(2));
  const out = opts.out || fs.mkdtempSync(path.join(os.tmpdir(), 'osteoscreen-shots-'));
  fs.mkdirSync(out, { recursive: true });
  let dicom = null;
  let png = null;
  for (const f of opts.files) {
    if (!fs.existsSync(f)) usage(`no such file: ${f}`);
    const kind = sniff(f);
    if (kind === 'dicom' && !dicom) dicom = f;
    else if (kind === 'png' && !png) png = f;
  }
  if (!dicom) usage('give at least one DICOM file (with the DICM preamble)');
  if (!png) {
    png = path.join(out, 'synthetic-knee.png');
    fs.writeFileSync(png, synthetic_png(240, 300));
    log(`no PNG given: wrote ${png}`);
  }
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`FAIL: ${CHROMIUM} is missing (apt-get install chromium)`);
    process.exit(1);
  }

  const origin = new URL(opts.base).origin;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'osteoscreen-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(opts.timeout);
  // Listening from the start turns on file-chooser interception before the first keyboard pick;
  // enabling it lazily inside waitForEvent races with the key press on a fresh page.
  page.on('filechooser', () => {});
  const page_errors = [];
  const foreign_requests = [];
  page.on('pageerror', (e) => page_errors.push(String(e && e.message ? e.message : e)));
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin) foreign_requests.push(url);
  });
  const shot = async (name) => {
    const file = path.join(out, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    log(`screenshot ${file}`);
  };
  const testid = (id) => page.locator(`[data-testid="${id}"]`);

  /** The error box must be present and readable: a sentence, not JSON or a stack trace. */
  async function expect_readable_error(context_text) {
    const box = testid('error-box');
    await box.waitFor({ state: 'visible' });
    const text = (await box.innerText()).trim();
    check(text.length >= 10, `${context_text}: the error box is (nearly) empty: "${text}"`);
    check(!/[{}]/.test(text) && !/"(error|code|message)"\s*:/.test(text),
      `${context_text}: the error box shows raw JSON: "${text}"`);
    check(!/\n\s*at\s+\S+\s*\(|Traceback|std::|terminate called/.test(text),
      `${context_text}: the error box shows a stack trace: "${text}"`);
    return text;
  }

  async function expect_disclaimer() {
    const d = testid('disclaimer');
    check(await d.isVisible(), 'the "not a diagnosis" disclaimer is not visible');
    check((await d.innerText()).includes('For research / screening support, not a diagnosis.'),
      'the disclaimer text changed');
  }

  /** Chooses a file the way a keyboard user does: focus the drop zone, press Enter, pick it. */
  async function choose_with_keyboard(file) {
    await testid('dropzone').focus();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Enter')]);
    await chooser.setFiles(file);
  }

  /** Drops a file on the drop zone, as dragging it from a file manager does. */
  async function drop_file(file, mime) {
    const data = await page.evaluateHandle(({ b64, name, type }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type }));
      return dt;
    }, { b64: fs.readFileSync(file).toString('base64'), name: path.basename(file), type: mime });
    await testid('dropzone').dispatchEvent('dragover', { dataTransfer: data });
    await testid('dropzone').dispatchEvent('drop', { dataTransfer: data });
  }

  /** Uploads one file with the test's covariates, screens it and checks the result page. */
  async function screen_file(file, kind, how) {
    log(`screening ${kind} ${file} (${how})`);
    await page.goto(`${opts.base}#/`);
    await expect_disclaimer();
    if (how === 'keyboard') await choose_with_keyboard(file);
    else await drop_file(file, kind === 'png' ? 'image/png' : 'application/dicom');
    check((await testid('file-name').innerText()).includes(path.basename(file)),
      `${kind}: the chosen file's name is not shown`);
    const preview = testid('preview-img');
    await preview.waitFor({ state: 'visible' });
    await page.waitForFunction(
      () => { const i = document.querySelector('[data-testid="preview-img"]'); return i && i.complete && i.naturalWidth > 0; });
    await page.fill('#age', AGE);
    await page.selectOption('#sex', 'F');
    await page.fill('#weight', WEIGHT);
    await page.fill('#height', HEIGHT_CM);
    await page.locator('#height').blur();
    check((await page.inputValue('#height')) === '1.6',
      `height ${HEIGHT_CM} (cm) was not converted to 1.6 m: field shows "${await page.inputValue('#height')}"`);
    check(/Converted 160 cm to 1\.6 m/.test(await page.locator('#height-hint').innerText()),
      'the page does not say that the height was converted from cm');
    await shot(`upload-${kind}`);

    await testid('screen-button').click();
    await page.waitForURL(/#\/screenings\/[^/]+$/);
    const id = decodeURIComponent(new URL(page.url()).hash.replace('#/screenings/', ''));
    const category = testid('category');
    await category.waitFor({ state: 'visible' });
    check(!(await testid('error-box').count()), `${kind}: the result page shows an error: ` +
      `${(await testid('error-box').count()) ? await testid('error-box').innerText() : ''}`);

    const cat_text = (await category.innerText()).trim().toLowerCase();
    check(WHO_CATEGORIES.includes(cat_text), `${kind}: category "${cat_text}" is not one of ${WHO_CATEGORIES.join(', ')}`);

    const prob = (await testid('probability').innerText()).trim();
    check(/^\d{1,3}(\.\d)? %$/.test(prob), `${kind}: probability "${prob}" is not a percentage`);
    const pct = parseFloat(prob);
    check(pct >= 0 && pct <= 100, `${kind}: probability ${pct} is outside 0-100 %`);

    const t = (await testid('t-score').innerText()).trim();
    const m = /^([−-]?\d+\.\d) \(([−-]?\d+\.\d) to ([−-]?\d+\.\d)\)$/.exec(t);
    check(m, `${kind}: T-score "${t}" is not "estimate (low to high)"`);
    const num = (s) => parseFloat(s.replace('−', '-'));
    check(num(m[2]) <= num(m[1]) && num(m[1]) <= num(m[3]), `${kind}: T-score interval "${t}" does not contain its estimate`);

    // The heat layer must be a loaded image exactly the size of the film under it.
    await page.waitForFunction(() => {
      const ok = (sel) => { const i = document.querySelector(sel); return i && i.complete && i.naturalWidth > 0; };
      return ok('[data-testid="heatmap-img"]') && ok('[data-testid="film-img"]');
    });
    const sizes = await page.evaluate(() => {
      const a = document.querySelector('[data-testid="heatmap-img"]');
      const b = document.querySelector('[data-testid="film-img"]');
      return { hw: a.naturalWidth, hh: a.naturalHeight, fw: b.naturalWidth, fh: b.naturalHeight, alt: a.alt, falt: b.alt };
    });
    check(sizes.hw > 0 && sizes.hw === sizes.fw && sizes.hh === sizes.fh,
      `${kind}: heat map ${sizes.hw}x${sizes.hh} does not match the film ${sizes.fw}x${sizes.fh}`);
    check(sizes.alt && sizes.falt, `${kind}: the film or the heat map has no alt text`);

    const band = testid('osta-band');
    check(await band.isVisible(), `${kind}: the OSTA band is not shown (age ${AGE}, weight ${WEIGHT} were given)`);
    const band_value = await band.getAttribute('data-band');
    const band_text = (await band.innerText()).trim().toLowerCase();
    check(band_value === EXPECTED_OSTA_BAND && band_text.startsWith(EXPECTED_OSTA_BAND),
      `${kind}: OSTA band is "${band_value}" / "${band_text}", expected "${EXPECTED_OSTA_BAND}" for age ${AGE}, weight ${WEIGHT}`);
    const osta_index = (await testid('osta-index').innerText()).trim();
    check(osta_index === '−3.0', `${kind}: OSTA index is "${osta_index}", expected −3.0`);

    // Indeterminate answers must carry the refer-to-DEXA banner.
    const banner_shown = (await testid('indeterminate-banner').count()) > 0;
    const api = await page.request.get(`${opts.base}api/v1/screenings/${encodeURIComponent(id)}`);
    check(api.ok(), `${kind}: GET /api/v1/screenings/${id} answered ${api.status()}`);
    const body = await api.json();
    check(banner_shown === (body.indeterminate === true),
      `${kind}: indeterminate is ${body.indeterminate} but the banner is ${banner_shown ? 'shown' : 'absent'}`);
    if (banner_shown) {
      check((await testid('indeterminate-banner').innerText()).includes('Indeterminate — refer to DEXA'),
        `${kind}: the indeterminate banner does not say "Indeterminate — refer to DEXA"`);
    }
    check(String(body.category).toLowerCase() === cat_text, `${kind}: page category "${cat_text}" differs from the API's "${body.category}"`);

    // DICOM SR/SC links: present exactly when the API gives them, and they download DICOM files.
    for (const [tid, key] of [['download-sr', 'dicom_sr_url'], ['download-sc', 'dicom_sc_url']]) {
      const present = (await testid(tid).count()) > 0;
      check(present === (body[key] !== null && body[key] !== undefined),
        `${kind}: ${key} is ${body[key]} but the download link is ${present ? 'shown' : 'absent'}`);
      if (present) {
        const href = await testid(tid).getAttribute('href');
        const res = await page.request.get(new URL(href, opts.base).href);
        const bytes = await res.body();
        check(res.ok() && bytes.length > 132 && bytes.subarray(128, 132).toString('latin1') === 'DICM',
          `${kind}: ${href} did not download a DICOM file (HTTP ${res.status()}, ${bytes.length} bytes)`);
      }
    }
    if (kind === 'png') check(!body.dicom_sr_url, 'png: a PNG input must not offer a DICOM SR');

    // The opacity slider drives the heat layer's computed opacity (keyboard only: End, then Home).
    const opacity = () => page.evaluate(
      () => getComputedStyle(document.querySelector('[data-testid="heatmap-img"]')).opacity);
    const before = await opacity();
    check(before === '0.5', `${kind}: the heat layer starts at opacity ${before}, expected 0.5 (slider default 50 %)`);
    const slider = testid('opacity-slider');
    check((await slider.inputValue()) === '50', `${kind}: the slider does not start at 50`);
    await slider.focus();
    await page.keyboard.press('End');
    const at_max = await opacity();
    check(at_max === '1', `${kind}: after moving the slider to 100 % the heat layer opacity is ${at_max}`);
    await page.keyboard.press('Home');
    const at_min = await opacity();
    check(at_min === '0', `${kind}: after moving the slider to 0 % the heat layer opacity is ${at_min}`);
    await slider.fill('50');
    check((await opacity()) === '0.5', `${kind}: setting the slider back to 50 % did not restore opacity 0.5`);

    await expect_disclaimer();
    check((await testid('notice').innerText()).includes('Screening support, not a diagnosis'),
      `${kind}: the result lacks "Screening support, not a diagnosis"`);
    await shot(`result-${kind}`);
    log(`${kind}: ${cat_text}, P(osteoporosis) ${prob}, T-score ${t}, OSTA ${band_value}, id ${id}`);
    return { id, model: body.model && body.model.name };
  }

  let failed = null;
  try {
    const first = await screen_file(dicom, 'dicom', 'keyboard');
    const second = await screen_file(png, 'png', 'drag-and-drop');

    // History: newest first, at least our two screenings, rows open the result.
    await page.click('nav >> text=History');
    await page.waitForURL(/#\/history$/);
    await testid('history-row').first().waitFor({ state: 'visible' });
    const rows = await testid('history-row').count();
    check(rows >= 2, `History shows ${rows} rows, expected at least 2`);
    const ids = await testid('history-row').evaluateAll((els) => els.map((e) => e.dataset.id));
    check(ids.includes(first.id) && ids.includes(second.id), 'History lacks one of the two screenings just made');
    check(ids.indexOf(second.id) < ids.indexOf(first.id), 'History is not newest first');
    await shot('history');
    await testid('history-row').first().locator('td').nth(1).click();
    await page.waitForURL(/#\/screenings\/[^/]+$/);
    await testid('category').waitFor({ state: 'visible' });
    check(page.url().endsWith(`#/screenings/${encodeURIComponent(ids[0])}`), 'clicking a History row did not open its result');

    // Model: the name of the model that screened our files.
    await page.click('nav >> text=Model');
    await page.waitForURL(/#\/model$/);
    const model_name = testid('model-name').first();
    await model_name.waitFor({ state: 'visible' });
    const name = (await model_name.innerText()).trim();
    check(name.length > 0, 'the Model page shows no model name');
    if (first.model) check(name === first.model, `the Model page shows "${name}", the screening used "${first.model}"`);
    const card_text = await testid('model-card').innerText().catch(() => '');
    check(card_text.length > 0 && !card_text.trim().startsWith('{'), 'the model card is missing or a raw JSON dump');
    await shot('model');

    // An unknown id gives a readable "not found" message.
    await page.goto(`${opts.base}#/screenings/no-such-screening-0000`);
    await expect_readable_error('unknown screening id');

    // A text file renamed .png: the preview and the screening both fail with a readable message.
    await page.goto(`${opts.base}#/`);
    await testid('file-input').setInputFiles({
      name: 'not-an-image.png', mimeType: 'image/png', buffer: Buffer.from('this is a text file, not a radiograph\n'),
    });
    const preview_error = await expect_readable_error('text file renamed .png (preview)');
    await testid('screen-button').click();
    await page.waitForFunction(() => {
      const b = document.querySelector('[data-testid="screen-button"]');
      return b && !b.disabled;
    });
    const screen_error = await expect_readable_error('text file renamed .png (screening)');
    check(/#\/$/.test(page.url()), 'an undecodable file navigated away from the upload page');
    log(`readable errors: preview "${preview_error.replace(/\s+/g, ' ')}", screening "${screen_error.replace(/\s+/g, ' ')}"`);
    await shot('error');

    check(page_errors.length === 0, `uncaught page errors: ${page_errors.join(' | ')}`);
    check(foreign_requests.length === 0, `the page requested other origins (it must work offline): ${foreign_requests.join(', ')}`);
  } catch (err) {
    failed = err;
    await shot('failure').catch(() => {});
  } finally {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (failed) {
    const what = failed instanceof AssertionFailure ? failed.message : `${failed.name}: ${failed.message}`;
    console.error(`FAIL: ${what}`);
    if (page_errors.length) console.error(`uncaught page errors: ${page_errors.join(' | ')}`);
    console.error(`screenshots in ${out}`);
    process.exit(1);
  }
  log(`PASS (screenshots in ${out})`);
}

main().catch((err) => {
  console.error(`FAIL: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
