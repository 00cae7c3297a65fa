// A list that renders only the rows near the screen once it is long, so a tenant with thousands of
// eligibilities filters and scrolls at the speed of a short one. The page scrolls as before (the popup has
// one scroll bar), or the box the list sits in (the profile editor's picklists); rows off screen are stood in
// for by spacers of their measured (or estimated) height.
// For screen readers each row says where it is in the whole list (aria-posinset of aria-setsize); arrow
// keys, Home and End move between rows, scrolling a row in when it is not rendered yet. A short list renders
// whole, as it always did (find in page, and no work for nothing).
import type { ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from "preact/hooks";

/** Lists longer than this (about three screens) render only the rows near the screen. */
export const VIRTUAL_FROM = 30;
/**
 * How far above and below the screen rows are rendered, in pixels: a scroll shows rows, not gaps, and a
 * keystroke that replaces the rows builds few (each new row costs its style, layout and paint).
 */
const OVERSCAN_PX = 200;
/**
 * A new list (a keystroke in the filter) renders the rows on screen only, and the rows around them this much
 * later: the keystroke's frame builds half as many rows, and typing on skips the rest.
 */
const SETTLE_MS = 80;
/** A row's height before any row of its shape, or any row at all, was measured. */
const FIRST_ESTIMATE_PX = 64;

export interface VirtualListProps<T> {
  items: readonly T[];
  keyOf: (item: T) => string;
  /** What the row's <li> is known by in tests (data-testid). */
  testIdOf: (item: T) => string;
  /** Rows of one shape have about one height: an unmeasured row is estimated from the measured ones of its shape. */
  shapeOf?: (item: T) => string;
  /** The row's content. */
  renderRow: (item: T) => ComponentChildren;
  label: string;
  /** Rows rendered wherever they are (the open form): never unmounted by a scroll. */
  pinned?: ReadonlyArray<string | null>;
  /** The rows rendered around the screen changed: [start, end) of `items`. */
  onRange?: (start: number, end: number) => void;
  /** What scrolls the list into view: the page (the default), or the element the list sits in. */
  scroller?: "page" | "parent";
  /** The <ul>'s and each row's <li>'s class. */
  listClass?: string;
  itemClass?: string;
  /** A row's height before any was measured: a good guess renders the right number of rows at once. */
  estimatePx?: number;
}

/**
 * `items.map(f)`, worked out once per list and function: a list shown again (the full list, cleared back to)
 * costs no pass over its thousands of rows.
 */
const mapped = new WeakMap<readonly unknown[], Map<unknown, readonly string[]>>();
function mapOnce<T>(items: readonly T[], f: (item: T) => string): readonly string[] {
  let byF = mapped.get(items);
  if (!byF) mapped.set(items, (byF = new Map()));
  let out = byF.get(f);
  if (!out) byF.set(f, (out = items.map(f)));
  return out;
}
const NO_SHAPES: readonly string[] = [];

/** The first i in [0, n) for which `ok(i)` holds (`ok` false then true), else n. */
function firstIndex(n: number, ok: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** What was measured: each row's height by key, and per shape their sum and count (the estimates). */
class Heights {
  readonly byKey = new Map<string, number>();
  readonly #shapes = new Map<string, { sum: number; count: number }>();
  #sum = 0;
  /** Counts the changes: where rows start, worked out for a list, holds until the next one. */
  #version = 0;
  readonly #tops = new WeakMap<readonly string[], { version: number; tops: Float64Array }>();
  gap = 6;

  constructor(readonly first: number) {}

  set(key: string, shape: string, h: number): boolean {
    const before = this.byKey.get(key);
    if (before !== undefined && Math.abs(before - h) < 1) return false;
    const s = this.#shapes.get(shape) ?? { sum: 0, count: 0 };
    s.sum += h - (before ?? 0);
    s.count += before === undefined ? 1 : 0;
    this.#shapes.set(shape, s);
    this.#sum += h - (before ?? 0);
    this.byKey.set(key, h);
    this.#version += 1;
    return true;
  }

  estimate(shape: string): number {
    const s = this.#shapes.get(shape);
    if (s?.count) return s.sum / s.count;
    return this.byKey.size ? this.#sum / this.byKey.size : this.first;
  }

  /** tops() of a whole list, kept until a height changes. */
  topsOf(keys: readonly string[], shapes: readonly string[]): Float64Array {
    const known = this.#tops.get(keys);
    if (known?.version === this.#version) return known.tops;
    const tops = this.tops(keys, shapes);
    this.#tops.set(keys, { version: this.#version, tops });
    return tops;
  }

  /** tops[i]: where row i starts; tops[n]: the list's height plus one gap. */
  tops(keys: readonly string[], shapes: readonly string[]): Float64Array {
    const t = new Float64Array(keys.length + 1);
    const estimates = new Map<string, number>();
    for (let i = 0; i < keys.length; i++) {
      let h = this.byKey.get(keys[i] ?? "");
      if (h === undefined) {
        const shape = shapes[i] ?? "";
        h = estimates.get(shape) ?? this.estimate(shape);
        estimates.set(shape, h);
      }
      t[i + 1] = (t[i] ?? 0) + h + this.gap;
    }
    return t;
  }
}

export function VirtualList<T>({
  items,
  keyOf,
  testIdOf,
  shapeOf,
  renderRow,
  label,
  pinned,
  onRange,
  scroller = "page",
  listClass = "list",
  itemClass = "item",
  estimatePx = FIRST_ESTIMATE_PX,
}: VirtualListProps<T>) {
  const ul = useRef<HTMLUListElement>(null);
  const n = items.length;
  const virtual = n > VIRTUAL_FROM;
  const keys = mapOnce(items, keyOf);
  const shapes = shapeOf ? mapOnce(items, shapeOf) : NO_SHAPES;
  // Kept across filters: a row measured once is known wherever it is listed.
  const heights = useRef(new Heights(estimatePx));
  const [, remeasured] = useReducer((v: number) => v + 1, 0);
  const [, rerender] = useReducer((v: number) => v + 1, 0);
  /** The screen (or the box that scrolls), in the list's own coordinates (0 is its top): updated on scroll and resize. */
  const view = useRef({ top: 0, bottom: typeof window === "undefined" ? 800 : window.innerHeight });
  /** A scroll owed once the re-render after a measurement is on screen (keeps the rows in view where they were). */
  const owedScroll = useRef(0);
  const pendingFocus = useRef<number | null>(null);
  const [focusKey, setFocusKey] = useState<string | null>(null);

  const tops = heights.current.topsOf(keys, shapes);
  const top = (i: number) => tops[i] ?? 0;
  // The list the rows around the screen were last rendered for; another one renders the screen's first.
  const settledKeys = useRef<readonly string[] | null>(null);
  const settling = useRef(false);
  // A list shown again (the full list, cleared back to) was settled long ago: it renders the screen's rows first too.
  const renderedKeys = useRef(keys);
  if (renderedKeys.current !== keys) {
    renderedKeys.current = keys;
    settledKeys.current = null;
  }
  settling.current = virtual && settledKeys.current !== keys;
  useEffect(() => {
    if (!settling.current) return;
    const t = setTimeout(() => {
      settledKeys.current = keys;
      rerender(0);
    }, SETTLE_MS);
    return () => clearTimeout(t);
  }, [keys, virtual]);

  const rangeOf = (t: Float64Array): [number, number] => {
    if (!virtual) return [0, n];
    const around = settling.current ? 0 : OVERSCAN_PX;
    const lo = view.current.top - around;
    const hi = view.current.bottom + around;
    const start = Math.min(
      n,
      firstIndex(n, (i) => (t[i + 1] ?? 0) > lo),
    );
    return [
      start,
      Math.max(
        start,
        firstIndex(n, (i) => (t[i] ?? 0) >= hi),
      ),
    ];
  };
  const [start, end] = rangeOf(tops);
  const lastRange = useRef([start, end]);
  lastRange.current = [start, end];
  const topsNow = useRef(tops);
  topsNow.current = tops;

  /** The element that scrolls the list, or null for the page. */
  const box = () => (scroller === "parent" ? (ul.current?.parentElement ?? null) : null);

  // Follow the screen: re-render only when the rows to render change. Set up before the first paint, so a list
  // in a box of its own (whose size no estimate knows) paints the rows that fill it, not the page's worth.
  useLayoutEffect(() => {
    if (!virtual) return;
    let frame = 0;
    const scrolls = box();
    const update = () => {
      frame = 0;
      const el = ul.current;
      if (!el) return;
      const rect = el.getBoundingClientRect();
      if (scrolls) {
        const top = scrolls.getBoundingClientRect().top + scrolls.clientTop - rect.top;
        view.current = { top, bottom: top + scrolls.clientHeight };
      } else view.current = { top: -rect.top, bottom: window.innerHeight - rect.top };
      const [s, e] = rangeOf(topsNow.current);
      const [ls, le] = lastRange.current;
      if (s !== ls || e !== le) rerender(0);
    };
    const onScroll = () => {
      frame ||= requestAnimationFrame(update);
    };
    update();
    (scrolls ?? window).addEventListener("scroll", onScroll, { passive: true });
    window.addEventListener("resize", onScroll);
    return () => {
      if (frame) cancelAnimationFrame(frame);
      (scrolls ?? window).removeEventListener("scroll", onScroll);
      window.removeEventListener("resize", onScroll);
    };
  }, [virtual, n]);

  // After each render: pay a scroll owed by the last measurement, then measure what was rendered. A height that
  // differs from what was assumed moves the rows below it, so the first row on screen is kept where it was.
  useLayoutEffect(() => {
    const el = ul.current;
    if (!el || !virtual) return;
    if (owedScroll.current) {
      (box() ?? window).scrollBy(0, owedScroll.current);
      owedScroll.current = 0;
    }
    const h = heights.current;
    if (!h.byKey.size) h.gap = parseFloat(getComputedStyle(el).rowGap) || 0;
    let changed = false;
    let anchor: { index: number; top: number } | null = null;
    for (const li of Array.from(el.children) as HTMLElement[]) {
      const key = li.dataset.key;
      if (key === undefined) continue;
      const index = Number(li.dataset.index);
      if (anchor === null && top(index + 1) > view.current.top) anchor = { index, top: top(index) };
      if (h.set(key, shapes[index] ?? "", li.offsetHeight)) changed = true;
    }
    if (changed) {
      if (anchor) {
        const moved = h.tops(keys.slice(0, anchor.index), shapes.slice(0, anchor.index))[anchor.index] ?? 0;
        const delta = moved - anchor.top;
        if (Math.abs(delta) >= 1) {
          view.current = { top: view.current.top + delta, bottom: view.current.bottom + delta };
          owedScroll.current = delta;
        }
      }
      remeasured(0);
    }
    if (pendingFocus.current !== null) {
      const row = el.querySelector<HTMLElement>(`li[data-index="${pendingFocus.current}"]`);
      if (row) {
        pendingFocus.current = null;
        focusRow(row);
      }
    }
  });

  useEffect(() => onRange?.(start, end), [start, end, items, onRange]);

  /** Focus moves to a row's first button (Activate…), or to the row itself when it has none. */
  const focusRow = (li: HTMLElement) => (li.querySelector<HTMLElement>(":scope > .row button") ?? li).focus();
  const goTo = (i: number) => {
    const li = ul.current?.querySelector<HTMLElement>(`li[data-index="${i}"]`);
    if (li) return focusRow(li);
    // Not rendered: scroll it in, and focus it once it is.
    pendingFocus.current = i;
    const rect = ul.current?.getBoundingClientRect();
    if (!rect) return;
    const scrolls = box();
    if (scrolls) scrolls.scrollTo({ top: scrolls.scrollTop + rect.top - scrolls.getBoundingClientRect().top + top(i) });
    else window.scrollTo({ top: window.scrollY + rect.top + top(i) - 8 });
  };
  const onKeyDown = (ev: KeyboardEvent) => {
    const target = ev.target as HTMLElement;
    // Inside the activation form the keys keep their meaning (radio buttons, the duration slider, text).
    if (target.closest("form, input, textarea, select")) return;
    const li = target.closest<HTMLElement>("li[data-index]");
    if (!li || !n) return;
    const i = Number(li.dataset.index);
    const to =
      ev.key === "ArrowDown"
        ? i + 1
        : ev.key === "ArrowUp"
          ? i - 1
          : ev.key === "Home"
            ? 0
            : ev.key === "End"
              ? n - 1
              : null;
    if (to === null || to < 0 || to >= n || to === i) return;
    ev.preventDefault();
    goTo(to);
  };
  // The row holding focus stays rendered, so a scroll or a re-measure never drops the focus to the page.
  const onFocusIn = (ev: FocusEvent) => {
    const key = (ev.target as HTMLElement).closest<HTMLElement>("li[data-key]")?.dataset.key ?? null;
    if (key !== focusKey) setFocusKey(key);
  };
  const onFocusOut = (ev: FocusEvent) => {
    if (!ul.current?.contains(ev.relatedTarget as Node | null)) setFocusKey(null);
  };

  // The rows to render: the range, and the pinned ones wherever they are; spacers stand in for the rest.
  const indexes: number[] = [];
  for (let i = start; i < end; i++) indexes.push(i);
  if (virtual)
    for (const k of [...(pinned ?? []), focusKey]) {
      const i = k === null ? -1 : keys.indexOf(k);
      if (i >= 0 && (i < start || i >= end) && !indexes.includes(i)) indexes.push(i);
    }
  indexes.sort((a, b) => a - b);
  const gap = heights.current.gap;
  const spacer = (from: number, to: number) =>
    to > from ? (
      <li key={`gap-${from}`} class="spacer" aria-hidden="true" style={{ height: `${top(to) - top(from) - gap}px` }} />
    ) : null;
  const out: ComponentChildren[] = [];
  let next = 0;
  for (const i of indexes) {
    out.push(spacer(next, i));
    const item = items[i] as T; // i < n
    out.push(
      <li
        key={keys[i]}
        class={itemClass}
        data-testid={testIdOf(item)}
        data-key={keys[i]}
        data-index={i}
        tabIndex={-1}
        aria-setsize={virtual ? n : undefined}
        aria-posinset={virtual ? i + 1 : undefined}
      >
        {renderRow(item)}
      </li>,
    );
    next = i + 1;
  }
  out.push(spacer(next, n));
  return (
    <ul
      class={listClass}
      ref={ul}
      aria-label={label}
      onKeyDown={onKeyDown}
      onFocusIn={onFocusIn}
      onFocusOut={onFocusOut}
    >
      {out}
    </ul>
  );
}
