import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, Message, Term, Visitor, type Resource, type VariableReference } from '@fluent/syntax';
import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';

/** The resident-facing texts: Russian is the reference, every other locale must mirror it. */
const LOCALES_DIR = fileURLToPath(new URL('../templates/locales', import.meta.url));
const REFERENCE = 'ru';
const LOCALES = ['ru', 'en'] as const;
/** Variables the bot passes as numbers (plural and month selectors, years); the rest are strings. */
const NUMERIC_VARS = new Set(['month', 'year', 'days', 'hours']);

interface LocaleFiles {
  files: Map<string, string>;
  asts: Map<string, Resource>;
}

function load(locale: string): LocaleFiles {
  const dir = join(LOCALES_DIR, locale);
  const files = new Map<string, string>();
  const asts = new Map<string, Resource>();
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.ftl'))
    .sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    files.set(name, text);
    asts.set(name, parse(text, { withSpans: true }));
  }
  return { files, asts };
}

class VariableCollector extends Visitor {
  names = new Set<string>();
  override visitVariableReference(node: VariableReference): void {
    this.names.add(node.id.name);
  }
}

/** Message (and term, as `-id`) → the variables it references, over its value and attributes. */
function messages(l: LocaleFiles): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const ast of l.asts.values()) {
    for (const entry of ast.body) {
      if (!(entry instanceof Message || entry instanceof Term)) continue;
      const id = entry instanceof Term ? `-${entry.id.name}` : entry.id.name;
      const collector = new VariableCollector();
      collector.visit(entry);
      out.set(id, collector.names);
    }
  }
  return out;
}

function attributes(l: LocaleFiles): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const ast of l.asts.values())
    for (const entry of ast.body) if (entry instanceof Message) out.set(entry.id.name, entry.attributes.map((a) => a.id.name).sort());
  return out;
}

function bundle(locale: string, l: LocaleFiles): FluentBundle {
  const b = new FluentBundle(locale, { useIsolating: false });
  for (const [name, text] of l.files) {
    const errors = b.addResource(new FluentResource(text));
    expect(errors.map(String), `${locale}/${name}`).toEqual([]);
  }
  return b;
}

const dummyArgs = (vars: Iterable<string>): Record<string, FluentVariable> => Object.fromEntries([...vars].map((v) => [v, NUMERIC_VARS.has(v) ? 1 : 'x']));

const loaded = Object.fromEntries(LOCALES.map((l) => [l, load(l)])) as Record<(typeof LOCALES)[number], LocaleFiles>;

describe('templates/locales', () => {
  it('every locale has the same .ftl files as the reference', () => {
    const ref = [...loaded[REFERENCE].files.keys()];
    expect(ref.length).toBeGreaterThan(0);
    for (const locale of LOCALES) expect([...loaded[locale].files.keys()], locale).toEqual(ref);
  });

  it.each(LOCALES)('%s: every file parses without syntax errors (no Junk)', (locale) => {
    const junk: string[] = [];
    for (const [name, ast] of loaded[locale].asts) {
      for (const entry of ast.body) {
        if (entry.type !== 'Junk') continue;
        const notes = entry.annotations.map((a) => `${a.code}: ${a.message}`).join('; ');
        junk.push(`${locale}/${name}: ${notes}\n${entry.content.trim()}`);
      }
    }
    expect(junk).toEqual([]);
  });

  it('every locale has exactly the message ids of the reference', () => {
    const ref = [...messages(loaded[REFERENCE]).keys()].sort();
    for (const locale of LOCALES) expect([...messages(loaded[locale]).keys()].sort(), locale).toEqual(ref);
  });

  it('every locale has the same attributes on each message as the reference', () => {
    const ref = attributes(loaded[REFERENCE]);
    for (const locale of LOCALES) expect(attributes(loaded[locale]), locale).toEqual(ref);
  });

  it('every variable of a reference message is used by the same message in every locale', () => {
    const ref = messages(loaded[REFERENCE]);
    for (const locale of LOCALES) {
      const other = messages(loaded[locale]);
      const missing: string[] = [];
      for (const [id, vars] of ref) {
        for (const v of vars) if (!other.get(id)?.has(v)) missing.push(`${locale}: ${id} lacks $${v}`);
      }
      expect(missing).toEqual([]);
    }
  });

  it.each(LOCALES)('%s: every message formats without errors', (locale) => {
    const l = loaded[locale];
    const b = bundle(locale, l);
    const failures: string[] = [];
    for (const [id, vars] of messages(l)) {
      if (id.startsWith('-')) continue; // terms are formatted through the messages using them
      const msg = b.getMessage(id);
      if (!msg) {
        failures.push(`${id}: not in the bundle`);
        continue;
      }
      const args = dummyArgs(vars);
      const patterns = [...(msg.value ? [['', msg.value] as const] : []), ...Object.entries(msg.attributes).map(([a, p]) => [`.${a}`, p] as const)];
      if (patterns.length === 0) failures.push(`${id}: no value and no attributes`);
      for (const [suffix, pattern] of patterns) {
        const errors: Error[] = [];
        const text = b.formatPattern(pattern, args, errors);
        if (errors.length > 0) failures.push(`${id}${suffix}: ${errors.map(String).join('; ')}`);
        else if (text.includes('{')) failures.push(`${id}${suffix}: error marker in ${JSON.stringify(text)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('menu labels are distinct within and across locales (the bot maps a label back to its key)', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const locale of LOCALES) {
      const b = bundle(locale, loaded[locale]);
      for (const id of messages(loaded[locale]).keys()) {
        if (!id.startsWith('menu-')) continue;
        const pattern = b.getMessage(id)?.value;
        if (!pattern) continue;
        const label = b.formatPattern(pattern);
        const key = `${locale}:${id}`;
        const before = seen.get(label);
        if (before) clashes.push(`${JSON.stringify(label)}: ${before} and ${key}`);
        else seen.set(label, key);
      }
    }
    expect(clashes).toEqual([]);
  });

  // Fluent prints numbers with Intl.NumberFormat, which groups thousands: "2,026" in English, "2 026" in Russian.
  it('en: years are printed without a thousands separator', () => {
    const b = bundle('en', loaded.en);
    const format = (id: string) => {
      const pattern = b.getMessage(id)?.value;
      expect(pattern, id).toBeTruthy();
      return b.formatPattern(pattern!, { month: 3, year: 2026 });
    };
    expect(format('month-name')).toBe('March 2026');
    expect(format('balance-as-of')).toContain('the end of March 2026,');
  });
  it('ru: years are printed without a thousands separator', () => {
    const b = bundle('ru', loaded.ru);
    const format = (id: string) => b.formatPattern(b.getMessage(id)!.value!, { month: 3, year: 2026 });
    expect(format('month-name')).toBe('Март 2026');
    expect(format('balance-as-of')).toContain('конец марта 2026 г.');
  });
  it('ru: no developer or form wording reaches a resident', () => {
    for (const [name, text] of loaded.ru.files) {
      const said = text
        .split('\n')
        .filter((line) => !line.startsWith('#'))
        .join('\n');
      for (const bad of ['(на)', '(−)', 'ещё готовится', 'функци', 'не период']) expect(said, `${name}: «${bad}»`).not.toContain(bad);
    }
  });
});
