/**
 * Compiled templates: the XML of a <template> turned once, at load, into a small tree that the evaluator
 * walks without looking at tag names or attributes again. Plain text stays a plain string.
 */
import type { XmlElement, XmlNode } from './xml.js';

export type TNode = string | TElement;

/** An attribute value: fixed text, or nodes evaluated at run time (AIML 2.0 attribute-as-subtag form). */
export type Attr = string | TNode[];

export type TextOp = 'uppercase' | 'lowercase' | 'formal' | 'sentence' | 'explode' | 'first' | 'rest';
export type SubstitutionList = 'person' | 'person2' | 'gender' | 'normal' | 'denormal';
export type HistoryKind = 'input' | 'that' | 'request' | 'response';

export interface ConditionItem {
  name?: Attr;
  varName?: Attr;
  value?: Attr;
  kids: TNode[];
}

export interface ConditionSpec {
  name?: Attr;
  varName?: Attr;
  value?: Attr;
  /** Form 1 (`<condition name value>content</condition>`). */
  block?: TNode[];
  /** Forms 2 and 3 (a list of <li>). */
  items?: ConditionItem[];
}

export type TElement =
  | { k: 'star'; which: 'star' | 'thatstar' | 'topicstar'; index: Attr }
  | { k: 'srai'; kids: TNode[] }
  | { k: 'sr' }
  | { k: 'sraix'; bot?: Attr; fallback?: Attr; kids: TNode[] }
  | { k: 'random'; items: TNode[][] }
  | { k: 'condition'; spec: ConditionSpec }
  | { k: 'loop' }
  | { k: 'think'; kids: TNode[] }
  | { k: 'set'; name?: Attr; varName?: Attr; kids: TNode[] }
  | { k: 'get'; name?: Attr; varName?: Attr }
  | { k: 'bot'; name: Attr }
  | { k: 'map'; name: Attr; kids: TNode[] }
  | { k: 'history'; which: HistoryKind; index: Attr }
  | { k: 'substitute'; list: SubstitutionList; kids: TNode[] | undefined }
  | { k: 'text'; op: TextOp; kids: TNode[] }
  | { k: 'info'; what: 'size' | 'vocabulary' | 'program' | 'id' }
  | { k: 'date'; format?: Attr; timezone?: Attr; locale?: Attr }
  | { k: 'interval'; style?: Attr; format?: Attr; from?: Attr; to?: Attr }
  | { k: 'eval'; kids: TNode[] }
  | { k: 'learn'; global: boolean; content: XmlNode[]; evals: Map<XmlElement, TNode[]> }
  | { k: 'xml'; name: string; attrs: string; kids: TNode[] };

export type Template = TNode[];
