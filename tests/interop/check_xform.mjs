#!/usr/bin/env node
// Runs an XForm written by `dtm dictionary export --format xform` through ODK's
// own engine (@getodk/xforms-engine, the engine of ODK Web Forms) and checks
// that the form works as field teams will use it.
//
// usage: node check_xform.mjs FORM.xml DICTIONARY.json [--country ISO3] [--languages en,fr]
//   DICTIONARY.json is `dtm dictionary export --format json`: every
//   `indicators[].name` must be a node of the form.
// Exit 0 with a summary line when every check passes; exit 1 listing the
// failures otherwise; exit 2 on bad usage.
//
// The engine is written for browsers: jsdom supplies the DOM globals, and the
// bundle reads __dirname, __filename and require, so those are set before it is
// imported (see shared/spec/interop.md, "Testing an XForm with a real engine").
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { JSDOM } from 'jsdom';

const LANGUAGE_NAMES = { en: 'English (en)', fr: 'Français (fr)', es: 'Español (es)', ar: 'العربية (ar)' };

function usage(message) {
  console.error(`check_xform: ${message}`);
  console.error('usage: node check_xform.mjs FORM.xml DICTIONARY.json [--country ISO3] [--languages en,fr]');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { positional: [], country: null, languages: [] };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--country') args.country = argv[++index];
    else if (arg === '--languages') args.languages = (argv[++index] ?? '').split(',').filter(Boolean);
    else if (arg.startsWith('--')) usage(`unknown flag ${arg}`);
    else args.positional.push(arg);
  }
  if (args.positional.length !== 2) usage('expected FORM.xml and DICTIONARY.json');
  if (args.country === undefined) usage('--country needs a value');
  return args;
}

async function loadEngine() {
  const require = createRequire(import.meta.url);
  const dom = new JSDOM('<!DOCTYPE html><html><head></head><body></body></html>');
  for (const name of ['DOMParser', 'XMLSerializer', 'Node', 'Element', 'Document', 'XPathResult']) {
    globalThis[name] = dom.window[name];
  }
  globalThis.window = dom.window;
  globalThis.document = dom.window.document;
  const entry = require.resolve('@getodk/xforms-engine');
  globalThis.__dirname = path.dirname(entry);
  globalThis.__filename = entry;
  globalThis.require = require;
  return import('@getodk/xforms-engine');
}

const failures = [];
const passed = [];
function check(condition, description, detail = '') {
  if (condition) passed.push(description);
  else failures.push(detail ? `${description}: ${detail}` : description);
  return condition;
}

function nameOf(node) {
  const reference = node.currentState.reference;
  return reference.slice(reference.lastIndexOf('/') + 1);
}

// Every node of the instance by name (names are unique in OpenDTM's forms).
function indexNodes(root) {
  const nodes = new Map();
  const visit = (node) => {
    for (const child of node.currentState.children ?? []) {
      nodes.set(nameOf(child), child);
      visit(child);
    }
  };
  visit(root);
  return nodes;
}

function valueOf(node) {
  const value = node.currentState.value;
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(' ');
  return String(value);
}

function optionValues(node) {
  return node.currentState.valueOptions.map((option) => option.value);
}

