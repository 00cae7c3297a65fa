import type { ErrorKind } from "../errors.js";
import type { AccessId } from "../graph/pim-client.js";

export interface TargetRef {
  groupId: string;
  groupName: string;
  accessId: AccessId;
}

/** Everything the lifecycle service announces. Each is announced at most once. */
export type LifecycleEvent =
  | { type: "needs-sign-in"; reason: string }
  | { type: "submitted"; target: TargetRef; requestId: string; profile: string | null }
  | { type: "pending-approval"; target: TargetRef; requestId: string }
  | { type: "approved"; target: TargetRef; requestId: string }
  | { type: "provisioned"; target: TargetRef; requestId: string | null; endDateTime: string | null }
  | { type: "denied"; target: TargetRef; requestId: string }
  | { type: "failed"; target: TargetRef; requestId: string | null; reason: string }
  | { type: "canceled"; target: TargetRef; requestId: string }
  | { type: "expiring-soon"; target: TargetRef; endDateTime: string; minutesLeft: number; leadMinutes: number }
  | { type: "expired"; target: TargetRef; endDateTime: string }
  | { type: "deactivated"; target: TargetRef }
  | { type: "keep-active-stopped"; profile: string; reason: string }
  | { type: "error"; kind: ErrorKind; message: string };

export type LifecycleEventType = LifecycleEvent["type"];

export function targetLabel(t: TargetRef): string {
  return `${t.groupName} (${t.accessId})`;
}
