/** What tells a group apart from another with the same name; nothing for a unique name. */
export function GroupHint({ hint }: { hint: string | null | undefined }) {
  return hint ? <div class="muted small hint">{hint}</div> : null;
}