// What node the engine should have made of an indicator of this dictionary type.
function checkIndicatorNode(indicator, node, dictionary) {
  const [base, list] = indicator.type.split(' ');
  const kind = `${node.nodeType}/${node.valueType ?? ''}`;
  const describe = `indicator ${indicator.name} (${indicator.type})`;
  switch (base) {
    case 'text':
      return check(kind === 'input/string', `${describe} is a text input`, `got ${kind}`);
    case 'integer':
      return check(kind === 'input/int', `${describe} is an integer input`, `got ${kind}`);
    case 'decimal':
      if (indicator.name === 'latitude' || indicator.name === 'longitude') {
        return check(node.nodeType === 'model-value', `${describe} is calculated from the geopoint`, `got ${kind}`);
      }
      return check(kind === 'input/decimal', `${describe} is a decimal input`, `got ${kind}`);
    case 'date':
      return check(kind === 'input/date', `${describe} is a date input`, `got ${kind}`);
    case 'geopoint':
      return check(kind === 'input/geopoint', `${describe} is a geopoint input`, `got ${kind}`);
    case 'select_one':
    case 'select_multiple': {
      const selectType = base === 'select_one' ? 'select1' : 'select';
      if (!check(node.nodeType === 'select' && node.selectType === selectType,
                 `${describe} is a ${selectType}`, `got ${kind} ${node.selectType ?? ''}`)) {
        return false;
      }
      const expected = (dictionary.choice_lists[list] ?? []).map((choice) => choice.name);
      const actual = optionValues(node);
      return check(JSON.stringify(actual) === JSON.stringify(expected),
                   `${describe} offers the choices of list ${list}`,
                   `expected [${expected}], got [${actual}]`);
    }
    case 'pcode':
      return check(['input', 'select', 'model-value'].includes(node.nodeType),
                   `${describe} is asked or calculated`, `got ${kind}`);
    default:
      return check(false, `${describe} has a known type`);
  }
}

// 1. A `. >= 0` integer refuses -1 and accepts 3, with its constraint message.
function checkIntegerConstraint(dictionary, nodes) {
  const indicator = dictionary.indicators.find(
    (item) => item.type === 'integer' && /^\.\s*>=\s*0$/.test(item.constraint ?? '') && nodes.has(item.name));
  if (!check(indicator, 'the dictionary has an integer with constraint . >= 0')) return;
  const node = nodes.get(indicator.name);
  node.setValue(-1);
  const violation = node.validationState.constraint;
  check(violation.valid === false, `${indicator.name} = -1 breaks its constraint`);
  if (indicator.constraint_message?.en) {
    check(violation.message?.asString === indicator.constraint_message.en,
          `${indicator.name} = -1 shows the dictionary's constraint message`,
          `got ${JSON.stringify(violation.message?.asString)}`);
  }
  node.setValue(3);
  check(node.validationState.constraint.valid === true, `${indicator.name} = 3 meets its constraint`);
  check(valueOf(node) === '3', `${indicator.name} holds 3`, `got ${valueOf(node)}`);
  node.setValue('');
}

// 2. A required text question is invalid while empty.
function checkRequired(dictionary, nodes) {
  const indicator = dictionary.indicators.find(
    (item) => item.required === true && item.type === 'text' && !item.relevant && nodes.has(item.name));
  if (!indicator) return;
  const node = nodes.get(indicator.name);
  check(node.currentState.required === true, `${indicator.name} is required`);
  check(node.validationState.required.valid === false, `${indicator.name} is invalid while empty`);
  node.setValue('SITE-001');
  check(node.validationState.required.valid === true, `${indicator.name} is valid once answered`);
}

// 3. `${x} = 'v'` relevance follows the select it depends on.
function checkRelevance(dictionary, nodes) {
  for (const indicator of dictionary.indicators) {
    const match = /^\$\{(\w+)\}\s*=\s*'([^']+)'$/.exec(indicator.relevant ?? '');
    if (!match || !nodes.has(indicator.name)) continue;
    const controller = nodes.get(match[1]);
    if (controller?.nodeType !== 'select') continue;
    const other = optionValues(controller).find((value) => value !== match[2]);
    const dependent = nodes.get(indicator.name);
    check(dependent.currentState.relevant === false,
          `${indicator.name} is hidden while ${match[1]} is unanswered`);
    controller.selectValue(match[2]);
    check(dependent.currentState.relevant === true, `${indicator.name} shows when ${match[1]} = '${match[2]}'`);
    if (other !== undefined) {
      controller.selectValue(other);
      check(dependent.currentState.relevant === false, `${indicator.name} hides when ${match[1]} = '${other}'`);
    }
    controller.selectValue(null);
    return;
  }
  check(false, "the dictionary has a relevant condition of the form ${x} = 'v' on a select");
}

