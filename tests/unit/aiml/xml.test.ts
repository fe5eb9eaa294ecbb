import { describe, expect, it } from 'vitest';
import { LineIndex, parseXml, serializeXml, type XmlElement } from '../../../aiml/xml.js';

describe('XML parser', () => {
  it('parses elements, attributes, entities, character references, CDATA and comments', () => {
    const doc = parseXml(`<?xml version="1.0"?><!-- c &nope; --><a x="1 &amp; 2" y='q'>t &lt;&#65;&#x42;<![CDATA[<raw>&]]><b/></a>`);
    expect(doc.problems).toEqual([]);
    const a = doc.root!;
    expect(a.attributes).toEqual([
      { name: 'x', value: '1 & 2' },
      { name: 'y', value: 'q' },
    ]);
    expect(a.children[0]).toMatchObject({ type: 'text', text: 't <AB<raw>&' });
    expect((a.children[1] as XmlElement).name).toBe('b');
    expect(serializeXml(a.children)).toBe('t &lt;AB&lt;raw&gt;&amp;<b/>');
  });

  it('reports several errors in one pass with their offsets', () => {
    const text = '<a>\n<b x=1>\n</c>\n<d attr="v" attr="w"/>\n&bogus;</a>';
    const doc = parseXml(text);
    const lines = new LineIndex(text);
    expect(doc.hasErrors).toBe(true);
    expect(doc.problems.map((p) => `${lines.position(p.offset).line}:${lines.position(p.offset).column} ${p.message}`)).toEqual([
      "2:6 value of attribute 'x' of <b> must be quoted",
      '3:1 end tag </c> does not match the open element <b>',
      "4:13 attribute 'attr' appears twice in <d>",
      "5:1 unknown entity '&bogus;' (only &lt; &gt; &amp; &quot; &apos; and character references exist; DTD entities are never loaded)",
      '2:1 element <b> is not closed (found </a> first)',
    ]);
  });

  it('reports unclosed elements and text after the root', () => {
    expect(parseXml('<a><b>').problems.map((p) => p.message)).toEqual(['element <b> is never closed', 'element <a> is never closed']);
    expect(parseXml('<a/>junk').problems.map((p) => p.message)).toEqual(['text outside the root element']);
    expect(parseXml('').problems.map((p) => p.message)).toEqual(['no root element: the file is empty']);
  });
});
