// One justification limit and one set of ticket limits, used by the CLI, the IPC contract, the
// settings schema and the engine. Microsoft Graph documents no maximum length for `justification`
// or `ticketInfo` (all plain Strings), so these are PIM Tray's own limits: see docs/cli.md.

/** Characters (UTF-16 code units, as JavaScript and zod count them) in a trimmed justification. */
export const JUSTIFICATION_MAX = 500;

/** Characters in a trimmed ticket system name and ticket number. */
export const TICKET_LIMITS = { system: 100, number: 100 } as const;

/** Why a justification is refused, or null when it is within the limit. Measured trimmed, as it is sent. */
export function justificationProblem(text: string | undefined): string | null {
  const n = text?.trim().length ?? 0;
  if (n <= JUSTIFICATION_MAX) return null;
  return `The justification is ${n} characters; PIM Tray accepts at most ${JUSTIFICATION_MAX} characters. Shorten it; a ticket reference can go in the ticket instead.`;
}

/** Why a ticket is refused, or null when both parts are within their limits. */
export function ticketProblem(ticket: { system: string; number: string } | undefined): string | null {
  if (!ticket) return null;
  const system = ticket.system.trim().length;
  const number = ticket.number.trim().length;
  if (system > TICKET_LIMITS.system)
    return `The ticket system is ${system} characters; PIM Tray accepts at most ${TICKET_LIMITS.system} characters (e.g. ServiceNow).`;
  if (number > TICKET_LIMITS.number)
    return `The ticket number is ${number} characters; PIM Tray accepts at most ${TICKET_LIMITS.number} characters (e.g. INC0012345).`;
  return null;
}
