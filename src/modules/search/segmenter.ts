/**
 * Chinese segmentation with jieba (@node-rs/jieba, its default dictionary) plus the catalogue's own words,
 * and pinyin with pinyin-pro. Text is normalised first: full-width to half-width, lower case, spaces folded.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { pinyin } from 'pinyin-pro';

let jieba: Jieba | undefined;
function engine(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Adds catalogue terms (item names' parts, keywords) so jieba keeps them whole: 公章刻制, 驾驶证. */
export function addWords(words: Iterable<string>): void {
  const lines: string[] = [];
  for (const w of words) if (w.length >= 2 && w.length <= 12 && !/\s/.test(w)) lines.push(`${w} 2000`);
  if (lines.length) engine().loadDict(Buffer.from(lines.join('\n'), 'utf8'));
}

/** Function words of colloquial questions that carry no meaning for finding an item. */
export const STOPWORDS = new Set([
  '我', '我们', '要', '想', '想要', '怎么', '怎么办', '怎样', '如何', '办', '办理', '去', '哪里', '哪儿', '在', '的',
  '了', '吗', '呢', '啊', '吧', '什么', '需要', '要求', '可以', '能', '能否', '给', '个', '一下', '请问', '咨询', '一个',
  '和', '与', '及', '或', '是', '有', '没有', '还', '后', '之后', '以后', '时', '时候', '怎么样', '哪些', '哪个', '多少', '该',
  '应该', '办什么', '需要什么', '什么样', '手续', '流程', '帮', '帮忙', '自己', '家里', '我家', '刚', '刚刚', '了吗', '到',
]);

const PUNCT = /[\s\p{P}\p{S}]+/gu;

export function normalise(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)) // full-width → half-width
    .replace(/\u3000/g, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Search tokens of a text: jieba's search-mode cut, without punctuation and stopwords. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const t of engine().cutForSearch(normalise(text), true)) {
    const tok = t.replace(PUNCT, '');
    if (tok && !STOPWORDS.has(tok)) out.push(tok);
  }
  return out;
}

const HAN = /[\u4e00-\u9fff]/g;

/**
 * Full pinyin without tones or spaces, its syllables, and the initials: 婚姻登记 → hunyindengji,
 * [hun, yin, deng, ji], hydj. The syllables tell where a full-pinyin match may start and end.
 */
export function pinyinKeys(text: string): { full: string; initials: string; syllables: string[] } {
  const han = (text.match(HAN) ?? []).join('');
  if (!han) return { full: '', initials: '', syllables: [] };
  const syllables = pinyin(han, { toneType: 'none', type: 'array', nonZh: 'removed', v: true }).filter(Boolean);
  const initials = pinyin(han, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'removed' }).join('');
  return { full: syllables.join(''), initials, syllables };
}

export function isPinyinQuery(q: string): boolean {
  return /^[a-z]{2,40}$/.test(q.replace(/\s+/g, ''));
}
