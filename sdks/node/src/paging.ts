import type { Answer, ResponseInfo } from './connection.js';

/**
 * One page of a list: by number (with `page` and the list's `total`), or of a walk by cursor (with `next_cursor`, and
 * neither of those). `lastResponse` is the answer that carried it.
 */
export interface Page<T> {
  data: T[];
  page?: number;
  per_page: number;
  total?: number;
  /** In a walk by cursor: the next page's cursor, null after the last item. */
  next_cursor?: string | null;
  /** More items follow this page. */
  has_more: boolean;
  readonly lastResponse: ResponseInfo;
}

export function pageOf<T>(answer: Answer<T[]>): Page<T> {
  const meta = answer.meta ?? { page: 1, per_page: answer.data.length, total: answer.data.length };
  const has_more = meta.next_cursor !== undefined ? meta.next_cursor !== null : (meta.page ?? 1) * meta.per_page < (meta.total ?? 0);
  const page = { data: answer.data, ...meta, has_more } as Page<T>;
  Object.defineProperty(page, 'lastResponse', { value: answer.response, enumerable: false });
  return page;
}

/**
 * Every item of a list, walking it by cursor: the API returns each item that exists for the whole walk exactly once,
 * whatever is added or deleted meanwhile (numbered pages would skip items as earlier ones are deleted).
 */
export async function* everyItem<T>(page: (cursor: string) => Promise<Page<T>>): AsyncGenerator<T, void, undefined> {
  for (let cursor: string | null | undefined = ''; typeof cursor === 'string';) {
    const current = await page(cursor);
    yield* current.data;
    cursor = current.next_cursor;
  }
}

export const PER_PAGE_ALL = 100;
