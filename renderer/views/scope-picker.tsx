// The scope of an Azure role's activation: the eligibility's own scope by default, or a scope below it
// (a resource group, a resource) for a reduced-scope activation. Children come from ARM's
// eligibleChildResources, read when the form opens.
import { useEffect, useState } from "preact/hooks";
import type { AzureScopeView, EligibleView } from "../../electron/shared/ipc-api.js";
import { api } from "../bridge.js";

export interface PickedScope {
  id: string;
  name: string;
}

type AzureRow = Extract<EligibleView, { kind: "azure" }>;

const TYPE_WORDS: Record<string, string> = {
  managementgroup: "management group",
  subscription: "subscription",
  resourcegroup: "resource group",
  resource: "resource",
};
const typeWord = (t: string) => TYPE_WORDS[t.toLowerCase()] ?? (t.split("/").pop() || "resource");

export function ScopePicker({
  e,
  picked,
  onPick,
}: {
  e: AzureRow;
  picked: PickedScope | null;
  onPick: (s: PickedScope | null) => void;
}) {
  const [children, setChildren] = useState<AzureScopeView[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const leaf = e.scopeType.toLowerCase() === "resource";
  useEffect(() => {
    if (leaf) return;
    let live = true;
    api()
      .azureScopes({ scope: e.scope })
      .then((list) => live && setChildren(list))
      .catch((err: unknown) => live && setProblem(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [e.scope, leaf]);
  const id = `scope-${e.scope.replace(/[^\w-]/g, "_")}-${e.roleDefinitionId.split("/").pop() ?? ""}`;
  return (
    <div class="scope-picker">
      <label for={id}>Scope</label>
      <select
        id={id}
        value={picked?.id ?? ""}
        disabled={leaf || children === null || children.length === 0}
        onChange={(ev) => {
          const v = (ev.target as HTMLSelectElement).value;
          const c = children?.find((x) => x.id === v);
          onPick(c ? { id: c.id, name: c.name } : null);
        }}
      >
        <option value="">
          {e.scopeName} (the whole {typeWord(e.scopeType)})
        </option>
        {(children ?? []).map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({typeWord(c.type)})
          </option>
        ))}
      </select>
      {!leaf && children === null && !problem && <div class="muted small">Reading the scopes below…</div>}
      {problem && <div class="muted small">Narrower scopes could not be read: {problem}</div>}
      {picked && (
        <div class="muted small">
          Reduced scope: only {picked.name}, not all of {e.scopeName}.
        </div>
      )}
    </div>
  );
}
