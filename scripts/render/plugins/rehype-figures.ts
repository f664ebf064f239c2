/**
 * rehype plugin: an image alone in its paragraph becomes a `<figure>`; its
 * Markdown title (`![alt](src "Caption")`) becomes the `<figcaption>`.
 * Figures can be kept from splitting across pages and are announced as
 * figures in the tagged PDF and the EPUB; the alt text stays on the image.
 */
import { whitespace } from 'hast-util-whitespace';
import type { Element, Root } from 'hast';

export default function rehypeFigures() {
  return (tree: Root) => {
    const walk = (parent: Root | Element) => {
      parent.children.forEach((child, index) => {
        if (child.type !== 'element') return;
        const content = child.children.filter((node) => !whitespace(node));
        const image = content[0];
        if (child.tagName === 'p' && content.length === 1 && image?.type === 'element' && image.tagName === 'img') {
          parent.children[index] = figure(image);
        } else {
          walk(child);
        }
      });
    };
    walk(tree);
  };
}

function figure(image: Element): Element {
  const caption = image.properties.title ? String(image.properties.title) : '';
  delete image.properties.title;
  return {
    type: 'element',
    tagName: 'figure',
    properties: {},
    children: caption
      ? [image, { type: 'element', tagName: 'figcaption', properties: {}, children: [{ type: 'text', value: caption }] }]
      : [image],
    position: image.position,
  };
}
