import { LabIcon } from '@jupyterlab/ui-components';

/**
 * The namespaces an icon may use.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * SVG elements an icon may use (local names, in the SVG namespace).
 * Everything else (script, foreignObject, a, image, animations, styles) is
 * dropped with its content.
 */
const SVG_ELEMENTS = new Set([
  'svg',
  'g',
  'path',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'rect',
  'defs',
  'linearGradient',
  'radialGradient',
  'stop',
  'clipPath',
  'mask',
  'symbol',
  'use',
  'title',
  'desc',
  'text',
  'tspan'
]);

/**
 * Elements that keep their text only. In HTML, `title` and `desc` inside an
 * `<svg>` hold HTML: any element in them would be parsed as HTML when
 * JupyterLab renders the icon.
 */
const TEXT_ONLY = new Set(['title', 'desc']);

/**
 * The longest icon accepted: a launcher card copies its icon for every
 * launcher, and an icon is a few kilobytes.
 */
const MAX_ICON_LENGTH = 100_000;

/**
 * Sanitize an SVG icon given in the settings.
 *
 * #### Notes
 * JupyterLab's HTML sanitizer does not allow SVG, so icons go through this
 * allow-list instead. The icon is parsed as XML and a new tree is built from
 * what is allowed: known shape elements in the SVG namespace, their text,
 * attributes without a namespace (no event handlers, no `style`, links only
 * to fragments of the icon itself, no `url()` but `url(#…)`), `xlink:href`
 * to a fragment, `xml:space` and `xml:lang`. Comments, processing
 * instructions, CDATA sections and the DOCTYPE are dropped (a DOCTYPE
 * declaring entities is refused): the HTML parser
 * that renders the icon in the end reads them differently from XML (`<!-->`
 * ends a comment there), which is how markup hidden in them comes alive.
 *
 * @param svg - The SVG source.
 * @returns The sanitized SVG source, or null if it is not an SVG document
 *   (its root must be `<svg xmlns="http://www.w3.org/2000/svg">`).
 */
