import type { Answer } from './connection.js';

/** One page of a list, with the list's total (the envelope's meta). */
export interface Page<T> {
  data: T[];
  page: number;
  per_page: number;
  total: number;
  /** More pages follow this one. */
  has_more: boolean;
}

export function pageOf<T>(answer: Answer<T[]>): Page<T> {
  const meta = answer.meta ?? { page: 1, per_page: answer.data.length, total: answer.data.length };
  return { data: answer.data, page: meta.page, per_page: meta.per_page, total: meta.total, has_more: meta.page * meta.per_page < meta.total };
}

/** The items of every page, 100 at a time, each once even when new items shift the pages under it. */
export async function* everyItem<T extends { id: string }>(page: (number: number) => Promise<Page<T>>): AsyncGenerator<T, void, undefined> {
  const seen = new Set<string>();
  for (let number = 1; ; number++) {
    const current = await page(number);
    for (const item of current.data) {
      if (!seen.has(item.id)) {
        seen.add(item.id);
        yield item;
      }
    }
    if (!current.has_more || current.data.length === 0) return;
  }
}

export const PER_PAGE_ALL = 100;
