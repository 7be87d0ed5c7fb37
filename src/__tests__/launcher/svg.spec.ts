import { LabIcon } from '@jupyterlab/ui-components';

import { labIconSvgstr, sanitizeSvg } from '../../launcher/svg';
import { P, S, SVG_NS, XSS } from '../fakes';

/**
 * What JupyterLab renders for an icon: LabIcon parses the svgstr (after
 * its own `svgstrShim`: URI decoding, whitespace, data URLs) and React
 * puts the element's markup into an `<svg>` of the page, parsed as HTML.
 */
function renderLikeLabIcon(svgstr: string): {
  element: Element;
  html: DocumentFragment;
} {
  const element = LabIcon.resolveSvg({ name: 'test:hostile', svgstr });
  expect(element).not.toBeNull();
  expect(element!.localName).toBe('svg');
  expect(element!.namespaceURI).toBe(SVG_NS);
  const template = document.createElement('template');
  template.innerHTML = `<svg>${element!.innerHTML}</svg>`;
  return { element: element!, html: template.content };
}

/**
 * Whatever in a rendered icon could run script or load something: any
 * element outside the SVG namespace, any `on*` attribute, any link that
 * is not a fragment of the icon itself.
 */
function unsafeParts(root: Element | DocumentFragment): string[] {
  const found: string[] = [];
  const elements =
    root instanceof Element
      ? [root, ...Array.from(root.querySelectorAll('*'))]
      : Array.from(root.querySelectorAll('*'));
  for (const element of elements) {
    if (element.namespaceURI !== SVG_NS) {
      found.push(`<${element.localName}> in ${element.namespaceURI}`);
    }
    if (
      ['script', 'foreignObject', 'style', 'image', 'a'].includes(
        element.localName
      )
    ) {
      found.push(`<${element.localName}>`);
    }
    for (const attr of Array.from(element.attributes)) {
      if (/^on/i.test(attr.localName)) {
        found.push(`${attr.name} on <${element.localName}>`);
      }
      if (/href$/i.test(attr.localName) && !attr.value.startsWith('#')) {
        found.push(`${attr.name}="${attr.value}"`);
      }
      if (/(script|data)\s*:|url\(\s*['"]?(?!#)/i.test(attr.value)) {
        found.push(`${attr.name}="${attr.value}"`);
      }
    }
  }
  return found;
}

describe('labIconSvgstr: what LabIcon gets for an SVG icon', () => {
  type Check = (element: Element) => void;
  const title =
    (text: string): Check =>
    element =>
      expect(element.querySelector('title')?.textContent).toBe(text);
  const kept =
    (selector: string): Check =>
    element =>
      expect(element.querySelector(selector)).not.toBeNull();

  it.each<[string, string, Check?]>([
    [
      'width="100%" (a % LabIcon would URI-decode)',
      `<svg xmlns="${SVG_NS}" width="100%" height="100%">${P}</svg>`,
      element => expect(element.getAttribute('width')).toBe('100%')
    ],
    ['a lone % in text', `${S}<title>%</title>${P}</svg>`, title('%')],
    [
      'a broken escape %E0%A4%A',
      `${S}<title>%E0%A4%A</title>${P}</svg>`,
      title('%E0%A4%A')
    ],
    [
      'percent-encoded markup %3Cimg…%3E in a title',
      `${S}<title>%3Cimg src="x" onerror="alert(1)"/%3E</title>${P}</svg>`,
      title('%3Cimg src="x" onerror="alert(1)"/%3E')
    ],
    [
      'double percent-encoding %253C',
      `${S}<title>%253Cimg src=x onerror=alert(1)%253E</title>${P}</svg>`,
      title('%253Cimg src=x onerror=alert(1)%253E')
    ],
    [
      'entities &lt; &gt;',
      `${S}<title>&lt;img src=x onerror=alert(1)&gt;</title>${P}</svg>`,
      title('<img src=x onerror=alert(1)>')
    ],
    [
      'decimal references &#60;',
      `${S}<title>&#60;img src=x onerror=alert(1)&#62;</title>${P}</svg>`,
      title('<img src=x onerror=alert(1)>')
    ],
    [
      'hex references &#x3c;',
      `${S}<title>&#x3c;img src=x onerror=alert(1)&#x3e;</title>${P}</svg>`,
      title('<img src=x onerror=alert(1)>')
    ],
    [
      'an XHTML element by prefix (html:img)',
      `${S}<html:img xmlns:html="http://www.w3.org/1999/xhtml" src="x" onerror="alert(1)"/>${P}</svg>`,
      kept('path')
    ],
    [
      'the default namespace switched on a child',
      `${S}<g xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(1)"/><title>t</title></g>${P}</svg>`,
      kept('path')
    ],
    [
      'an XHTML title',
      `${S}<title xmlns="http://www.w3.org/1999/xhtml">&lt;img src=x onerror=alert(1)&gt;</title>${P}</svg>`,
      kept('path')
    ],
    [
      'SVG by a prefix of its own',
      `<s:svg xmlns:s="${SVG_NS}"><s:path d="M0 0h1v1z"/></s:svg>`,
      kept('path')
    ],
    [
      'foreignObject',
      `${S}<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">${XSS}</div></foreignObject>${P}</svg>`,
      kept('path')
    ],
    ['script', `${S}<script>alert(1)</script>${P}</svg>`, kept('path')],
    [
      'style',
      `${S}<style>path{fill:url(http://evil.example/x)}</style>${P}</svg>`,
      kept('path')
    ],
    [
      'on* handlers in any case',
      `<svg xmlns="${SVG_NS}" onload="alert(1)" ONLOAD="alert(2)"><path d="M0 0" OnClick="alert(3)" onMouseOver="alert(4)"/></svg>`,
      kept('path')
    ],
    [
      'href and xlink:href to javascript:, data: and another site',
      `<svg xmlns="${SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink"><use href="javascript:alert(1)"/><use xlink:href="data:image/svg+xml;base64,PHN2Zy8+"/><use href="https://evil.example/x.svg#a"/><use xlink:href="#local"/>${P}</svg>`,
      element =>
        expect(
          element
            .querySelector('use:last-of-type')
            ?.getAttributeNS('http://www.w3.org/1999/xlink', 'href')
        ).toBe('#local')
    ],
    [
      'use of an external file',
      `${S}<use href="sprites.svg#icon"/>${P}</svg>`,
      kept('path')
    ],
    [
      'a, image, animate and set',
      `${S}<a href="javascript:alert(1)">${P}</a><image href="x.png"/><set attributeName="href" to="javascript:alert(1)"/><animate attributeName="href" values="javascript:alert(1)"/>${P}</svg>`,
      kept('path')
    ],
    [
      'url() to another site in a presentation attribute',
      `${S}<path d="M0 0" fill="url(https://evil.example/#g)" stroke="url(#g)"/></svg>`,
      element => {
        expect(element.querySelector('path')?.hasAttribute('fill')).toBe(false);
        expect(element.querySelector('path')?.getAttribute('stroke')).toBe(
          'url(#g)'
        );
      }
    ],
    [
      'CDATA that closes early in HTML',
      `${S}<title><![CDATA[><img src="x" onerror="alert(1)">]]></title>${P}</svg>`,
      kept('path')
    ],
    [
      'a comment that closes early in HTML (<!-->)',
      `${S}<!--><img src="x" onerror="alert(1)">-->${P}</svg>`,
      kept('path')
    ],
    [
      'a processing instruction',
      `${S}<?x ><img src="x" onerror="alert(1)">?>${P}</svg>`,
      kept('path')
    ],
    [
      'markup inside a title',
      `${S}<title>a<path onclick="alert(1)"/>b</title>${P}</svg>`,
      element =>
        expect(element.querySelector('title')?.children).toHaveLength(0)
    ],
    ['\\r in text', `${S}<title>a&#13;b</title>${P}</svg>`, kept('path')],
    [
      'U+2028 in text',
      `${S}<title>a\u2028b</title>${P}</svg>`,
      title('a\u2028b')
    ],
    [
      'U+2029 in an attribute',
      `${S}<path d="M0 0" aria-label="a\u2029b"/></svg>`,
      element =>
        expect(element.querySelector('path')?.getAttribute('aria-label')).toBe(
          'a\u2029b'
        )
    ],
    [
      'unicode text and attributes',
      `${S}<title>café 😀 中文</title><path d="M0 0" aria-label="ü😀"/></svg>`,
      element => {
        title('café 😀 中文')(element);
        expect(element.querySelector('path')?.getAttribute('aria-label')).toBe(
          'ü😀'
        );
      }
    ],
    [
      'a nested svg with a handler',
      `${S}<svg onload="alert(1)">${P}</svg></svg>`,
      kept('svg path')
    ],
    [
      'an XML declaration and a DOCTYPE, as editors write them',
      `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">${S}${P}</svg>`,
      kept('path')
    ],
    [
      'an attribute name that is not ASCII',
      `${S}<path d="M0 0" dé="1"/></svg>`,
      kept('path')
    ]
  ])('renders safely: %s', (_, svg, check) => {
    const svgstr = labIconSvgstr(svg);
    expect(svgstr).not.toBeNull();
    const { element, html } = renderLikeLabIcon(svgstr!);
    // LabIcon parses exactly what the sanitizer let through.
    expect(new XMLSerializer().serializeToString(element)).toBe(
      sanitizeSvg(svg)
    );
    expect(unsafeParts(element)).toEqual([]);
    expect(unsafeParts(html)).toEqual([]);
    check?.(element);
  });

  it.each([
    ['markup that is not SVG', XSS],
    ['HTML', '<html><body/></html>'],
    ['text', 'not markup'],
    [
      'an svg in the XHTML namespace',
      `<svg xmlns="http://www.w3.org/1999/xhtml">${XSS}</svg>`
    ],
    ['an svg in no namespace', `<svg>${P}</svg>`],
    [
      'a base64 data: URL given as the icon',
      `data:image/svg+xml;base64,${btoa(`<svg xmlns="${SVG_NS}" onload="alert(1)"/>`)}`
    ],
    [
      'a percent-encoded SVG given as the icon',
      encodeURIComponent(`<svg xmlns="${SVG_NS}" onload="alert(1)"/>`)
    ],
    [
      'an internal entity holding markup',
      `<!DOCTYPE svg [<!ENTITY x "<img src='x' onerror='alert(1)'/>">]><svg xmlns="${SVG_NS}"><title>&x;</title></svg>`
    ],
    ['an icon too large to be one', `${S}${P.repeat(20_000)}</svg>`]
  ])('refuses %s', (_, svg) => {
    expect(labIconSvgstr(svg)).toBeNull();
  });
});

describe('sanitizeSvg', () => {
  it('keeps shapes and drops scripts, handlers, foreign content and external links', () => {
    const svg = sanitizeSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)" viewBox="0 0 24 24">' +
        '<script>alert(2)</script>' +
        '<foreignObject><div>x</div></foreignObject>' +
        '<path d="M0 0h24v24H0z" onclick="alert(3)" style="fill:url(http://evil)"/>' +
        '<a href="javascript:alert(4)"><circle r="1"/></a>' +
        '<use xlink:href="http://evil/x.svg#a"/><use href="#local"/>' +
        '<linearGradient id="g"><stop offset="0"/></linearGradient>' +
        '</svg>'
    )!;
    expect(svg).toContain('<path d="M0 0h24v24H0z"');
    expect(svg).toContain('viewBox="0 0 24 24"');
    expect(svg).toContain('href="#local"');
    expect(svg).toContain('<linearGradient id="g"><stop offset="0"/>');
    for (const bad of [
      'script',
      'alert',
      'onload',
      'onclick',
      'foreignObject',
      'evil',
      'style=',
      '<a'
    ]) {
      expect(svg).not.toContain(bad);
    }
  });

  it('refuses what is not an SVG', () => {
    expect(sanitizeSvg('<img src=x onerror=alert(1)>')).toBeNull();
    expect(sanitizeSvg('<html><body/></html>')).toBeNull();
    expect(sanitizeSvg('not markup')).toBeNull();
  });
});