// 4. The SADD notes warn when the age groups do not add up to the sex total.
function checkSadd(nodes) {
  for (const sex of ['m', 'f']) {
    const note = nodes.get(`sadd_${sex}_check`);
    const total = nodes.get(`${sex}_total`);
    if (!check(note && total, `the form has sadd_${sex}_check and ${sex}_total`)) continue;
    const buckets = [...nodes.entries()]
      .filter(([name, node]) => new RegExp(`^${sex}_[0-9]`).test(name) && node.nodeType === 'input')
      .map(([, node]) => node);
    check(note.nodeType === 'note', `sadd_${sex}_check is a note`, `got ${note.nodeType}`);
    check(note.currentState.relevant === false, `sadd_${sex}_check is silent on an empty form`);
    total.setValue(100);
    buckets.forEach((bucket) => bucket.setValue(1));
    check(note.currentState.relevant === true, `sadd_${sex}_check warns when the buckets add up to ${buckets.length}, not 100`);
    const text = note.currentState.label?.asString ?? '';
    check(text.includes(String(buckets.length)) && text.includes('100'),
          `sadd_${sex}_check names the sum and the total`, `label is ${JSON.stringify(text)}`);
    check(note.validationState.constraint.valid === true && total.validationState.constraint.valid === true,
          `a SADD mismatch does not block the form`);
    buckets[0].setValue(100 - (buckets.length - 1));
    check(note.currentState.relevant === false, `sadd_${sex}_check is silent when the buckets add up`);
    buckets.forEach((bucket) => bucket.setValue(''));
    total.setValue('');
  }
  const totalNote = nodes.get('sadd_ind_check');
  if (check(totalNote, 'the form has sadd_ind_check')) {
    nodes.get('ind_total').setValue(10);
    nodes.get('m_total').setValue(4);
    nodes.get('f_total').setValue(5);
    check(totalNote.currentState.relevant === true, 'sadd_ind_check warns when 4 + 5 != 10');
    nodes.get('f_total').setValue(6);
    check(totalNote.currentState.relevant === false, 'sadd_ind_check is silent when 4 + 6 = 10');
    for (const name of ['ind_total', 'm_total', 'f_total']) nodes.get(name).setValue('');
  }
}

// 5. One geopoint; latitude and longitude are calculated from it, latitude first.
function checkGeopoint(nodes) {
  const location = nodes.get('location');
  if (!check(location?.valueType === 'geopoint', 'the form asks one geopoint named location')) return;
  location.setValue('12.5 7.25 300 5');
  check(valueOf(nodes.get('latitude')) === '12.5', 'latitude = first part of the geopoint',
        `got ${valueOf(nodes.get('latitude'))}`);
  check(valueOf(nodes.get('longitude')) === '7.25', 'longitude = second part of the geopoint',
        `got ${valueOf(nodes.get('longitude'))}`);
}

// 6. P-code cascades: admin2 choices follow the admin1 answer, for the site and
//    for the origin separately.
function checkCascades(nodes, country) {
  const adm0 = nodes.get('adm0_pcode');
  if (adm0) check(valueOf(adm0) === country, `adm0_pcode is ${country}`, `got ${valueOf(adm0)}`);
  for (const prefix of ['', 'origin_']) {
    const adm1 = nodes.get(`${prefix}adm1_pcode`);
    const adm2 = nodes.get(`${prefix}adm2_pcode`);
    if (!adm1 || !adm2) continue;
    if (!check(adm1.nodeType === 'select' && adm2.nodeType === 'select',
               `${prefix}adm1_pcode and ${prefix}adm2_pcode are selects`)) continue;
    const states = optionValues(adm1);
    check(states.length > 0, `${prefix}adm1_pcode lists the admin1 areas of ${country}`);
    check(optionValues(adm2).length === 0, `${prefix}adm2_pcode offers nothing before admin1 is answered`,
          `got ${optionValues(adm2).length} options`);
    for (const state of states.slice(0, 2)) {
      adm1.selectValue(state);
      const areas = optionValues(adm2);
      check(areas.length > 0 && areas.every((area) => area.startsWith(state)),
            `${prefix}adm2_pcode offers only the admin2 areas of ${state}`,
            `got ${areas.length} options: ${areas.slice(0, 5).join(', ')}`);
    }
    if (prefix === '') {
      const origin = nodes.get('origin_adm2_pcode');
      if (origin) check(optionValues(origin).length === 0, 'origin_adm2_pcode does not follow the site admin1');
    }
    adm1.selectValue(null);
  }
  const adm3 = nodes.get('adm3_pcode');
  if (adm3?.nodeType === 'input') {
    adm3.setValue('not a pcode');
    check(adm3.validationState.constraint.valid === false, 'adm3_pcode refuses text that is not a P-code');
    adm3.setValue('');
  }
}

