import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORIES } from '../../server/modules/cases/categories.ts';
import { renderMarkdown } from '../../server/modules/organisations/markdown.ts';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { updateSettings } from '../../server/modules/organisations/settings.ts';
import { databaseKinds } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createActiveAdvisor } from '../helpers/actors.ts';

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(2)">',
  '<a href="javascript:alert(3)">raw link</a>',
  '[click](javascript:alert(4))',
  '[click](JaVaScRiPt:alert(5))',
  '[click](  javascript:alert(6))',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)',
  '[vb](vbscript:msgbox(8))',
  '<javascript:alert(9)>',
  '![pixel](https://tracker.example/p.png)',
  '[relative](/advisor/login)',
  '<iframe src="https://evil.example"></iframe>',
  '<svg onload=alert(10)>',
  '[ok](https://www.huisvoorklokkenluiders.nl) and www.example.org and mail vp@example.org',
].join('\n\n');

/** Every tag the HTML contains, and every attribute of it. */
function tagsOf(html: string) {
  return [...html.matchAll(/<([a-z0-9]+)([^>]*)>/gi)].map((m) => ({ tag: m[1]!.toLowerCase(), attrs: m[2]! }));
}

function assertSafe(html: string) {
  const allowed = new Set(['p', 'a', 'strong', 'em', 'h1', 'h2', 'h3', 'ul', 'ol', 'li', 'code', 'pre', 'blockquote', 'hr', 'br']);
  for (const { tag, attrs } of tagsOf(html)) {
    expect(allowed.has(tag), `tag <${tag}>`).toBe(true);
    expect(attrs).not.toMatch(/\son[a-z]+\s*=/i);
    if (tag === 'a') {
      const href = /href="([^"]*)"/.exec(attrs)?.[1] ?? '';
      expect(href).toMatch(/^(https?:\/\/|mailto:)/);
      expect(attrs).toContain('rel="noopener noreferrer"');
    }
  }
  expect(html).not.toMatch(/<script|<img|<iframe|<svg|href="\s*(javascript|data|vbscript):/i);
}

describe('markdown for public texts', () => {
  it('escapes raw HTML, draws no images, keeps only http(s) and mailto links, and adds rel to links', () => {
    const html = renderMarkdown(HOSTILE);
    assertSafe(html);
    // What is refused still shows, as text.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('[click](javascript:alert(4))');
    expect(html).toContain('<a href="https://www.huisvoorklokkenluiders.nl" rel="noopener noreferrer">ok</a>');
    expect(html).toContain('<a href="http://www.example.org" rel="noopener noreferrer">www.example.org</a>');
    expect(html).toContain('<a href="mailto:vp@example.org" rel="noopener noreferrer">vp@example.org</a>');
    expect(html).not.toContain('href="/advisor/login"');
    expect(renderMarkdown('')).toBe('');
    expect(renderMarkdown('  \n ')).toBe('');
  });
});

describe.each(databaseKinds)('public organisation page on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await createOrganisation(t.database.db, { slug: 'acme', name: 'Acme BV' });
    await createActiveAdvisor(t.database.db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna de Vries' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps every field it had and adds profile, texts, authorities and category labels with their defaults', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/organisations/acme' });
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(Object.keys(page).sort()).toEqual(['advisors', 'authorities', 'categories', 'categoryLabels', 'organisation', 'profile', 'texts']);
    expect(page.organisation).toEqual({ slug: 'acme', name: 'Acme BV' });
    expect(Object.keys(page.advisors[0]).sort()).toEqual(['available', 'id', 'introduction', 'name', 'publicKey', 'role']);
    expect(page.categories).toEqual(DEFAULT_CATEGORIES);
    expect(page.categoryLabels.misstand.map((c: { key: string }) => c.key)).toEqual(DEFAULT_CATEGORIES.misstand);
    expect(page.categoryLabels.misstand[0]).toEqual({ key: 'fraude', label: { nl: 'Fraude', en: 'Fraud' }, hidden: false });
    expect(page.profile).toEqual({ logoDataUrl: null, accentColour: null });
    expect(page.texts).toEqual({ nl: { introductionHtml: '', procedureHtml: '' }, en: { introductionHtml: '', procedureHtml: '' } });
    expect(page.authorities.map((a: { key: string }) => a.key)).toEqual(['huis_voor_klokkenluiders', 'acm', 'afm', 'anvs', 'ap', 'dnb', 'igj', 'nvwa', 'nza']);
    for (const a of page.authorities) expect(Object.keys(a).sort()).toEqual(['key', 'name', 'url']);
    expect(JSON.stringify(page)).not.toContain('anna@example.org');
  });

  it('serves the admin\'s texts only as sanitised HTML', async () => {
    const org = await t.database.db.selectFrom('organisations').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
    await updateSettings(t.database.db, org.id, { texts: { nl: { introduction: HOSTILE, procedure: HOSTILE }, en: { introduction: HOSTILE, procedure: '**Step 1**' } } });
    const page = (await t.app.inject({ method: 'GET', url: '/api/organisations/acme' })).json();
    for (const html of [page.texts.nl.introductionHtml, page.texts.nl.procedureHtml, page.texts.en.introductionHtml]) {
      assertSafe(html);
      expect(html).toContain('huisvoorklokkenluiders');
    }
    expect(page.texts.en.procedureHtml).toBe('<p><strong>Step 1</strong></p>\n');
  });

  it('an unknown organisation is 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/organisations/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('organisation_not_found');
  });
});