export function sanitizeSvg(svg: string): string | null {
  // Entities declared in the icon itself (a DOCTYPE with `[…]`) are refused
  // before parsing: markup that exists only once expanded, and exponential
  // expansion.
  if (svg.length > MAX_ICON_LENGTH || /<!DOCTYPE[^>]*\[/i.test(svg)) {
    return null;
  }
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (
    !root ||
    root.namespaceURI !== SVG_NS ||
    root.localName !== 'svg' ||
    doc.getElementsByTagName('parsererror').length
  ) {
    return null;
  }
  const clean = document.implementation.createDocument(SVG_NS, 'svg', null);
  const copy = (from: Element, to: Element) => {
    Private.copyAttributes(from, to);
    for (const child of Array.from(from.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) {
        to.appendChild(clean.createTextNode(child.nodeValue ?? ''));
      } else if (
        child instanceof Element &&
        child.namespaceURI === SVG_NS &&
        SVG_ELEMENTS.has(child.localName) &&
        !TEXT_ONLY.has(from.localName)
      ) {
        const element = clean.createElementNS(SVG_NS, child.localName);
        to.appendChild(element);
        copy(child, element);
      }
      // Anything else is left out: comments, processing instructions,
      // CDATA sections, and elements not allowed here.
    }
  };
  copy(root, clean.documentElement);
  return new XMLSerializer().serializeToString(clean.documentElement);
}

/**
 * The `svgstr` to give JupyterLab's `LabIcon` for an SVG icon from the
 * settings.
 *
 * #### Notes
 * `LabIcon` does not parse its `svgstr` as is: it first runs
 * `decodeURIComponent` on it (a `%` throws, and blanks the whole launcher;
 * `%3C…%3E` turns into markup the sanitizer never saw), condenses
 * whitespace, and reads `data:` URLs. So it gets the sanitized SVG as a
 * `data:image/svg+xml;base64,` URL: base64 has no `%` and no whitespace, and
 * `atob` gives back exactly the sanitized SVG. `atob` yields Latin-1, so
 * every character outside printable ASCII is first written as an XML
 * character reference (`&#x…;`), which is the same character to the XML
 * parser. (The other way, `encodeURIComponent`, would break on `\r`, U+2028
 * and U+2029, where `LabIcon`'s `(.*)` stops.) Character references are
 * only valid in text and attribute values: element and attribute names are
 * ASCII here, by the sanitizer's rules.
 *
 * @param svg - The SVG source from the settings.
 * @returns The `svgstr`, or null if the icon is not an SVG document.
 */
export function labIconSvgstr(svg: string): string | null {
  const clean = sanitizeSvg(svg);
  if (clean === null) {
    return null;
  }
  let ascii = '';
  for (const char of clean) {
    const code = char.codePointAt(0)!;
    ascii += code >= 0x20 && code < 0x7f ? char : `&#x${code.toString(16)};`;
  }
  return `data:image/svg+xml;base64,${btoa(ascii)}`;
}

/**
 * A LabIcon for an SVG icon from the settings, rendered once the way a
 * launcher card renders it.
 *
 * @param svg - The SVG source from the settings.
 * @returns The icon; items with the same SVG share one.
 * @throws Error saying why, when the icon cannot be shown.
 *
 * #### Notes
 * An icon that fails to render must not reach a launcher: the launcher is
 * one React tree, and one icon throwing there empties it.
 *
 * Sanitizing and test-rendering cost about a millisecond an icon, and a
 * deployment's 300 items often share a handful of icons: the outcome is kept
 * by SVG source, and the LabIcon is named after its sanitized content, so
 * that one icon is one LabIcon (and a name never gets other content, which
 * would re-render every card using it).
 */
export function svgIcon(svg: string): LabIcon {
  const known = Private.icons.get(svg);
  if (known !== undefined) {
    if (known instanceof Error) {
      throw known;
    }
    return known;
  }
  let outcome: LabIcon | Error;
  try {
    outcome = Private.makeIcon(svg);
  } catch (reason) {
    outcome = reason instanceof Error ? reason : new Error(String(reason));
  }
  if (Private.icons.size >= Private.MAX_KEPT) {
    Private.icons.clear();
  }
  Private.icons.set(svg, outcome);
  if (outcome instanceof Error) {
    throw outcome;
  }
  return outcome;
}

namespace Private {
  /**
   * Icons made so far, by SVG source: a LabIcon, or why there is none.
   */
  export const icons = new Map<string, LabIcon | Error>();

  /**
   * How many outcomes are kept before starting over.
   */
  export const MAX_KEPT = 2000;

  /**
   * Sanitize, check and build the LabIcon of an SVG source.
   *
   * @throws Error saying why, when the icon cannot be shown.
   */
  export function makeIcon(svg: string): LabIcon {
    const svgstr = labIconSvgstr(svg);
    if (!svgstr) {
      throw new Error(
        'the icon is not an SVG document: it must be one <svg> element in ' +
          `the namespace ${SVG_NS}, declaring no entities, of at most ` +
          `${MAX_ICON_LENGTH} characters.`
      );
    }
    const name = `jupyterlab-hub-groups:svg-${hash(svgstr)}`;
    // Checked before a LabIcon of that name exists: LabIcon re-renders the
    // cards of an icon whose svgstr changes.
    checkRenders(name, svgstr);
    const labIcon = new LabIcon({ name, svgstr });
    let element: HTMLElement;
    try {
      element = labIcon.element();
    } catch (reason) {
      throw new Error(`the icon does not render: ${reason}`);
    }
    // LabIcon renders an empty element for an SVG it cannot parse.
    if (!element.querySelector('svg')) {
      throw new Error('the icon does not render.');
    }
    return labIcon;
  }

  /**
   * A short, stable digest of a text (FNV-1a, 2 × 32 bits): names an icon
   * after its content.
   */
  export function hash(text: string): string {
    let a = 0x811c9dc5;
    let b = 0x01000193;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      a = Math.imul(a ^ code, 0x01000193);
      b = Math.imul(b ^ code, 0x5bd1e995);
    }
    return (
      (a >>> 0).toString(16).padStart(8, '0') +
      (b >>> 0).toString(16).padStart(8, '0')
    );
  }

  /**
   * Copy the attributes an icon may have.
   *
   * #### Notes
   * Names must be plain ASCII: the svgstr writes other characters as
   * character references, which XML allows in values, not in names.
   */
  export function copyAttributes(from: Element, to: Element): void {
    for (const attr of Array.from(from.attributes)) {
      const name = attr.localName;
      const value = attr.value;
      if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(name)) {
        continue;
      }
      if (attr.namespaceURI === null) {
        const lower = name.toLowerCase();
        if (
          lower.startsWith('on') ||
          lower === 'style' ||
          (lower === 'href' && !isFragment(value)) ||
          UNSAFE_VALUE.test(value) ||
          EXTERNAL_URL.test(value)
        ) {
          continue;
        }
        to.setAttribute(name, value);
      } else if (
        attr.namespaceURI === XLINK_NS &&
        name === 'href' &&
        isFragment(value)
      ) {
        to.setAttributeNS(XLINK_NS, 'xlink:href', value);
      } else if (
        attr.namespaceURI === XML_NS &&
        (name === 'space' || name === 'lang')
      ) {
        to.setAttributeNS(XML_NS, `xml:${name}`, value);
      }
      // Other namespaces (xmlns declarations included) are left out: the
      // serializer declares what the clean tree needs.
    }
  }

  /**
   * A link to a fragment of the icon itself.
   */
  function isFragment(value: string): boolean {
    return /^#[\w.:-]+$/.test(value);
  }

  /**
   * Values no shape needs: script and data URLs.
   */
  const UNSAFE_VALUE = /[a-z]script\s*:|data\s*:/i;

  /**
   * `url(…)` to anything but a fragment of the icon (a gradient, a mask):
   * an icon loads nothing from elsewhere.
   */
  const EXTERNAL_URL = /url\s*\(\s*(?!['"]?#)/i;

  /**
   * Check that an svgstr renders safely the way JupyterLab renders icons.
   *
   * @throws Error saying why it does not.
   *
   * #### Notes
   * `LabIcon.resolveSvg` is what every LabIcon runs (its `svgstrShim`
   * included). A launcher card then puts the element's markup into an
   * `<svg>` of the page through React, where the HTML parser reads it:
   * a `<template>` does the same parsing without running or loading
   * anything. In both trees, every element must be SVG, with no handler.
   */
  export function checkRenders(name: string, svgstr: string): void {
    let element: Element | null;
    try {
      element = LabIcon.resolveSvg({ name, svgstr });
    } catch (reason) {
      throw new Error(`the icon does not render: ${reason}`);
    }
    if (
      !element ||
      element.namespaceURI !== SVG_NS ||
      element.localName !== 'svg'
    ) {
      throw new Error('the icon does not render.');
    }
    const template = document.createElement('template');
    template.innerHTML = `<svg>${element.innerHTML}</svg>`;
    for (const tree of [element, template.content]) {
      for (const node of Array.from(tree.querySelectorAll('*'))) {
        if (
          node.namespaceURI !== SVG_NS ||
          Array.from(node.attributes).some(a => /^on/i.test(a.localName))
        ) {
          throw new Error(
            `the icon would render <${node.localName}> unsafely.`
          );
        }
      }
    }
  }
}
