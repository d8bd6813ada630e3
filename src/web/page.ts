import Mustache from 'mustache';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PAGE = readFileSync(fileURLToPath(new URL('../../templates/web/page.html', import.meta.url)), 'utf8');

export interface PageView {
  lang: string;
  sender: string;
  title: string;
  message: string;
  form?: { action: string; button: string };
}

/** A page of the web part, laid out by templates/web/page.html (everything escaped). */
export const renderPage = (view: PageView): string => Mustache.render(PAGE, view);
