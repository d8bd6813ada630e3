import Mustache from 'mustache';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A layout file under templates/ (read once, at start). */
export const readTemplate = (name: string): string => readFileSync(fileURLToPath(new URL(`../templates/${name}`, import.meta.url)), 'utf8');

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Fills an HTML layout: every value escaped (only the five characters HTML needs). */
export const renderHtml = (template: string, view: object): string =>
  Mustache.render(template, view, {}, { escape: (s: string) => String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]!) });

/** Fills a plain-text layout: values as they are. */
export const renderText = (template: string, view: object): string => Mustache.render(template, view, {}, { escape: (s: string) => String(s) });
