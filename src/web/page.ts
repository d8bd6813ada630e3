import { readTemplate, renderHtml } from '../templates.ts';

const PAGE = readTemplate('web/page.html');

export interface PageView {
  lang: string;
  sender: string;
  title: string;
  message: string;
  form?: { action: string; button: string };
}

/** A page of the web part, laid out by templates/web/page.html (everything escaped). */
export const renderPage = (view: PageView): string => renderHtml(PAGE, view);
