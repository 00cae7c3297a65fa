/** A failure that ARM reports in its envelope: `{"error":{"code","message"}}`. */
export class ArmFault extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function armNotFound(path: string): ArmFault {
  return new ArmFault(
    404,
    "NotFound",
    `The requested path '${path}' was not found on this emulated Azure Resource Manager.`,
  );
}