function checkLanguages(root, languages, nodes) {
  const available = root.languages.map((language) => language.language);
  for (const code of languages) {
    const name = LANGUAGE_NAMES[code] ?? code;
    check(available.includes(name), `the form has the language ${name}`, `it has ${available.join(', ')}`);
  }
  const site = nodes.get('site');
  const french = root.languages.find((language) => language.language === LANGUAGE_NAMES.fr);
  if (site && french) {
    const english = site.currentState.label?.asString;
    root.setLanguage(french);
    const translated = site.currentState.label?.asString;
    check(translated && translated !== english, 'labels change with the language',
          `en ${JSON.stringify(english)}, fr ${JSON.stringify(translated)}`);
    root.setLanguage(root.languages.find((language) => language.isDefault) ?? root.languages[0]);
  }
}

function checkSerialization(root, xml, nodes) {
  const instanceId = valueOf(nodes.get('instanceID') ?? { currentState: { value: '' } });
  check(/^uuid:[0-9a-f-]{36}$/.test(instanceId), 'meta/instanceID is a uuid', `got ${instanceId}`);
  const formId = /<data id="([^"]+)" version="([^"]+)"/.exec(xml);
  const submission = root.instanceState.instanceXML;
  check(formId && submission.includes(`id="${formId[1]}"`) && submission.includes(`version="${formId[2]}"`),
        'the submission XML carries the form id and version');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const [formPath, dictionaryPath] = args.positional;
  const xml = readFileSync(formPath, 'utf8');
  const dictionary = JSON.parse(readFileSync(dictionaryPath, 'utf8'));
  if (!Array.isArray(dictionary.indicators)) usage(`${dictionaryPath} has no indicators array`);

  const { loadForm } = await loadEngine();
  const result = await loadForm(xml);
  if (result.status !== 'success') {
    console.error(`check_xform: FAIL: ODK's engine did not load ${formPath}: status ${result.status}`);
    if (result.error) console.error(`  ${result.error.message ?? result.error}`);
    if (result.warnings) console.error(`  warnings: ${JSON.stringify(result.warnings)}`);
    process.exit(1);
  }
  const root = result.createInstance().root;
  const nodes = indexNodes(root);

  const missing = dictionary.indicators.map((item) => item.name).filter((name) => !nodes.has(name));
  check(missing.length === 0, 'every dictionary indicator is a node of the instance', `missing: ${missing.join(', ')}`);
  for (const indicator of dictionary.indicators) {
    if (nodes.has(indicator.name)) checkIndicatorNode(indicator, nodes.get(indicator.name), dictionary);
  }
  checkIntegerConstraint(dictionary, nodes);
  checkRequired(dictionary, nodes);
  checkRelevance(dictionary, nodes);
  checkSadd(nodes);
  checkGeopoint(nodes);
  if (args.country) checkCascades(nodes, args.country);
  checkLanguages(root, args.languages, nodes);
  checkSerialization(root, xml, nodes);

  if (failures.length > 0) {
    console.error(`check_xform: FAIL: ${formPath}: ${failures.length} of ${failures.length + passed.length} checks failed`);
    for (const failure of failures) console.error(`  - ${failure}`);
    process.exit(1);
  }
  console.log(`check_xform: OK: ${formPath} loads in @getodk/xforms-engine; ` +
              `${dictionary.indicators.length} indicators present among ${nodes.size} nodes; ` +
              `languages ${root.languages.map((language) => language.language).join(', ')}; ` +
              `${passed.length} checks passed`);
}

main().catch((error) => {
  console.error(`check_xform: FAIL: ${error.stack ?? error}`);
  process.exit(1);
});
